// SPDX-License-Identifier: Apache-2.0
// Differential: every row of lib/scenarios.ts runs against real Envoy, @getwild/host (createHost)
// and `getwild serve`, with the probe filter. Envoy's observations must match the row's
// expectations (so a change in Envoy shows up here), and each host must observe exactly what
// Envoy did, except for the fields a row lists as a documented departure (host README, Fidelity).
// Metric values are compared at the end (Envoy's admin /stats against the host's metrics).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { startUpstream, type Upstream, type ReceivedRequest } from "../lib/upstream";
import { unusedPort } from "../lib/ports";
import { buildProbe, probeBootstrap } from "../lib/probe";
import {
  SCENARIOS,
  TARGET_DEPARTURES,
  UPSTREAM_PATHS,
  ENVOY_ADDED_UPSTREAM_HEADERS,
  type Observed,
  type Scenario,
  type Target,
} from "../lib/scenarios";
import {
  runInEnvoy,
  runInHost,
  runInServe,
  startHostTarget,
  startServeTarget,
  HOST_UNCOMPARED_UPSTREAM,
  type HostTarget,
  type ServeTarget,
} from "../lib/targets";
import type { ServerResponse } from "node:http";

/** Answers `upstream <METHOD> <path>[ <body>]`, except the paths that stall or reset. */
function upstreamBehaviour(request: ReceivedRequest, response: ServerResponse): void {
  if (request.path === UPSTREAM_PATHS.stall) return;
  if (request.path === UPSTREAM_PATHS.reset) {
    response.socket?.destroy();
    return;
  }
  if (request.path === UPSTREAM_PATHS.slow) {
    setTimeout(() => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end(`upstream ${request.method} ${request.path}`);
    }, 100);
    return;
  }
  if (request.path === UPSTREAM_PATHS.twoChunks) {
    response.writeHead(200, { "content-type": "text/plain" });
    response.write("first chunk;");
    setTimeout(() => response.end("second chunk"), 50);
    return;
  }
  response.writeHead(200, { "content-type": "text/plain" });
  response.end(`upstream ${request.method} ${request.path}${request.body === "" ? "" : ` ${request.body}`}`);
}

/** The Envoy observation with the fields a target documents as departures removed, and the same for the target's. */
function comparable(observed: Observed, scenario: Scenario, target: Target): Partial<Observed> {
  const whole = TARGET_DEPARTURES[target];
  const out: Partial<Observed> = whole ? whole.apply(observed) : { ...observed };
  const departure = scenario.departures?.[target];
  const fields = departure?.fields ?? [];
  for (const field of fields) delete out[field];
  if (departure?.replace) {
    const [pattern, replacement] = departure.replace;
    const fix = (text: string) => text.replace(pattern, replacement);
    if (out.report) out.report = fix(out.report);
    if (out.body !== undefined) out.body = fix(out.body);
    out.logs = out.logs?.map(fix);
    out.headers = out.headers?.map(([k, v]) => [k, fix(v)]);
  }
  if (fields.includes("report")) out.headers = out.headers?.filter(([k]) => k !== "x-probe-report");
  if (target === "host") {
    delete out.framing; // no wire in-process
    out.upstream = out.upstream?.map((r) => ({
      ...r,
      headers: r.headers.filter(([k]) => !HOST_UNCOMPARED_UPSTREAM.test(k)),
    }));
  }
  return out;
}

envoyDescribe("differential: Envoy vs @getwild/host vs getwild serve", () => {
  let upstream: Upstream;
  let envoy: EnvoyProcess;
  let envoyPort: number;
  let host: HostTarget;
  let serve: ServeTarget;
  const envoySeen = new Map<string, Observed>();

  beforeAll(async () => {
    const wasm = await buildProbe();
    upstream = await startUpstream(upstreamBehaviour);
    const deadPort = await unusedPort();
    const upstreamUrl = new URL(`http://${upstream.address}:${upstream.port}`);
    const deadUrl = new URL(`http://127.0.0.1:${deadPort}`);
    envoy = await startEnvoy({ envoy: envoyPath(), bootstrap: probeBootstrap(upstream, deadPort, wasm) });
    envoyPort = Number(new URL(await envoy.url()).port);
    host = await startHostTarget(wasm, upstreamUrl, deadUrl);
    serve = await startServeTarget(wasm, upstreamUrl, deadUrl);
  });

  afterAll(async () => {
    await envoy?.stop();
    await serve?.stop();
    host?.host.close();
    await upstream?.close();
  });

  describe.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    it(`Envoy: ${scenario.shows}`, async () => {
      const seen = await runInEnvoy(envoy, envoyPort, scenario, upstream);
      envoySeen.set(scenario.name, seen);
      const { reportIncludes, upstreamCount, ...fields } = scenario.expect;
      expect(seen).toMatchObject(fields);
      if (upstreamCount !== undefined) expect(seen.upstream).toHaveLength(upstreamCount);
      for (const part of reportIncludes ?? []) expect(seen.report ?? seen.body).toContain(part);
    });

    for (const target of ["host", "serve"] as const) {
      const skip = scenario.skip?.[target];
      it.skipIf(skip !== undefined)(
        `${target} observes what Envoy did${skip ? ` (skipped: ${skip})` : ""}`,
        async () => {
          const seen =
            target === "host" ? await runInHost(host, scenario, upstream) : await runInServe(serve, scenario, upstream);
          const inEnvoy = envoySeen.get(scenario.name);
          expect(inEnvoy, "the Envoy row ran first").toBeDefined();
          expect(comparable(seen, scenario, target)).toEqual(comparable(inEnvoy!, scenario, target));
        },
      );
    }
  });

  it("documented departure: Envoy's connection manager adds x-request-id and x-forwarded-proto before the filter, the host does not", async () => {
    const pass = SCENARIOS.find((s) => s.name === "pass")!;
    const added = (from: number) =>
      upstream.received
        .slice(from)
        .flatMap((r) => r.headers.map(([k]) => k))
        .filter((k) => ENVOY_ADDED_UPSTREAM_HEADERS.has(k));
    let from = upstream.received.length;
    await runInEnvoy(envoy, envoyPort, pass, upstream);
    expect(added(from).sort()).toEqual(["x-forwarded-proto", "x-request-id"]);
    from = upstream.received.length;
    await runInHost(host, pass, upstream);
    expect(added(from)).toEqual([]);
  });

  it("callout requests: the cluster receives the same headers, in the same order, from Envoy, createHost (fetchCallHandler) and serve (x-envoy-* and connection included)", async () => {
    const post = SCENARIOS.find((s) => s.name === "callout-post")!;
    const calloutHeaders = async (run: () => Promise<Observed>) => {
      const from = upstream.received.length;
      await run();
      return upstream.received
        .slice(from)
        .filter((r) => r.headers.some(([k]) => k === "x-probe-callout"))
        .map((r) => r.headers);
    };
    const inEnvoy = await calloutHeaders(() => runInEnvoy(envoy, envoyPort, post, upstream));
    expect(inEnvoy).toEqual([
      [
        ["host", "probe-callout"],
        ["x-probe-callout", "1"],
        ["content-length", "5"],
        ["x-envoy-internal", "true"],
        ["x-envoy-expected-rq-timeout-ms", "5000"],
      ],
    ]);
    expect(await calloutHeaders(() => runInHost(host, post, upstream))).toEqual(inEnvoy);
    expect(await calloutHeaders(() => runInServe(serve, post, upstream))).toEqual(inEnvoy);
  });

  it("metric values: Envoy's /stats (wasmcustom.<name>) equal the host's metrics", async () => {
    const stats = await envoy.stats();
    // Histograms reach the admin output at Envoy's stats flush (every 5 s by default).
    let histogram = "";
    for (let i = 0; i < 100 && !/P0\(/.test(histogram); i++) {
      histogram = await (await fetch(`${envoy.adminUrl}/stats?filter=wasmcustom.probe_histogram`)).text();
      if (!/P0\(/.test(histogram)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stats["wasmcustom.probe_counter"]).toBe(8);
    expect(stats["wasmcustom.probe_gauge"]).toBe(5);
    expect(histogram).toMatch(/wasmcustom\.probe_histogram: P0\(42(\.5)?,42(\.5)?\)/);
    expect(host.host.metric("probe_counter")).toBe(stats["wasmcustom.probe_counter"]);
    expect(host.host.metric("probe_gauge")).toBe(stats["wasmcustom.probe_gauge"]);
    expect(host.host.histogram("probe_histogram")).toEqual([42]);
  });
});
