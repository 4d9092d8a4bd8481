// SPDX-License-Identifier: Apache-2.0
// A filter we did not write with our SDK: tests/envoy/fixtures/go-filter, on proxy-wasm-go-sdk, built
// by Go's own wasip1 target. The same requests go through Envoy and through @getwild/host, and the
// client-visible results must be the same: status, response headers (minus what Envoy's codec and
// router add: date, server, x-envoy-upstream-service-time), body, what the upstream received, and the
// filter's log lines.
//
// What this showed (and the host now does the same, see packages/host/README.md):
// - Envoy 1.40 links cpp-host#427's WASI imports and allows #533's start-up calls: the Go runtime calls
//   poll_oneoff, fd_fdstat_get and fd_fdstat_set_flags from `_initialize`. The host's default WASI
//   set ("cpp-host-head") does the same; `wasi: "stable"` (Envoy before 1.33) refuses the module:
//   missing wasi_snapshot_preview1.sched_yield.
// - The Go runtime refuses to start when the monotonic clock reads 0 ("nanotime returning zero").
// - A local reply sent from on_request_headers passes through the sender's own on_response_headers
//   in Envoy (x-go-filter is on the 403), as the host's default localReplyThroughFilter does.
// - Envoy starts the plugin once more than the host: with one worker, on_configure runs for the
//   canary, for the main thread's VM and for the worker (3 times); the host runs canary + worker (2).
// - A callout made with the Go SDK (DispatchHttpCall, reply read and answered from its callback)
//   gives the same answer, and the call carries the same headers (fetchCallHandler adds
//   x-envoy-internal and x-envoy-expected-rq-timeout-ms as Envoy does, and no connection header).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHost, fetchCallHandler, type Host } from "@getwild/host";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { fixtureBootstrap } from "../lib/fixture_bootstrap";
import { buildGoFilter, goAvailability } from "../lib/go_fixture";
import { startHttpbin, type Httpbin, type HttpbinRequest } from "../lib/httpbin";
import { startUpstream, type Upstream } from "../lib/upstream";

const go = goAvailability(); // throws when CI is set and there is no `go`
if (!go.ok) console.log(`foreign SDK test: SKIPPED, ${go.reason}`);

const PLUGIN_CONFIG = "tag-1";
const STARTED = `go-filter: started with tag "${PLUGIN_CONFIG}"`;
const UPSTREAM_BODY = "from the upstream\n";
const UPSTREAM_HEADERS = {
  "content-type": "text/plain",
  "content-length": String(UPSTREAM_BODY.length),
  "x-upstream": "yes",
};
/** Headers Envoy adds on its own (codec and router), not the filter's doing. */
const ENVOY_ONLY = new Set(["date", "server", "x-envoy-upstream-service-time"]);

interface Scenario {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: "a GET with x-trace reaches the upstream and gets x-go-filter",
    method: "GET",
    path: "/hello",
    headers: { "x-trace": "t-1" },
  },
  {
    name: "/forbidden is answered 403 by the filter",
    method: "GET",
    path: "/forbidden",
    headers: { "x-trace": "t-2" },
  },
  {
    name: "a POST without x-trace reaches the upstream with its body",
    method: "POST",
    path: "/items",
    headers: {},
    body: "payload",
  },
  // Large enough to reach the filter in several chunks in Envoy: the filter pauses until the end.
  {
    name: "a 256 KiB PUT is read whole by the filter once it ended",
    method: "PUT",
    path: "/big",
    headers: { "x-trace": "t-3" },
    body: "0123456789abcdef".repeat(16384),
  },
];

interface Observed {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  upstream: { method: string; path: string; body: string; trace: string | undefined } | null;
  logs: string[];
}

const sortHeaders = (pairs: Array<[string, string]>) =>
  pairs.filter(([name]) => !ENVOY_ONLY.has(name) && !name.startsWith(":")).sort();

async function throughEnvoy(
  envoy: EnvoyProcess,
  url: string,
  upstream: Upstream,
  scenario: Scenario,
  expectedLogs: string[],
): Promise<Observed> {
  const logsBefore = envoy.wasmLogs().length;
  const reached = upstream.received.length;
  const response = await fetch(`${url}${scenario.path}`, {
    method: scenario.method,
    headers: scenario.headers,
    body: scenario.body,
  });
  const body = await response.text();
  // The filter's log lines reach Envoy's log asynchronously; wait for the last one the host logged.
  if (expectedLogs.length > 0) await envoy.waitForLog(new RegExp(`wasm log.*: ${escape(expectedLogs.at(-1)!)}$`));
  const received = upstream.received.length > reached ? upstream.received.at(-1)! : null;
  return {
    status: response.status,
    headers: sortHeaders([...response.headers]),
    body,
    upstream: received && {
      method: received.method,
      path: received.path,
      body: received.body,
      trace: received.headers.find(([n]) => n === "x-trace")?.[1],
    },
    logs: envoy.wasmLogs().slice(logsBefore),
  };
}

async function throughHost(host: Host, scenario: Scenario): Promise<Observed> {
  const logsBefore = host.logRecords.length;
  const result = await host.request(
    { method: scenario.method, path: scenario.path, headers: scenario.headers, body: scenario.body },
    { status: 200, headers: UPSTREAM_HEADERS, body: UPSTREAM_BODY },
  );
  const sent = result.upstreamRequest;
  return {
    status: result.status,
    headers: sortHeaders(
      Object.entries(result.headers.toObject()).flatMap(([n, v]) =>
        Array.isArray(v) ? v.map((x) => [n, x] as [string, string]) : [[n, v] as [string, string]],
      ),
    ),
    body: result.bodyText,
    upstream: sent && {
      method: sent.headers.get(":method") ?? "",
      path: sent.headers.get(":path") ?? "",
      body: new TextDecoder().decode(sent.body),
      trace: sent.headers.get("x-trace") ?? undefined,
    },
    logs: host.logRecords.slice(logsBefore).map((record) => record.message),
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

envoyDescribe("a proxy-wasm-go-sdk filter in Envoy and in @getwild/host", () => {
  describe.skipIf(!go.ok)(go.ok ? go.version : "no go", () => {
    let wasm: string;
    let upstream: Upstream;
    let envoy: EnvoyProcess;
    let url: string;
    let host: Host;
    let httpbin: Httpbin;

    beforeAll(async () => {
      wasm = buildGoFilter();
      httpbin = await startHttpbin();
      upstream = await startUpstream((_request, response) => {
        response.writeHead(200, UPSTREAM_HEADERS);
        response.end(UPSTREAM_BODY);
      });
      envoy = await startEnvoy({
        envoy: envoyPath(),
        bootstrap: fixtureBootstrap({
          wasm,
          rootId: "go-filter",
          backend: upstream,
          configuration: PLUGIN_CONFIG,
          clusters: { httpbin },
        }),
      });
      url = await envoy.url();
      host = await createHost({
        wasm,
        rootId: "go-filter",
        pluginConfig: PLUGIN_CONFIG,
        clusters: ["httpbin"],
        httpCallHandler: fetchCallHandler({ httpbin: `http://127.0.0.1:${httpbin.port}` }),
      });
    });
    afterAll(async () => {
      await envoy?.stop();
      await upstream?.close();
      await httpbin?.close();
    });

    it.each(SCENARIOS)("$name: same status, headers, body, upstream request and logs", async (scenario) => {
      const emulated = await throughHost(host, scenario);
      const real = await throughEnvoy(envoy, url, upstream, scenario, emulated.logs);
      expect(emulated).toEqual(real);
      // And what the filter is meant to do, so that two equally wrong answers cannot pass.
      if (scenario.path === "/forbidden") {
        expect(real.status).toBe(403);
        expect(real.body).toBe("denied by the go filter\n");
        expect(real.headers).toContainEqual(["x-denied-by", "go-filter"]);
        expect(real.upstream).toBeNull();
      } else {
        expect(real.status).toBe(200);
        expect(real.body).toBe(UPSTREAM_BODY);
        expect(real.upstream).toEqual({
          method: scenario.method,
          path: scenario.path,
          body: scenario.body ?? "",
          trace: scenario.headers["x-trace"],
        });
      }
      expect(real.headers).toContainEqual(["x-go-filter", PLUGIN_CONFIG]);
      const trace = scenario.headers["x-trace"];
      const bodyLog = scenario.body
        ? [`go-filter: request body ${scenario.body.length} bytes: ${scenario.body.slice(0, 16)}`]
        : [];
      expect(real.logs).toEqual([
        trace ? `go-filter: x-trace=${trace}` : "go-filter: no x-trace (error status returned by host: not found)",
        ...bodyLog,
      ]);
    });

    it("answers /callout with the reply of its callout to the httpbin cluster in both", async () => {
      const scenario: Scenario = { name: "callout", method: "GET", path: "/callout", headers: { "x-trace": "t-4" } };
      const emulated = await throughHost(host, scenario);
      const hostCall = httpbin.received.at(-1)!;
      const hostReply = httpbin.sent.at(-1)!;
      const real = await throughEnvoy(envoy, url, upstream, scenario, emulated.logs);
      const envoyCall = httpbin.received.at(-1)!;
      const envoyReply = httpbin.sent.at(-1)!;
      // Each relays the uuid its own call got; everything else is the same.
      expect(httpbin.sent.length).toBeGreaterThanOrEqual(2);
      expect(emulated.body).toBe(hostReply);
      expect(real.body).toBe(envoyReply);
      expect({ ...emulated, body: "" }).toEqual({ ...real, body: "" });
      expect(real.status).toBe(200);
      expect(real.headers).toContainEqual(["x-callout-status", "200"]);
      expect(real.upstream).toBeNull();
      expect(real.logs).toEqual([
        "go-filter: x-trace=t-4",
        `go-filter: callout answered 200 with ${envoyReply.length} bytes`,
      ]);
      // The call as the stand-in got it, headers in order (Envoy's router adds the x-envoy-* ones).
      const essentials = (call: HttpbinRequest) => ({ method: call.method, path: call.path, headers: call.headers });
      expect(essentials(hostCall)).toEqual(essentials(envoyCall));
      expect(essentials(envoyCall)).toMatchObject({
        method: "GET",
        path: "/uuid",
        headers: [
          ["host", "httpbin.org"],
          ["accept", "application/json"],
          ["x-envoy-internal", "true"],
          ["x-envoy-expected-rq-timeout-ms", expect.stringMatching(/^\d+$/)],
        ],
      });
    });

    it("counts every request in its metric in both (Envoy: wasmcustom.go_filter.requests)", async () => {
      const requests = SCENARIOS.length + 1; // and /callout
      expect((await envoy.stats())["wasmcustom.go_filter.requests"]).toBe(requests);
      expect(host.metric("go_filter.requests")).toBe(requests);
    });

    it("starts the plugin with its configuration in both (Envoy once more: its main thread's VM)", () => {
      const envoyStarts = envoy.wasmLogs().filter((line) => line === STARTED).length;
      const hostStarts = host.logRecords.filter((record) => record.message === STARTED).length;
      expect(envoyStarts).toBe(3); // canary, main thread, one worker (--concurrency 1)
      expect(hostStarts).toBe(2); // canary, one worker
    });
  });
});
