// SPDX-License-Identifier: Apache-2.0
// `node bench/envoy/work_count.mjs [hello|firebase-jwt|jwt-authn] [REQUESTS]`: how much wasm work a
// request does, counted, not timed, so an A/B holds on a loaded machine where CPU timings are noise.
// It builds the example's release configuration with a name section (or takes WORK_COUNT_WASM=FILE,
// a names build), lets binaryen's `--log-execution` put a counter call at every function entry and
// loop iteration, runs warm requests through @getwild/host at Envoy's default `warn` log level (or
// WORK_COUNT_LOG_LEVEL), and prints the steps per request and the functions they fall in.
// WORK_COUNT_FILL=N verifies N other tokens first (a token cache of N entries). WORK_COUNT_COLD=1
// counts cold requests instead: each with a token never seen before (a full RS256 verify, a cache
// put and, once the cache is full, an eviction). Steps are not instructions (a loop iteration
// counts one whatever its body), so compare builds, not filters.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const [example = "firebase-jwt", requests = "2000"] = process.argv.slice(2);
const n = Number(requests);
const fill = Number(process.env.WORK_COUNT_FILL ?? 0);
const cold = process.env.WORK_COUNT_COLD === "1";
// One folder per run: engineers sharing a working tree may count at the same time.
const out = join(repo, ".bench", "envoy", "work-count", String(process.pid));
const binaryen = join(repo, "node_modules", ".pnpm", "node_modules", "binaryen", "bin");
const FEATURES = [
  "--enable-simd",
  "--enable-bulk-memory",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-mutable-globals",
];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

mkdirSync(out, { recursive: true });
let names = process.env.WORK_COUNT_WASM ? resolve(process.env.WORK_COUNT_WASM) : join(out, `${example}-names.wasm`);
if (!process.env.WORK_COUNT_WASM)
  run("npx", ["asc", "--target", "release", "--debug", "--outFile", names], { cwd: join(repo, "examples", example) });

// The counter is an import `env.log_execution(i32)`. The host links only the imports Envoy has, so
// the text is rewritten to import it as WASI's proc_exit (same signature), which this script then
// replaces with the counter before the module is instantiated.
const logged = join(out, `${example}-logged.wasm`);
run(join(binaryen, "wasm-opt"), [...FEATURES, "-g", "--log-execution", names, "-o", logged]);
const text = run(join(binaryen, "wasm-dis"), [logged]).replace(
  '(import "env" "log_execution"',
  '(import "wasi_snapshot_preview1" "proc_exit"',
);
const counter = /\(import "wasi_snapshot_preview1" "proc_exit" \(func (\$\S+)/.exec(text)?.[1];
if (!counter) throw new Error("binaryen added no log_execution import");
writeFileSync(join(out, `${example}-logged.wat`), text);
run(join(binaryen, "wasm-as"), [...FEATURES, "-g", join(out, `${example}-logged.wat`), "-o", logged]);

// Which function each counter id sits in (the id is the call's argument, on the next line).
const where = new Map();
let fn = "?";
const lines = text.split("\n");
for (let i = 0; i < lines.length; i++) {
  const head = /^ \(func (\S+)/.exec(lines[i]);
  if (head) fn = head[1].replace("~lib/@getwild/", "");
  else if (lines[i].trim() === `(call ${counter}`) where.set(Number(/const (-?\d+)/.exec(lines[i + 1])?.[1]), fn);
}

const counts = new Map();
let counting = false;
const Original = WebAssembly.Instance;
WebAssembly.Instance = function CountingInstance(module, importObject) {
  importObject.wasi_snapshot_preview1 = {
    ...importObject.wasi_snapshot_preview1,
    proc_exit: (id) => {
      if (counting) counts.set(id, (counts.get(id) ?? 0) + 1);
    },
  };
  return new Original(module, importObject);
};
WebAssembly.Instance.prototype = Original.prototype;

const { createHost } = await import(join(repo, "packages/host/dist/index.js"));
const { makeKeys, mintTokens } = await import("./lib/tokens.mjs");
const { exampleConfig, jwtAuthnConfig } = await import("./lib/bootstrap.mjs");
const keys = makeKeys();
const minted = await mintTokens(keys.privateKey, 1 + fill + (cold ? n : 0));
const fresh = cold ? minted.splice(1 + fill) : [];
const [token, ...others] = minted;
const fetched = example === "firebase-jwt";
const pluginConfig = example === "hello" ? "" : fetched ? exampleConfig(repo, example) : jwtAuthnConfig(keys.jwksText);
const wasm = readFileSync(logged);
rmSync(out, { recursive: true, force: true });
const host = await createHost({
  wasm,
  rootId: example,
  pluginConfig,
  clusters: fetched ? ["googleapis"] : [],
  workers: 1,
  logLevel: process.env.WORK_COUNT_LOG_LEVEL ?? "warn",
});
if (fetched) {
  host.advance?.(50);
  for (const call of host.pendingCalls())
    call.respond({ status: 200, headers: { "cache-control": "max-age=21600" }, body: keys.jwksText });
}
const request = (t) => ({
  method: "GET",
  path: "/",
  headers: { ":authority": "bench.local", "user-agent": "wrk", authorization: `Bearer ${t}` },
});
for (const t of [...others, token]) {
  const r = await host.request(request(t), { status: 200 });
  if (r.status !== 200) throw new Error(`warm-up: ${r.status}`);
}
counting = true;
for (let i = 0; i < n; i++) {
  const r = await host.request(request(cold ? fresh[i] : token), { status: 200 });
  if (r.status !== 200) throw new Error(`request ${i}: ${r.status}`);
}
counting = false;

const byFunction = new Map();
let total = 0;
for (const [id, k] of counts) {
  total += k;
  const f = where.get(id) ?? `?${id}`;
  byFunction.set(f, (byFunction.get(f) ?? 0) + k);
}
console.log(
  `${example}${fill ? ` (${fill} other tokens cached)` : ""}: ${(total / n).toFixed(1)} steps per ${cold ? "cold" : "warm"} request (function entries + loop iterations), ${n} requests, memory ${host.memoryBytes()} B`,
);
// Managed objects made per request: entries of the runtime's __new (each string, array, buffer, object).
const made = [...byFunction].filter(([f]) => /\/__new$/.test(f)).reduce((a, [, k]) => a + k, 0);
console.log(`${(made / n).toFixed(1)} managed objects made per request (__new calls)`);
for (const [f, k] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${(k / n).toFixed(1).padStart(9)}  ${f}`);
