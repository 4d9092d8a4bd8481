// SPDX-License-Identifier: Apache-2.0
// The dispatcher's stream table (open addressing, backward-shift deletion) against a JS Set, through
// the compiled stream_table fixture: random adds and removes, ids chosen to collide (multiples of the
// table size, wrapping runs, ids near 2^32), every id checked after every step.
import { describe, it, expect } from "vitest";
import { TARGETS, hostFor, rawVm } from "./harness";

/** A small deterministic generator (the test must be repeatable). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s;
  };
}

describe.each(TARGETS)("stream table (%s build)", (target) => {
  it("finds exactly the live ids through adds, removes, growth and colliding ids", async () => {
    const host = await hostFor("stream_table", target);
    const vm = rawVm(host);
    const next = rng(7);
    const pool: number[] = [];
    for (let i = 1; i <= 40; i++) pool.push(i * 16, i * 16 + 1, i, 0xffffffff - i, 0x80000000 + i * 32);
    const live = new Set<number>();
    for (let step = 0; step < 4000; step++) {
      const id = pool[next() % pool.length]!;
      if (next() % 3 === 0 || live.size > 150) {
        vm.call("table_remove", id);
        live.delete(id);
      } else {
        vm.call("table_add", id);
        live.add(id);
      }
      if (step % 50 === 0 || step > 3900) {
        for (const candidate of pool)
          expect(vm.call("table_find", candidate), `step ${step} id ${candidate}`).toBe(
            live.has(candidate) ? candidate : 0,
          );
        expect(vm.call("table_size")).toBe(live.size);
      }
    }
    for (const id of [...live]) vm.call("table_remove", id);
    expect(vm.call("table_size")).toBe(0);
    for (const candidate of pool) expect(vm.call("table_find", candidate)).toBe(0);
  });
});
