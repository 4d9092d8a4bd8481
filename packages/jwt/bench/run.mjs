// SPDX-License-Identifier: Apache-2.0
// Benchmark runner: `node bench/run.mjs [--json FILE]`.
// Every bench/*.bench.mjs default-exports `async () => Case[]` with
//   Case = { name: "RS256-2048", wasm: () => void, native: () => void }
// where each function performs exactly one operation (e.g. one verify) and must not be optimised
// away. Both sides run in the same process, interleaved round by round; we print medians.
// The whole set runs twice in child processes: V8's default tiering, and Liftoff only
// (`--liftoff --no-wasm-tier-up`), since a proxy may never tier a filter up.
import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileAllFixtures } from "../test/compile.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 150);

function timeOps(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e3 / n; // µs per op
}

function calibrate(fn) {
  let n = 1;
  for (;;) {
    const us = timeOps(fn, n);
    if (us * n > (ROUND_MS * 1e3) / 4 || n > 1e7) return Math.max(1, Math.ceil((ROUND_MS * 1e3) / Math.max(us, 1e-3)));
    n *= 4;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

async function child() {
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
  const results = [];
  for (const file of readdirSync(here)
    .filter((f) => f.endsWith(".bench.mjs"))
    .sort()) {
    const cases = await (await import(pathToFileURL(join(here, file)).href)).default();
    for (const c of cases) {
      if (only && !only.test(c.name)) continue;
      const nw = calibrate(c.wasm),
        nn = calibrate(c.native);
      const w = [],
        n = [];
      for (let r = 0; r < ROUNDS; r++) {
        w.push(timeOps(c.wasm, nw));
        n.push(timeOps(c.native, nn));
      }
      const wasm_us = median(w),
        native_us = median(n);
      results.push({ name: c.name, wasm_us, native_us, ratio: wasm_us / native_us });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

function runChild(flags) {
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), "--child"], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`benchmark child (${flags.join(" ") || "default tiering"}) failed`);
  return JSON.parse(r.stdout);
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes("--child")) return child();
  const jsonAt = args.indexOf("--json");
  await compileAllFixtures();
  const tiered = runChild([]);
  const liftoff = runChild(["--liftoff", "--no-wasm-tier-up"]);
  const f = (x) => x.toFixed(x < 10 ? 2 : 1).padStart(9);
  console.log(`node ${process.version}, ${ROUNDS} rounds of ~${ROUND_MS} ms, medians, µs per op`);
  console.log("case               wasm    native   ratio | liftoff wasm   ratio");
  for (const t of tiered) {
    const l = liftoff.find((x) => x.name === t.name);
    console.log(
      `${t.name.padEnd(14)}${f(t.wasm_us)} ${f(t.native_us)} ${f(t.ratio)}x | ${f(l.wasm_us)}    ${f(l.ratio)}x`,
    );
  }
  // Key import beside the verify it pays for: a JWKS fetch or rotation imports every key once (the
  // ES256/ES384 per-key comb table included), and every later verify with that key is cheaper for it.
  const pairs = tiered
    .filter((t) => t.name.startsWith("import-"))
    .map((imp) => [imp, tiered.find((t) => t.name === imp.name.slice(7))]);
  if (pairs.some(([, v]) => v)) {
    console.log("\nkey import beside verify (default tiering, wasm, µs): what one import costs in verifies");
    console.log("alg              import    verify  verifies");
    for (const [imp, v] of pairs) {
      if (!v) continue;
      console.log(`${imp.name.slice(7).padEnd(14)}${f(imp.wasm_us)} ${f(v.wasm_us)} ${f(imp.wasm_us / v.wasm_us)}`);
    }
  }
  if (jsonAt >= 0) {
    if (!args[jsonAt + 1]) throw new Error("--json needs a file name");
    // pnpm runs us in the package folder; a relative name is meant from where `pnpm bench` was typed.
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), args[jsonAt + 1]);
    writeFileSync(file, JSON.stringify(tiered, null, 2) + "\n");
    console.log(`wrote ${file}`);
  }
}

await main();
