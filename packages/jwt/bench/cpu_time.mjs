// SPDX-License-Identifier: Apache-2.0
// The standalone mode of the wasm-vs-native benches (`node bench/X.bench.mjs`): each case timed by
// CPU time (process.cpuUsage), the minimum over rounds, which a busy shared machine disturbs far
// less than the runner's wall-clock medians.

function cpuPerOp(fn, n) {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / n;
}

/**
 * Prints one line per case: wasm and native µs per operation and their ratio. Each side runs enough
 * operations per round for about `roundUs` of CPU time; `warmup` calls of each first (tier-up).
 */
export function printCpuTimes(
  cases,
  { roundUs, nameWidth, warmup = 0, rounds = Number(process.env.BENCH_ROUNDS ?? 15) },
) {
  for (const c of cases) {
    for (let i = 0; i < warmup; i++) {
      c.wasm();
      c.native();
    }
    const n = Math.max(5, Math.round(roundUs / cpuPerOp(c.wasm, 5)));
    const m = Math.max(5, Math.round(roundUs / cpuPerOp(c.native, 5)));
    let w = Infinity,
      x = Infinity;
    for (let r = 0; r < rounds; r++) {
      w = Math.min(w, cpuPerOp(c.wasm, n));
      x = Math.min(x, cpuPerOp(c.native, m));
    }
    console.log(
      `${c.name.padEnd(nameWidth)} wasm ${w.toFixed(1).padStart(8)} µs  native ${x.toFixed(1).padStart(8)} µs  ratio ${(w / x).toFixed(2)}x (CPU time, min of ${rounds})`,
    );
  }
}
