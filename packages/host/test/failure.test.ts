// SPDX-License-Identifier: Apache-2.0
// Traps and failure policies: fail closed (503 wasm_fail_stream for every later stream), fail open (filter skipped), reload.
import { describe, expect, it } from "vitest";
import { filterHost, req } from "./helpers.js";

describe("traps", () => {
  it("marks the VM failed, surfaces the trap and the abort handler's critical log", async () => {
    const host = await filterHost({ canary: false, rootId: "test" });
    const s = host.newHttpStream();
    expect(s.sendRequestHeaders(req("trap"), { endOfStream: true })).toBe("Pause");
    expect(host.isFailed(0)).toBe(true);
    const f = host.failures[0]!;
    expect(f.message).toBe("Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable");
    expect(f.criticalLog).toMatch(/boom in headers/);
    expect(host.logs("critical")[0]).toMatch(/boom in headers/);
    expect(f.stack).toMatch(/wasm/);
  });

  it("FAIL_CLOSED: 503 wasm_fail_stream for this stream and every later one, without plugin callbacks", async () => {
    const host = await filterHost({ canary: false });
    const first = await host.request({ headers: { "x-scenario": "trap" } });
    expect(first.status).toBe(503);
    expect(first.stream.responseCodeDetails).toBe("wasm_fail_stream");
    expect(first.headers.has("hello")).toBe(false);
    const before = host.logRecords.length;
    const later = await host.request({ headers: { "x-scenario": "plain" } });
    expect(later.status).toBe(503);
    expect(later.stream.responseCodeDetails).toBe("wasm_fail_stream");
    expect(later.upstreamRequest).toBeNull();
    expect(host.logRecords.length).toBe(before);
  });

  it("FAIL_OPEN: the trapping stream gets 503 wasm_fail_stream (as in Envoy), later requests skip the failed filter", async () => {
    // Envoy 1.40: tests/envoy/test/failure_policy.test.ts (FAIL_OPEN).
    const host = await filterHost({ canary: false, failurePolicy: "FAIL_OPEN" });
    const first = await host.request({ headers: { "x-scenario": "trap" } }, { status: 200, body: "up" });
    expect(first.status).toBe(503);
    expect(first.bodyText).toBe("");
    expect(first.stream.responseCodeDetails).toBe("wasm_fail_stream");
    expect(first.upstreamRequest).toBeNull();
    expect(first.headers.has("hello")).toBe(false);
    const later = await host.request({ headers: { "x-scenario": "trap" } }, { status: 200, body: "up" });
    expect(later.status).toBe(200);
    expect(later.bodyText).toBe("up");
    expect(later.headers.has("hello")).toBe(false);
    expect(later.upstreamRequest).not.toBeNull();
  });

  it("FAIL_RELOAD: the failing stream gets 503, so does every stream during the 1 s back-off, then a fresh VM serves", async () => {
    // Envoy 1.40: tests/envoy/test/failure_policy.test.ts (FAIL_RELOAD).
    const host = await filterHost({ canary: false, failurePolicy: "FAIL_RELOAD" });
    const first = await host.request({ headers: { "x-scenario": "trap" } });
    expect(first.status).toBe(503);
    expect(host.isFailed(0)).toBe(true);
    host.advance(999);
    const during = await host.request({}, { status: 200 });
    expect(during.status).toBe(503);
    expect(during.stream.envoyLocalReply?.details).toBe("wasm_fail_stream");
    expect(host.isFailed(0)).toBe(true);
    host.advance(1);
    const next = await host.request({}, { status: 200 });
    expect(next.status).toBe(200);
    expect(next.headers.get("hello")).toBe("world");
    expect(host.isFailed(0)).toBe(false);
    expect(host.logs("info").filter((l) => l.startsWith("configure"))).toHaveLength(2);
  });

  it("fails the VM on a trap outside any stream (on_tick); later streams get the failure policy", async () => {
    const host = await filterHost({ canary: false, pluginConfig: "tick-trap" });
    host.advance(10);
    expect(host.failures[0]!.message).toBe("Function: proxy_on_tick failed: Uncaught RuntimeError: unreachable");
    expect(host.failures[0]!.criticalLog).toMatch(/boom in tick/);
    host.advance(100);
    expect(host.logs("info").filter((l) => l === "tick")).toHaveLength(1);
    expect((await host.request()).status).toBe(503);
  });

  it("keeps failures per worker VM: other workers keep serving", async () => {
    const host = await filterHost({ canary: false, workers: 2 });
    await host.request({ worker: 0, headers: { "x-scenario": "trap" } });
    const ok = await host.request({ worker: 1 }, { status: 200 });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("hello")).toBe("world");
  });
});
