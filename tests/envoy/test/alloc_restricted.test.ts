// SPDX-License-Identifier: Apache-2.0
// A host call from inside the guest's allocator that the allocator may not make (cpp-host allows
// only logging, fd_write and the clock there), with tests/envoy/fixtures/alloc-restricted: its
// proxy_on_memory_allocate calls proxy_get_current_time_nanoseconds, and its proxy_on_vm_start asks
// for a property, which the host hands back in memory from that allocator. The same module runs in
// Envoy and in @getwild/host, under FAIL_CLOSED and FAIL_OPEN, and both must observe the same.
//
// Observed in Envoy 1.40 (V8):
// - The allocator traps ("Function: proxy_on_memory_allocate failed: Uncaught Error:
//   restricted_callback" in Envoy's log) and the VM is failed, but the callback that needed the
//   memory is not: proxy_get_property answers InvalidMemoryAccess (6) and proxy_on_vm_start runs on
//   and returns true. Envoy starts (no configuration error); proxy_on_configure never runs.
// - Requests meet the failure policy: FAIL_CLOSED answers 503 wasm_fail_stream with an empty body,
//   FAIL_OPEN skips the filter and the request reaches the upstream.
// (The same happens when the allocator first traps in proxy_on_configure: checked by hand, not here.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { createHost } from "@getwild/host";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { buildAscFixture } from "../lib/fixtures";
import { ACCESS_LINE, fixtureBootstrap, type FailurePolicy } from "../lib/fixture_bootstrap";
import { startUpstream, type Upstream } from "../lib/upstream";

const ALLOCATOR_FAILED = "Function: proxy_on_memory_allocate failed: Uncaught Error: restricted_callback";
const ROOT_ID = "alloc";

/** What one side observed: the VM failure, the filter's own log lines (each once) and one request's answer. */
interface Observed {
  failure: string;
  logs: string[];
  status: number;
  body: string;
  details: string;
  reachedUpstream: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inEnvoy(wasm: string, upstream: Upstream, policy: FailurePolicy): Promise<Observed> {
  let envoy: EnvoyProcess | undefined;
  try {
    envoy = await startEnvoy({
      envoy: envoyPath(),
      bootstrap: fixtureBootstrap({ wasm, rootId: ROOT_ID, backend: upstream, failurePolicy: policy, accessLog: true }),
      // Access-log lines are flushed every 10 s by default; the test reads them at once.
      extraArgs: ["--file-flush-interval-msec", "20"],
    });
    const before = upstream.received.length;
    const response = await fetch(`${await envoy.url()}/item`);
    const body = await response.text();
    const access = () => envoy!.logs.map((line) => ACCESS_LINE.exec(line)).find((m) => m !== null);
    for (let waited = 0; access() === undefined && waited < 5_000; waited += 20) await sleep(20);
    const failure = envoy.logs.find((line) => line.includes("proxy_on_memory_allocate failed")) ?? "";
    return {
      failure: failure.slice(failure.indexOf("Function: ")),
      // Envoy starts the plugin once more than the host (its main thread's VM): compare each line once.
      logs: [...new Set(envoy.wasmLogs())],
      status: response.status,
      body,
      details: access()?.[2] ?? "no access-log line",
      reachedUpstream: upstream.received.length > before,
    };
  } finally {
    await envoy?.stop();
  }
}

async function inHost(wasm: string, policy: FailurePolicy): Promise<Observed> {
  const host = await createHost({ wasm, rootId: ROOT_ID, failurePolicy: policy });
  try {
    const r = await host.request({ path: "/item" }, { status: 200, body: "upstream" });
    return {
      failure: host.failures[0]?.message ?? "",
      logs: [...new Set(host.logRecords.map((record) => record.message))],
      status: r.status,
      body: r.bodyText,
      details: r.stream.responseCodeDetails ?? "",
      reachedUpstream: r.upstreamRequest !== null,
    };
  } finally {
    host.close();
  }
}

envoyDescribe("a host call from inside the allocator (Envoy vs @getwild/host)", () => {
  let wasm: string;
  let upstream: Upstream;

  beforeAll(async () => {
    wasm = await buildAscFixture("alloc-restricted", "build/alloc_restricted.wasm");
    upstream = await startUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
  });

  const expected: Record<"FAIL_CLOSED" | "FAIL_OPEN", Pick<Observed, "status" | "details" | "reachedUpstream">> = {
    FAIL_CLOSED: { status: 503, details: "wasm_fail_stream", reachedUpstream: false },
    FAIL_OPEN: { status: 200, details: "via_upstream", reachedUpstream: true },
  };

  describe.each(Object.entries(expected))("%s", (policy, answer) => {
    let envoySaw: Observed;

    it("Envoy starts with the VM failed by the allocator, on_vm_start ran on, on_configure did not; the request meets the policy", async () => {
      envoySaw = await inEnvoy(wasm, upstream, policy as FailurePolicy);
      expect(envoySaw).toMatchObject({
        failure: ALLOCATOR_FAILED,
        logs: ["vm_start: proxy_get_property answered 6"],
        ...answer,
      });
      if (policy === "FAIL_CLOSED") expect(envoySaw.body).toBe("");
    });

    it("@getwild/host observes the same", async () => {
      expect(envoySaw, "the Envoy case ran first").toBeDefined();
      const hostSaw = await inHost(wasm, policy as FailurePolicy);
      // The upstream stand-ins differ (startUpstream's answer, the host's given one): compare the body on a 503 only.
      if (policy === "FAIL_OPEN") {
        hostSaw.body = "";
        envoySaw.body = "";
      }
      expect(hostSaw).toEqual(envoySaw);
    });
  });
});
