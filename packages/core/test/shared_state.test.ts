// SPDX-License-Identifier: Apache-2.0
// State shared beyond one request through the compiled hostcalls fixture: metrics, shared data
// with CAS, shared queues with onQueueReady.
import { describe, it, expect } from "vitest";
import { TARGETS, report, reportAll, startScenarios, sendScenario } from "./harness";

describe.each(TARGETS)("metrics, shared data, queues (%s build)", (target) => {
  it("metrics: counter, gauge, histogram; Envoy's error rules are values", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "metrics");
    expect(report(host, "metric_defined")).toBe("true");
    expect(report(host, "counter_inc")).toBe("Ok");
    expect(report(host, "counter_inc_zero")).toBe("BadArgument");
    expect(report(host, "counter_get")).toBe("5");
    expect(report(host, "gauge_add")).toBe("Ok");
    expect(report(host, "gauge_get")).toBe("-3");
    expect(report(host, "gauge_set")).toBe("Ok");
    expect(report(host, "gauge_get2")).toBe("42");
    expect(report(host, "histogram_record")).toBe("Ok");
    expect(report(host, "counter_again_inc")).toBe("Ok");
    expect(report(host, "counter_again_get")).toBe("7,7");
    expect(host.metric("test_counter")).toBe(7);
    expect(host.metric("test_gauge")).toBe(42);
    expect(host.histogram("test_histogram")).toEqual([7]);
  });

  it("shared data: NotFound, set, get with CAS, CasMismatch on a stale CAS, unconditional and new-key writes", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "shared");
    expect(report(host, "sd_missing")).toBe("NotFound");
    expect(report(host, "sd_set")).toBe("Ok");
    expect(report(host, "sd_get")).toBe("v1/cas");
    expect(report(host, "sd_set_cas_ok")).toBe("Ok");
    expect(report(host, "sd_set_cas_stale")).toBe("CasMismatch");
    expect(report(host, "sd_get2")).toBe("v2/newcas");
    expect(report(host, "sd_set_unconditional")).toBe("Ok");
    expect(report(host, "sd_set_new_with_cas")).toBe("Ok");
    expect(host.sharedData.get("sd-key")?.text).toBe("v4");
    expect(host.sharedData.get("sd-new")?.text).toBe("n");
  });

  it("shared queues: register, resolve, enqueue, dequeue, Empty, NotFound, onQueueReady", async () => {
    const host = await startScenarios(target);
    sendScenario(host, "queue");
    expect(report(host, "queue_register")).toBe("Ok");
    expect(report(host, "queue_resolve")).toBe("Ok/same");
    expect(report(host, "queue_resolve_missing")).toBe("NotFound");
    expect(report(host, "queue_enqueue")).toBe("Ok");
    expect(report(host, "queue_dequeue")).toBe("Ok/item1");
    expect(report(host, "queue_dequeue_empty")).toBe("Empty");
    expect(report(host, "queue_enqueue_missing")).toBe("NotFound");
    expect(report(host, "queue_dequeue_missing")).toBe("NotFound");
    expect(report(host, "queue_enqueue_notify")).toBe("Ok");
    await host.idle();
    expect(reportAll(host, "queue_ready")).toContain("Ok/item2");
  });

  it("shared data and queues are shared by the worker VMs of one vm_id", async () => {
    const host = await startScenarios(target, { workers: 2 });
    const write = host.newHttpStream({ worker: 0 });
    write.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "a"],
        ["x-op", "shared"],
      ],
      { endOfStream: true },
    );
    const queue = host.newHttpStream({ worker: 0 });
    queue.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "a"],
        ["x-op", "queue"],
      ],
      { endOfStream: true },
    );
    await host.idle();
    const read = host.newHttpStream({ worker: 1 });
    read.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "a"],
        ["x-op", "shared-read"],
      ],
      { endOfStream: true },
    );
    await host.idle();
    expect(report(host, "sd_read")).toBe("Ok/v4");
    expect(report(host, "queue_resolve_other_vm")).toBe("Ok");
    expect(report(host, "queue_enqueue_other_vm")).toBe("Ok");
    // The registering VM's root is notified and dequeues the item.
    expect(reportAll(host, "queue_ready")).toContain("Ok/from another vm");
  });
});
