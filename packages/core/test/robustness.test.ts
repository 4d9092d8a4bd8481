// SPDX-License-Identifier: Apache-2.0
// Data no well-behaved host sends, fed straight to the compiled exports: unknown context ids and
// tokens, callbacks out of order, bogus out-param pointers. Nothing may trap (a trap kills the VM).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { validateModule, PROXY_IMPORTS, KNOWN_EXPORTS, formatSignature } from "@getwild/host";
import { TARGETS, hostFor, rawVm, report, startScenarios, sendScenario, fixturePath } from "./harness";

describe.each(TARGETS)("robustness (%s build)", (target) => {
  it("callbacks for unknown context ids get neutral answers", async () => {
    const host = await hostFor("hostcalls", target, { rootId: "hostcalls", clusters: ["upstream"] });
    const vm = rawVm(host);
    const unknown = 0x7fff0000;
    for (const fn of [
      "proxy_on_request_headers",
      "proxy_on_response_headers",
      "proxy_on_request_body",
      "proxy_on_response_body",
    ]) {
      expect(vm.call(fn, unknown, 3, 1), fn).toBe(0); // Continue
    }
    expect(vm.call("proxy_on_request_trailers", unknown, 1)).toBe(0);
    expect(vm.call("proxy_on_response_trailers", unknown, 1)).toBe(0);
    expect(vm.call("proxy_on_vm_start", unknown, 0)).toBe(0); // no such root: refuse
    expect(vm.call("proxy_on_configure", unknown, 0)).toBe(0);
    expect(vm.call("proxy_on_done", unknown)).toBe(1);
    vm.call("proxy_on_log", unknown);
    vm.call("proxy_on_delete", unknown);
    vm.call("proxy_on_tick", unknown);
    vm.call("proxy_on_queue_ready", unknown, 5);
    vm.call("proxy_on_foreign_function", unknown, 1, 0);
    vm.call("proxy_on_context_create", unknown + 1, unknown); // parent is not a root we know
    expect(vm.call("proxy_on_request_headers", unknown + 1, 1, 1)).toBe(0);
    expect(host.failures).toEqual([]);
    // The VM still serves normally.
    const stream = host.newHttpStream();
    expect(
      stream.sendRequestHeaders(
        [
          [":method", "GET"],
          [":path", "/"],
          [":authority", "a"],
          ["x-op", "headers"],
        ],
        { endOfStream: true },
      ),
    ).toBe("Continue");
    expect(report(host, "get_path")).toBe("/");
  });

  it("a callout reply with an unknown token, or delivered twice, is ignored", async () => {
    const host = await hostFor("hostcalls", target, { rootId: "hostcalls", clusters: ["upstream"] });
    const vm = rawVm(host);
    const stream = host.newHttpStream();
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "a"],
        ["x-op", "callout"],
      ],
      { endOfStream: true },
    );
    const call = host.pendingCalls()[0]!;
    // Wrong token, and the right token under a root id that is not the caller's.
    const rootId = 1;
    vm.call("proxy_on_http_call_response", rootId, call.token + 1000, 0, 0, 0);
    vm.call("proxy_on_http_call_response", rootId + 77, call.token, 0, 0, 0);
    expect(report(host, "callout_origin")).toBeUndefined();
    call.respond({ status: 200 });
    await host.idle();
    expect(report(host, "callout_origin")).toBe("stream:callout");
    // A duplicate delivery of the same token finds nothing pending.
    vm.call("proxy_on_http_call_response", rootId, call.token, 0, 0, 0);
    expect(host.logs("info").filter((l) => l.startsWith("callout_origin=")).length).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("host blocks described with bogus pointers or sizes are taken as empty", async () => {
    const host = await hostFor("serde", target);
    const vm = rawVm(host);
    const pages = 65536;
    const memoryBytes = host.memoryBytes();
    expect(vm.call("test_take_out", 0, 10)).toBe(0); // null pointer
    expect(vm.call("test_take_out", memoryBytes - 4, 100)).toBe(0); // runs past the end
    expect(vm.call("test_take_out", 0xfffffff0, 0x20)).toBe(0); // wraps around 32 bits
    expect(vm.call("test_take_out", memoryBytes + pages, 1)).toBe(0); // beyond memory
    expect(vm.call("test_take_out_string", 0xffffffff, 0xffffffff)).toBe(0);
    // A real block is taken (and freed) normally.
    const ptr = vm.write(new TextEncoder().encode("abc"));
    expect(vm.call("test_take_out_string", ptr, 3)).toBe(3);
    expect(host.failures).toEqual([]);
  });
});

describe.each(TARGETS)("module top level (%s build)", (target) => {
  it("host calls at top level are refused by the SDK (no trap, the module loads); metrics define on first use", async () => {
    const host = await hostFor("toplevel", target);
    expect(host.failures).toEqual([]);
    expect(report(host, "property")).toBe("null/InternalFailure");
    expect(report(host, "shared")).toBe("InternalFailure,queue=InternalFailure,tick=InternalFailure");
    expect(report(host, "early_increment")).toBe("InternalFailure");
    const hints = host.logs("critical");
    for (const call of [
      "proxy_define_metric",
      "proxy_get_property",
      "proxy_set_shared_data",
      "proxy_register_shared_queue",
      "proxy_set_tick_period_milliseconds",
    ]) {
      expect(
        hints.some((h) => h.startsWith(`${call} called at module top level`)),
        call,
      ).toBe(true);
    }
    await host.request({ path: "/1" });
    await host.request({ path: "/2" });
    expect(host.metric("toplevel_requests")).toBe(2);
  });
});

describe.each(TARGETS)("hot paths (%s build)", (target) => {
  it("header get/set/has in a loop leave memory flat (host blocks freed, scratch reused)", async () => {
    const host = await startScenarios(target);
    const run = (n: number) => {
      const { stream } = sendScenario(host, "hot", [["x-n", String(n)]]);
      stream.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
      stream.complete();
    };
    run(20000); // warm-up: the heap reaches its working size
    const before = host.memoryBytes();
    const started = performance.now();
    for (let i = 0; i < 3; i++) run(20000);
    const perCall = ((performance.now() - started) * 1e6) / (3 * 20000 * 3);
    expect(report(host, "hot")).toBe(String(20000 * ("/p?q=1".length + 1)));
    expect(host.memoryBytes()).toBe(before);
    expect(host.failures).toEqual([]);
    console.log(`[${target}] header get/set/has through @getwild/host: ${perCall.toFixed(0)} ns per call`);
  });
});

describe.each(TARGETS)("ABI imports and exports (%s build)", (target) => {
  it("every declared host function links with the exact type cpp-host registers, and nothing else is imported", () => {
    const result = validateModule(readFileSync(fixturePath("imports", target)));
    expect(result.errors).toEqual([]);
    const imported = result.imports.map((i) => `${i.module}.${i.name}`).sort();
    expect(imported).toEqual(
      Object.keys(PROXY_IMPORTS)
        .map((n) => `env.${n}`)
        .sort(),
    );
    for (const imp of result.imports) expect(imp.provided, `${imp.name} ${imp.signature}`).toBe(true);
    // Every callback the SDK exports has the signature cpp-host requires (else "Bad function signature").
    const exported = new Map(result.exports.map((e) => [e.name, e.signature]));
    for (const [name, type] of KNOWN_EXPORTS) {
      if (exported.has(name)) expect(exported.get(name), name).toBe(formatSignature(type));
    }
    expect([...exported.keys()].filter((n) => n.startsWith("proxy_on_")).sort()).toEqual([
      "proxy_on_configure",
      "proxy_on_context_create",
      "proxy_on_delete",
      "proxy_on_done",
      "proxy_on_foreign_function",
      "proxy_on_http_call_response",
      "proxy_on_log",
      "proxy_on_memory_allocate",
      "proxy_on_queue_ready",
      "proxy_on_request_body",
      "proxy_on_request_headers",
      "proxy_on_request_trailers",
      "proxy_on_response_body",
      "proxy_on_response_headers",
      "proxy_on_response_trailers",
      "proxy_on_tick",
      "proxy_on_vm_start",
    ]);
    expect(exported.has("proxy_abi_version_0_2_1")).toBe(true);
    expect(exported.has("_initialize")).toBe(true);
  });
});
