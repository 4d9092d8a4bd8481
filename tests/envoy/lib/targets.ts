// SPDX-License-Identifier: Apache-2.0
// The three places a differential scenario runs, each turned into the same `Observed` shape:
// real Envoy (raw HTTP to its listener), @getwild/host in-process (createHost + host.request, the
// upstream reached over real HTTP) and `getwild serve` (the CLI as users run it, raw HTTP).
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import type { EnvoyProcess } from "@getwild/host/envoy";
import {
  createHost,
  fetchCallHandler,
  SystemClock,
  decodeHeaderValue,
  encodeHeaderValue,
  type Host,
} from "@getwild/host";
import { rawRequest, type RawResponse } from "./raw_http";
import type { Upstream } from "./upstream";
import { repoRoot } from "./locate";
import { NORMALIZE, ENVOY_ADDED_UPSTREAM_HEADERS, type Observed, type Scenario } from "./scenarios";
import { PROBE_NAME, PROBE_VM_ID } from "./probe";

/** How long a request may stay unanswered before it counts as stalled. */
const STALL_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sorts the entries of a rendered map (`{a:1,b:2}`): Envoy's CEL map has no defined order. */
function sortMaps(text: string): string {
  return text.replace(
    /(request\.headers=(?:bytes\d+)?)\{([^}]*)\}/g,
    (_m, key: string, body: string) =>
      `${key}{${body
        .split(",")
        .filter((e) => e !== "")
        .sort()
        .join(",")}}`,
  );
}

export function normalize(text: string): string {
  let out = text;
  for (const [pattern, replacement] of NORMALIZE) out = out.replace(pattern, replacement);
  return sortMaps(out);
}

const DROPPED_RESPONSE = /^(date|server|x-envoy-.*|content-length|transfer-encoding|connection|keep-alive)$/;
/**
 * Headers of what the upstream received that only the in-process host's stand-in router (forward()
 * below) does not send as Envoy's router does; differential.test.ts leaves them out for the host
 * target only, so serve's route and callout requests are compared whole.
 */
export const HOST_UNCOMPARED_UPSTREAM = /^(x-envoy-.*|connection|keep-alive)$/;

function observe(raw: RawResponse, upstream: Observed["upstream"], logs: string[]): Observed {
  const length = raw.headers.find(([k]) => k === "content-length")?.[1];
  const chunked = raw.headers.some(([k, v]) => k === "transfer-encoding" && /chunked/i.test(v));
  const report = raw.headers.find(([k]) => k === "x-probe-report")?.[1] ?? null;
  return {
    stalled: raw.stalled,
    reset: raw.reset ?? false,
    status: raw.status,
    headers: raw.headers
      .filter(([k]) => !DROPPED_RESPONSE.test(k))
      .map(([k, v]) => [k, k === "x-probe-report" ? normalize(v) : v]),
    framing: length ?? (chunked ? "chunked" : "none"),
    body: normalize(raw.body),
    report: report === null ? null : normalize(report),
    upstream,
    logs: logs.filter((l) => l.startsWith("probe ") && !l.startsWith("probe end")).map(normalize),
  };
}

function receivedSince(upstream: Upstream, from: number): Observed["upstream"] {
  return upstream.received.slice(from).map((r) => ({
    method: r.method,
    path: r.path,
    headers: r.headers.filter(([k]) => !ENVOY_ADDED_UPSTREAM_HEADERS.has(k)),
    body: r.body,
  }));
}

const endCount = (lines: string[]) => lines.filter((l) => l.startsWith("probe end")).length;

/** Waits until the target logged the probe's on_log line for one more stream (its logs are then complete). */
async function streamEnded(lines: () => string[], before: number): Promise<void> {
  for (let i = 0; i < 250 && endCount(lines()) <= before; i++) await sleep(20);
}

async function overHttp(
  port: number,
  scenario: Scenario,
  upstream: Upstream,
  lines: () => string[],
): Promise<Observed> {
  const fromUpstream = upstream.received.length;
  const fromLogs = lines().length;
  const ends = endCount(lines());
  const r = scenario.request;
  const raw = await rawRequest(
    port,
    { method: r.method ?? "GET", path: r.path ?? "/", headers: r.headers, body: r.body },
    STALL_MS,
  );
  if (!raw.stalled) await streamEnded(lines, ends);
  return observe(raw, receivedSince(upstream, fromUpstream), lines().slice(fromLogs));
}

export function runInEnvoy(
  envoy: EnvoyProcess,
  port: number,
  scenario: Scenario,
  upstream: Upstream,
): Promise<Observed> {
  return overHttp(port, scenario, upstream, () => envoy.wasmLogs());
}

// ---- @getwild/host in-process ---------------------------------------------------------------------

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

/** What Envoy's router does with the request the filter let through: sends it upstream over HTTP/1.1. */
function forward(
  upstreamUrl: URL,
  request: { headers: { pairs(): Array<[string, string]> } | null; body: Uint8Array },
) {
  return new Promise<{ status: number; headers: Array<[string, string]>; body: Uint8Array }>((resolve, reject) => {
    const pairs = request.headers?.pairs() ?? [];
    const get = (name: string) => pairs.find(([k]) => k === name)?.[1];
    const headers: string[] = ["host", get(":authority") ?? ""];
    for (const [k, v] of pairs) if (!k.startsWith(":")) headers.push(k, latin1(encodeHeaderValue(v)));
    if (request.body.length > 0 && !pairs.some(([k]) => k === "content-length"))
      headers.push("content-length", String(request.body.length));
    const req = http.request({
      host: upstreamUrl.hostname,
      port: upstreamUrl.port,
      method: get(":method"),
      path: get(":path"),
      headers,
      setHost: false,
      agent: false,
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const out: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]!.toLowerCase();
          // Hop-by-hop headers end at Envoy's codec.
          if (!/^(connection|keep-alive|transfer-encoding)$/.test(name))
            out.push([name, decodeHeaderValue(fromLatin1(res.rawHeaders[i + 1]!))]);
        }
        resolve({ status: res.statusCode ?? 0, headers: out, body: new Uint8Array(Buffer.concat(chunks)) });
      });
    });
    req.end(request.body.length > 0 ? Buffer.from(request.body) : undefined);
  });
}

export interface HostTarget {
  host: Host;
  upstreamUrl: URL;
}

export async function startHostTarget(wasm: string, upstreamUrl: URL, deadUrl: URL): Promise<HostTarget> {
  const host = await createHost({
    wasm,
    rootId: "probe",
    name: PROBE_NAME,
    vmId: PROBE_VM_ID,
    clusters: ["backend", "live", "dead", "unhealthy", { name: "empty", hosts: 0 }],
    httpCallHandler: fetchCallHandler({ live: upstreamUrl.href, dead: deadUrl.href, unhealthy: deadUrl.href }),
    clock: new SystemClock(),
  });
  return { host, upstreamUrl };
}

export async function runInHost(target: HostTarget, scenario: Scenario, upstream: Upstream): Promise<Observed> {
  const { host } = target;
  const fromUpstream = upstream.received.length;
  const fromLogs = host.logRecords.length;
  const r = scenario.request;
  const authority = r.headers.find(([k]) => k === "host")?.[1];
  const headers = r.headers
    .filter(([k]) => k !== "host")
    .map(([k, v]) => [k, decodeHeaderValue(fromLatin1(v))] as [string, string]);
  const result = await Promise.race([
    host.request({ method: r.method ?? "GET", path: r.path ?? "/", authority, headers, body: r.body }, (req) =>
      forward(target.upstreamUrl, req),
    ),
    sleep(STALL_MS).then(() => null),
  ]);
  const stalled = result === null || result.stalled;
  const raw: RawResponse = stalled
    ? { stalled: true, status: 0, headers: [], framing: "none", body: "" }
    : {
        stalled: false,
        reset: result!.reset !== null,
        status: result!.status,
        headers: result!.headers
          .pairs()
          .filter(([k]) => k !== ":status")
          .map(([k, v]) => [k, latin1(encodeHeaderValue(v))]),
        framing: "none",
        body: latin1(result!.body),
      };
  const logs = host.logRecords
    .slice(fromLogs)
    .filter((l) => l.worker >= 0)
    .map((l) => l.message);
  const observed = observe(raw, receivedSince(upstream, fromUpstream), logs);
  observed.framing = "none"; // no wire here: framing is compared with serve
  return observed;
}

// ---- getwild serve (the CLI) -----------------------------------------------------------------------

export interface ServeTarget {
  port: number;
  lines: string[];
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServeTarget(wasm: string, upstreamUrl: URL, deadUrl: URL): Promise<ServeTarget> {
  const cli = join(repoRoot, "packages", "host", "dist", "cli.js");
  const args = [
    cli,
    "serve",
    "--filter",
    wasm,
    "--root-id",
    "probe",
    "--vm-id",
    PROBE_VM_ID,
    "--port",
    "0",
    "--upstream",
    upstreamUrl.origin,
  ];
  for (const [name, url] of [
    ["backend", upstreamUrl],
    ["live", upstreamUrl],
    ["dead", deadUrl],
    ["unhealthy", deadUrl],
  ] as const) {
    args.push("--cluster", `${name}=${url.origin}`);
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let pending = "";
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (text: string) => {
      pending += text;
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        lines.push(line);
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
        if (m) resolve(Number(m[1]));
      }
    };
    child.stdout!.setEncoding("latin1").on("data", onData);
    child.stderr!.setEncoding("latin1").on("data", (t: string) => lines.push(t));
    child.on("exit", (code) => reject(new Error(`getwild serve exited (${code}):\n${lines.join("\n")}`)));
  });
  return {
    port,
    lines,
    child,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

const SERVE_LOG = /^\[\w+\] wasm log [^ ]+ \(worker \d+\): (.*)$/;

export function runInServe(target: ServeTarget, scenario: Scenario, upstream: Upstream): Promise<Observed> {
  const logs = () => target.lines.map((l) => SERVE_LOG.exec(l)?.[1]).filter((m): m is string => m !== undefined);
  return overHttp(target.port, scenario, upstream, logs);
}
