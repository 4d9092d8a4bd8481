// SPDX-License-Identifier: Apache-2.0
// Clock and ticks, workers sharing data and queues, metrics, logs, properties and foreign functions through the compiled filter.
import { describe, expect, it } from "vitest";
import { VirtualClock, Double } from "../src/index.js";
import { filterHost, workerLogs } from "./helpers.js";

describe("time and ticks", () => {
  it("serves the injected clock to the guest", async () => {
    const host = await filterHost({ canary: false, clock: new VirtualClock(1_700_000_000_123) });
    await host.request({ headers: { "x-scenario": "time" } });
    expect(host.logs("info")).toContain("now_ms=1700000000123");
  });

  it("fires ticks per VM per period, first one period after it was set", async () => {
    const host = await filterHost({ canary: false, workers: 3, pluginConfig: "tick=1000" });
    expect(host.tickPeriod(2)).toBe(1000);
    host.advance(999);
    expect(host.logs("info").filter((l) => l === "tick")).toHaveLength(0);
    host.advance(1);
    expect(host.metric("ticks")).toBe(3);
    host.advance(2500);
    expect(host.metric("ticks")).toBe(9);
    expect(workerLogs(host, 1).filter((l) => l === "tick")).toHaveLength(3);
  });

  it("moves the guest's clock with advance()", async () => {
    const host = await filterHost({ canary: false, clock: new VirtualClock(0) });
    host.advance(1234);
    await host.request({ headers: { "x-scenario": "time" } });
    expect(host.logs("info")).toContain("now_ms=1234");
  });
});

describe("shared data", () => {
  it("follows cpp-host's CAS rules", async () => {
    const host = await filterHost({ canary: false });
    await host.request({ headers: { "x-scenario": "shared" } });
    const logs = host.logs("info");
    expect(logs).toContain("set_new=Ok");
    expect(logs).toContain("get=v1 cas_nonzero=1");
    expect(logs).toContain("stale=CasMismatch");
    expect(logs).toContain("match=Ok");
    expect(logs).toContain("unconditional=Ok");
    expect(logs).toContain("missing=NotFound");
    expect(host.sharedData.get("k")?.text).toBe("v4");
  });

  it("is shared by every worker VM of the same vm_id", async () => {
    const host = await filterHost({ canary: false, workers: 2 });
    host.sharedData.set("k", "from-test");
    await host.request({ worker: 1, headers: { "x-scenario": "shared" } });
    expect(host.sharedData.get("k")?.text).toBe("v4");
    expect(host.sharedData.set("k", "x", 999_999)).toBe(8);
  });
});

describe("shared queues", () => {
  it("notifies the last registrant after the enqueuing call returns", async () => {
    const host = await filterHost({ canary: false, workers: 2 });
    await host.request({ worker: 0, path: "/job-1", headers: { "x-scenario": "enqueue" } });
    // Worker 1 registered "jobs" last, so it is notified and dequeues.
    expect(workerLogs(host, 1)).toContain("queue_ready id=1 item=/job-1");
    expect(workerLogs(host, 0)).toContain("enqueue=Ok");
    expect(host.queueSize("jobs")).toBe(0);
  });
});

describe("metrics", () => {
  it("applies Envoy's rules and exposes values by name", async () => {
    const host = await filterHost({ canary: false });
    await host.request({ headers: { "x-scenario": "metrics" } });
    expect(host.logs("info")).toContain("counter_zero=BadArgument gauge_add=Ok gauge_sub=Ok hist=Ok");
    expect(host.logs("info")).toContain("counter_get=1 gauge_get=3");
    expect(host.metric("requests_total")).toBe(1);
    expect(host.metric("active")).toBe(3);
    expect(host.histogram("body_sizes")).toEqual([42]);
  });

  it("aggregates counters across workers (one stats store)", async () => {
    const host = await filterHost({ canary: false, workers: 2 });
    await host.request({ worker: 0 });
    await host.request({ worker: 1 });
    expect(host.metric("requests_total")).toBe(2);
  });
});

describe("logs", () => {
  it("captures each level with the plugin name and VM", async () => {
    const host = await filterHost({ canary: false, name: "my-plugin" });
    const r = host.logRecords[0]!;
    expect(r).toEqual({
      level: "info",
      message: "vm_start size=0 vm_config=",
      plugin: "my-plugin",
      vm: "worker 0",
      worker: 0,
    });
    expect(host.logs("warn")).toEqual([]);
  });
});

describe("properties", () => {
  it("serves plugin_*, request.* from headers, host properties, and set_property as filter state", async () => {
    const host = await filterHost({
      canary: false,
      vmId: "vm1",
      properties: { "node.id": "node-7", "custom.int": 42, "custom.ratio": new Double(0.5) },
    });
    await host.request({
      path: "/a/b?x=1",
      authority: "api.example",
      method: "POST",
      headers: { "x-scenario": "props" },
    });
    const logs = host.logs("info");
    expect(logs).toContain("path=/a/b?x=1 url_path=/a/b method=POST host=api.example");
    expect(logs).toContain("plugin_name=test root_id=test vm_id=vm1 node_id=node-7");
    expect(logs).toContain("custom_int=42 missing=<null> status=NotFound");
    expect(logs).toContain("set=Ok get=v1");
  });
});

describe("foreign functions", () => {
  it("calls registered functions and answers NOT_FOUND otherwise", async () => {
    const host = await filterHost({
      canary: false,
      foreignFunctions: { reverse: (args) => Uint8Array.from(args).reverse() },
    });
    await host.request({ headers: { "x-scenario": "foreign" } });
    expect(host.logs("info")).toContain("reverse=cba unknown=<null> status=NotFound");
    // A name only found on Object.prototype is not a registered function.
    expect(host.logs("info")).toContain("inherited=<null> status=NotFound");
  });
});
