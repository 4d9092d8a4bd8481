// SPDX-License-Identifier: Apache-2.0
// host.worker(i): a worker VM's raw exports and memory, following FAIL_RELOAD replacements.
import { describe, it, expect } from "vitest";
import { filterHost, req } from "./helpers.js";

describe("host.worker(i)", () => {
  it("gives the worker's exports and memory: the guest allocator's block is readable and writable", async () => {
    const host = await filterHost({ workers: 2 });
    const w = host.worker(1);
    expect(w.index).toBe(1);
    expect(w.failed).toBe(false);
    expect(w.memory).toBeInstanceOf(WebAssembly.Memory);
    expect(w.memory).toBe(w.exports.memory);
    expect(w.memory).not.toBe(host.worker(0).memory);
    const alloc = w.exports.proxy_on_memory_allocate as (n: number) => number;
    const ptr = alloc(16);
    expect(ptr).toBeGreaterThan(0);
    new Uint8Array(w.memory.buffer).set([1, 2, 3], ptr);
    expect([...new Uint8Array(w.memory.buffer, ptr, 3)]).toEqual([1, 2, 3]);
    expect(host.memoryBytes(1)).toBe(w.memory.buffer.byteLength);
    expect(() => host.worker(2)).toThrow(/no worker 2 \(the host has 2\)/);
    expect(() => host.worker(-1)).toThrow(/no worker -1/);
  });

  it("reports a trapped VM and follows its FAIL_RELOAD replacement", async () => {
    const host = await filterHost({ failurePolicy: "FAIL_RELOAD" });
    const w = host.worker();
    const before = w.exports;
    host.newHttpStream().sendRequestHeaders(req("trap"), { endOfStream: true });
    expect(w.failed).toBe(true);
    host.advance(1000); // FAIL_RELOAD's back-off
    host.newHttpStream(); // the next stream on the worker starts a fresh VM
    expect(w.failed).toBe(false);
    expect(w.exports).not.toBe(before);
    expect(w.memory).toBe(w.exports.memory);
  });
});
