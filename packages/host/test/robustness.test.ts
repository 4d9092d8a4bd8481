// SPDX-License-Identifier: Apache-2.0
// The host never throws on guest input: every host function called with random arguments answers a status (or the guest's own allocator traps).
import { expect, it } from "vitest";
import { createHost, PROXY_IMPORTS, WASI_STABLE } from "../src/index.js";
import { buildImports } from "../src/imports.js";
import type { Vm } from "../src/vm.js";
import { fixturePath } from "./paths.js";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

it("answers every host call with random arguments without a host exception", async () => {
  const host = await createHost({ wasm: fixturePath("raw_memory"), canary: false, clusters: ["c"] });
  const vm = (host as unknown as { core: { workers: Vm[] } }).core.workers[0]!;
  const imports = buildImports(vm);
  const next = rng(42);
  const memSize = vm.mem.byteLength;
  // Mostly small or in-memory values, sometimes anything.
  const arg = () => {
    const r = next();
    if (r % 4 === 0) return next() >>> 0;
    if (r % 4 === 1) return next() % 16;
    return next() % memSize;
  };
  let calls = 0;
  for (const [module, sigs] of [
    ["env", PROXY_IMPORTS],
    ["wasi_snapshot_preview1", WASI_STABLE],
  ] as const) {
    for (const [name, sig] of Object.entries(sigs)) {
      const fn = imports[module]![name]!;
      for (let i = 0; i < 200; i++) {
        const args = sig.params.map((p) => (p === "i64" ? BigInt(next()) * BigInt(next()) : arg() | 0));
        try {
          const r = fn(...args);
          if (sig.results.length) expect(typeof r).toBe("number");
        } catch (e) {
          // Only the guest's allocator may fail (a trap inside wasm); the host itself must not throw.
          expect(e).toBeInstanceOf(WebAssembly.RuntimeError);
        }
        calls++;
      }
    }
  }
  expect(calls).toBeGreaterThan(10_000);
});
