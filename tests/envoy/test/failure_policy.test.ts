// SPDX-License-Identifier: Apache-2.0
// Envoy's failure_policy after a filter traps, with the trap fixture (tests/envoy/fixtures/trap: a
// request with `x-trap: 1` executes `unreachable`; every response it passes carries `x-vm-served: N`,
// the count of requests that VM instance has passed). One Envoy (one worker) per policy.
//
// Observed in Envoy 1.40 (V8), which the host emulator should match:
// - The trapping request itself gets 503 with an EMPTY body and `content-length: 0`, response code
//   details `wasm_fail_stream`, under every policy (FAIL_OPEN too: only later requests skip the filter).
//   Envoy logs "Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable".
// - FAIL_CLOSED: every later request gets that same 503 (wasm_fail_stream) and never reaches the
//   upstream, for good (checked here past FAIL_RELOAD's back-off).
// - FAIL_OPEN: every later request skips the filter (no x-vm-served) and reaches the upstream; the
//   filter is gone, so a later `x-trap: 1` passes too.
//   The same sequence runs in @getwild/host (createHost with the same fixture) and must match.
// - FAIL_RELOAD: later requests get the 503 (wasm_fail_stream) for a back-off of about one second
//   (1.05-1.25 s measured, default reload_config; each such request counts in
//   `wasm.<plugin>.vm_reload_backoff`), then the first request after it runs on a fresh VM (start-up
//   and on_configure run again, `wasm.<plugin>.vm_reload_success` counts it, x-vm-served restarts at
//   1) and is served. The back-off does not grow after a successful reload: the next trap again
//   costs about one second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { createHost } from "@getwild/host";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { buildAscFixture } from "../lib/fixtures";
import { ACCESS_LINE, fixtureBootstrap, type FailurePolicy } from "../lib/fixture_bootstrap";
import { startUpstream, type Upstream } from "../lib/upstream";

/**
 * FAIL_RELOAD's back-off, as the client can bound it from below: Envoy's default is 1 s from the trap,
 * and the test starts counting only when the trapping request's 503 has arrived, so allow for that.
 */
const RELOAD_BACKOFF_AT_LEAST_MS = 900;
/** How long FAIL_CLOSED is watched: longer than any FAIL_RELOAD back-off seen (1.05-1.25 s). */
const FAIL_CLOSED_WATCH_MS = 1600;
/** Past any back-off seen (a bound for the polling loop only, not an assertion). */
const POLL_LIMIT_MS = 10_000;

interface Answer {
  status: number;
  /** x-vm-served: null when the filter did not see the response. */
  served: string | null;
  body: string;
  contentLength: string | null;
}

async function send(url: string, trap = false): Promise<Answer> {
  const response = await fetch(`${url}/item`, { headers: trap ? { "x-trap": "1" } : {} });
  return {
    status: response.status,
    served: response.headers.get("x-vm-served"),
    body: await response.text(),
    contentLength: response.headers.get("content-length"),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The response code details of every request so far, once `count` access-log lines are there. */
async function accessDetails(envoy: EnvoyProcess, count: number): Promise<string[]> {
  const lines = () => envoy.logs.map((line) => ACCESS_LINE.exec(line)).filter((m) => m !== null);
  for (let waited = 0; lines().length < count && waited < 5_000; waited += 20) await sleep(20);
  return lines().map((m) => `${m![1]} ${m![2]}`);
}

const TRAP_LOG = /Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable/;

envoyDescribe("failure policies in Envoy after a trap", () => {
  let wasm: string;
  let upstream: Upstream;

  beforeAll(async () => {
    wasm = await buildAscFixture("trap", "build/trap.wasm");
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
  });

  function envoyWith(policy: FailurePolicy): { get: () => { envoy: EnvoyProcess; url: string } } {
    let envoy: EnvoyProcess;
    let url: string;
    beforeAll(async () => {
      envoy = await startEnvoy({
        envoy: envoyPath(),
        bootstrap: fixtureBootstrap({
          wasm,
          rootId: "trap",
          backend: upstream,
          failurePolicy: policy,
          accessLog: true,
        }),
        // Access-log lines are flushed every 10 s by default; the test reads them at once.
        extraArgs: ["--file-flush-interval-msec", "20"],
      });
      url = await envoy.url();
    });
    afterAll(async () => {
      await envoy?.stop();
    });
    return { get: () => ({ envoy, url }) };
  }

  describe("FAIL_CLOSED", () => {
    const proxy = envoyWith("FAIL_CLOSED");

    it("answers 503 wasm_fail_stream to the trapping request and to every later one, past FAIL_RELOAD's back-off", async () => {
      const { envoy, url } = proxy.get();
      expect(await send(url)).toEqual({ status: 200, served: "1", body: "upstream", contentLength: null });
      const reached = upstream.received.length;
      expect(await send(url, true)).toEqual({ status: 503, served: null, body: "", contentLength: "0" });
      await envoy.waitForLog(TRAP_LOG);
      const started = Date.now();
      let later = 0;
      while (Date.now() - started < FAIL_CLOSED_WATCH_MS) {
        expect(await send(url)).toEqual({ status: 503, served: null, body: "", contentLength: "0" });
        later++;
        await sleep(50);
      }
      expect(upstream.received.length).toBe(reached);
      expect(await accessDetails(envoy, 2 + later)).toEqual([
        "200 via_upstream",
        ...Array(1 + later).fill("503 wasm_fail_stream"),
      ]);
    });
  });

  describe("FAIL_OPEN", () => {
    const proxy = envoyWith("FAIL_OPEN");

    it("answers 503 to the trapping request, then sends every request to the upstream without the filter", async () => {
      const { envoy, url } = proxy.get();
      expect((await send(url)).served).toBe("1");
      expect(await send(url, true)).toEqual({ status: 503, served: null, body: "", contentLength: "0" });
      await envoy.waitForLog(TRAP_LOG);
      const reached = upstream.received.length;
      for (const trap of [false, false, true, false]) {
        // The filter is skipped, so even `x-trap: 1` passes.
        expect(await send(url, trap)).toEqual({ status: 200, served: null, body: "upstream", contentLength: null });
      }
      expect(upstream.received.length).toBe(reached + 4);
      expect(await accessDetails(envoy, 6)).toEqual([
        "200 via_upstream",
        "503 wasm_fail_stream",
        ...Array(4).fill("200 via_upstream"),
      ]);
    });

    it("@getwild/host does the same: 503 wasm_fail_stream for the trapping request, then the filter is skipped", async () => {
      const host = await createHost({ wasm, rootId: "trap", failurePolicy: "FAIL_OPEN", canary: false });
      const answer = async (trap = false) => {
        const r = await host.request(
          { path: "/item", headers: trap ? { "x-trap": "1" } : {} },
          { status: 200, body: "upstream" },
        );
        return {
          status: r.status,
          served: r.headers.get("x-vm-served") ?? null,
          body: r.bodyText,
          details: r.stream.responseCodeDetails,
          upstream: r.upstreamRequest !== null,
        };
      };
      try {
        expect((await answer()).served).toBe("1");
        expect(await answer(true)).toEqual({
          status: 503,
          served: null,
          body: "",
          details: "wasm_fail_stream",
          upstream: false,
        });
        for (const trap of [false, false, true, false]) {
          expect(await answer(trap)).toEqual({
            status: 200,
            served: null,
            body: "upstream",
            details: "via_upstream",
            upstream: true,
          });
        }
      } finally {
        host.close();
      }
    });
  });

  describe("FAIL_RELOAD", () => {
    const proxy = envoyWith("FAIL_RELOAD");

    /** Traps the VM, then polls until a request is served again; what happened in between. */
    async function trapAndWaitForReload(
      url: string,
    ): Promise<{ refused: Answer[]; served: Answer; elapsedMs: number }> {
      expect(await send(url, true)).toEqual({ status: 503, served: null, body: "", contentLength: "0" });
      const started = Date.now();
      const refused: Answer[] = [];
      for (;;) {
        const answer = await send(url);
        if (answer.status !== 503) return { refused, served: answer, elapsedMs: Date.now() - started };
        refused.push(answer);
        if (Date.now() - started > POLL_LIMIT_MS) throw new Error(`no reload after ${POLL_LIMIT_MS} ms`);
        await sleep(20);
      }
    }

    it("answers 503 during a back-off of at least a second, then serves the next request on a fresh VM", async () => {
      const { envoy, url } = proxy.get();
      expect((await send(url)).served).toBe("1");
      expect((await send(url)).served).toBe("2");
      const configured = envoy.wasmLogs().filter((line) => line === "trap fixture: configured").length;

      const first = await trapAndWaitForReload(url);
      expect(first.refused.length).toBeGreaterThan(0);
      expect(first.refused.every((a) => a.body === "" && a.contentLength === "0" && a.served === null)).toBe(true);
      expect(first.elapsedMs).toBeGreaterThanOrEqual(RELOAD_BACKOFF_AT_LEAST_MS);
      expect(first.served).toEqual({ status: 200, served: "1", body: "upstream", contentLength: null });
      expect(envoy.wasmLogs().filter((line) => line === "trap fixture: configured").length).toBe(configured + 1);

      // After a successful reload the back-off starts again from its base.
      const second = await trapAndWaitForReload(url);
      expect(second.elapsedMs).toBeGreaterThanOrEqual(RELOAD_BACKOFF_AT_LEAST_MS);
      expect(second.served.served).toBe("1");
      console.log(
        `FAIL_RELOAD: reloaded after ${first.elapsedMs} ms (${first.refused.length} requests refused), then ${second.elapsedMs} ms (${second.refused.length})`,
      );

      const refusedTotal = first.refused.length + second.refused.length;
      const details = await accessDetails(envoy, 2 + 2 + refusedTotal + 2);
      expect(details.filter((d) => d === "503 wasm_fail_stream").length).toBe(2 + refusedTotal);
      const stats = await envoy.stats();
      expect(stats["wasm.trap.vm_reload_success"]).toBe(2);
      expect(stats["wasm.trap.vm_reload_backoff"]).toBe(refusedTotal);
    });
  });
});
