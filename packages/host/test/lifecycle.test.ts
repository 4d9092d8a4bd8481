// SPDX-License-Identifier: Apache-2.0
// Start-up and end of life as cpp-host + Envoy drive them: restricted init and allocator, canary, root context, configure rejection, stream order.
import { describe, expect, it } from "vitest";
import { createHost } from "../src/index.js";
import { fixturePath } from "./paths.js";
import { filterHost, req, workerLogs } from "./helpers.js";

describe("start-up", () => {
  it("runs base, canary and each worker: context_create, vm_start (buffer 6), configure (buffer 7)", async () => {
    const host = await filterHost({ vmConfig: "vmcfg", pluginConfig: "hello", workers: 2 });
    const recs = host.logRecords.map((r) => `${r.vm}: ${r.message}`);
    expect(recs).toEqual([
      "canary: vm_start size=5 vm_config=vmcfg",
      "canary: configure config=hello",
      "worker 0: vm_start size=5 vm_config=vmcfg",
      "worker 0: configure config=hello",
      "worker 1: vm_start size=5 vm_config=vmcfg",
      "worker 1: configure config=hello",
    ]);
  });

  it("skips the canary when asked", async () => {
    const host = await filterHost({ canary: false });
    expect(host.logRecords.map((r) => r.vm)).toEqual(["worker 0", "worker 0"]);
  });

  it("passes an object plugin config as JSON, like Istio", async () => {
    const host = await filterHost({ pluginConfig: { a: 1 }, canary: false });
    expect(host.logs("info")).toContain('configure config={"a":1}');
  });

  it("rejects the configuration when proxy_on_configure returns false (in the canary, before any worker)", async () => {
    const err = await filterHost({ pluginConfig: "reject" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      "Unable to create Wasm HTTP filter test: plugin configuration was rejected: proxy_on_configure returned false",
    );
  });

  it("reports a trap during configure with cpp-host's message and the abort log", async () => {
    const err = (await filterHost({ pluginConfig: "trap" }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /^Unable to create Wasm HTTP filter test: Function: proxy_on_configure failed: Uncaught RuntimeError: unreachable/,
    );
  });

  it("traps a non-logging host call from _initialize (restricted_callback); logging is allowed", async () => {
    const err = (await createHost({ wasm: fixturePath("raw_init_restricted") }).catch((e: Error) => e)) as Error;
    expect(err.message).toBe(
      "Unable to create Wasm HTTP filter getwild: Function: _initialize failed: Uncaught Error: restricted_callback",
    );
  });

  it("lets the Go runtime's start-up WASI calls through by default (cpp-host-head, Envoy 1.40), answering as cpp-host#533 does", async () => {
    const host = await createHost({ wasm: fixturePath("raw_init_go_runtime"), canary: false });
    expect(host.logRecords.filter((r) => r.vm === "worker 0").map((r) => r.message)).toEqual([
      "poll_oneoff=0 nevents=0",
      "fd_fdstat_get(1)=0 stat=0,0,0,0,0,0,0,0,64,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
      "fd_fdstat_get(0)=8",
      "fd_fdstat_set_flags=52",
    ]);
    // The stable set (Envoy before cpp-host#427) does not even link poll_oneoff.
    const err = (await createHost({ wasm: fixturePath("raw_init_go_runtime"), wasi: "stable" }).catch(
      (e: Error) => e,
    )) as Error;
    expect(err.message).toBe("Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.poll_oneoff");
  });

  it("a host call from inside the allocator fails the VM, not the callback: it starts, skips on_configure and fails its streams (Envoy 1.40)", async () => {
    const host = await createHost({ wasm: fixturePath("raw_alloc_restricted"), canary: false });
    expect(host.failures.map((f) => [f.vm, f.message])).toEqual([
      ["worker 0", "Function: proxy_on_memory_allocate failed: Uncaught Error: restricted_callback"],
    ]);
    // The allocation fails, so the host call answers InvalidMemoryAccess (6) and on_vm_start runs on.
    expect(host.logRecords.map((r) => r.message)).toEqual(["vm_start: proxy_get_property answered 6"]);
    expect(host.isFailed(0)).toBe(true);
    const closed = await host.request({ path: "/" });
    expect([closed.status, closed.bodyText, closed.stream.responseCodeDetails]).toEqual([503, "", "wasm_fail_stream"]);
    const open = await createHost({
      wasm: fixturePath("raw_alloc_restricted"),
      canary: false,
      failurePolicy: "FAIL_OPEN",
    });
    const passed = await open.request({ path: "/" }, { status: 200, body: "upstream" });
    expect([passed.status, passed.bodyText]).toEqual([200, "upstream"]);
  });
});

describe("streams", () => {
  it("gives each stream a new context id after the root (1) and ends with log → done → delete", async () => {
    const host = await filterHost({ canary: false });
    const a = host.newHttpStream();
    const b = host.newHttpStream();
    expect([a.id, b.id]).toEqual([2, 3]);
    a.sendRequestHeaders(req("plain"), { endOfStream: true });
    a.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
    a.complete();
    const tail = workerLogs(host, 0).slice(-3);
    expect(tail).toEqual(["log 2 status=200", "done 2", "delete 2"]);
  });

  it("switches to the spec's done → log → delete order on request", async () => {
    const host = await filterHost({ canary: false, lifecycleOrder: "spec" });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("plain"), { endOfStream: true });
    s.complete();
    expect(workerLogs(host, 0).slice(-3)).toEqual(["done 2", "log 2 status=<null>", "delete 2"]);
  });

  it("creates the context and logs even for a stream that never reached the filter", async () => {
    const host = await filterHost({ canary: false });
    host.newHttpStream().complete();
    expect(workerLogs(host, 0).slice(-3)).toEqual(["log 2 status=<null>", "done 2", "delete 2"]);
  });

  it("shuts the root down with on_done then on_delete", async () => {
    const host = await filterHost({ canary: false });
    host.close();
    expect(workerLogs(host, 0).slice(-2)).toEqual(["root_done", "root_delete"]);
  });

  it("waits for proxy_done when the root's on_done returns false", async () => {
    const host = await filterHost({ canary: false, pluginConfig: "delay-done" });
    host.close();
    expect(workerLogs(host, 0).slice(-1)).toEqual(["root_done"]);
    // The root finishes later (here from its next tick) with proxy_done; on_delete follows.
    host.advance(10);
    expect(workerLogs(host, 0).slice(-3)).toEqual(["tick", "plugin_done=Ok", "root_delete"]);
  });
});
