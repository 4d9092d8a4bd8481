// SPDX-License-Identifier: Apache-2.0
// `node bench/envoy/wasm_profile.mjs [firebase-jwt|jwt-authn] [REQUESTS]`: where a warm request
// (verified-token cache hit) spends its time inside the wasm. `WASM_PROFILE_FILL=N` first verifies N
// other tokens, so the token cache (and the heap a full collection marks) holds N entries, as in a
// proxy with many users; `WASM_PROFILE_WASM=FILE` profiles that build (with names) instead of building. Envoy cannot tell us (its V8 takes no
// flags, so its JIT code has no names in perf), so this builds the example's release configuration
// with a name section (`asc --target release --debug`, same optimisation), runs REQUESTS warm
// requests through @getwild/host under `node --cpu-prof`, and sums the samples that fell in wasm
// functions by function and by group. The JavaScript host's own time is left out.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const [example = "firebase-jwt", requests = "30000", mode] = process.argv.slice(2);
const out = join(repo, ".bench", "envoy", "wasm-profile");
const wasm = process.env.WASM_PROFILE_WASM
  ? resolve(process.env.WASM_PROFILE_WASM)
  : join(out, `${example}-names.wasm`);
const fill = Number(process.env.WASM_PROFILE_FILL ?? 0);

async function child() {
  const { createHost } = await import(join(repo, "packages/host/dist/index.js"));
  const { makeKeys, mintTokens } = await import("./lib/tokens.mjs");
  const { exampleConfig, jwtAuthnConfig } = await import("./lib/bootstrap.mjs");
  const keys = makeKeys();
  const [token, ...others] = await mintTokens(keys.privateKey, 1 + fill);
  const fetched = example === "firebase-jwt";
  const pluginConfig = fetched ? exampleConfig(repo, example) : jwtAuthnConfig(keys.jwksText);
  const host = await createHost({
    wasm: readFileSync(wasm),
    rootId: example,
    pluginConfig,
    clusters: fetched ? ["googleapis"] : [],
    workers: 1,
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
  for (const other of others) {
    const r = await host.request(request(other), { status: 200 });
    if (r.status !== 200) throw new Error(`fill: ${r.status}`);
  }
  const get = request(token);
  for (let i = 0; i < Number(requests); i++) {
    const r = await host.request(get, { status: 200 });
    if (r.status !== 200) throw new Error(`request ${i}: ${r.status}`);
  }
}

const GROUPS = [
  [
    "GC and allocator (itcms or tcms, __new, __visit, tlsf)",
    /rt\/itcms|rt\/tcms|rt\/tlsf|__visit|__new|__collect|__link|__renew|stack_check/,
  ],
  ["token cache hash", /tokenHash/],
  ["claims read from the cached payload (JSON values)", /json_value|encoding\/json/],
  ["strings (compare, UTF-8 <-> UTF-16, substring)", /~lib\/string|util\/string/],
  ["header maps", /header_map|assembly\/headers\//],
  ["arrays, maps, sets", /~lib\/array|~lib\/map|~lib\/set|~lib\/staticarray/],
];

function report(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map();
  const byGroup = new Map();
  let wasmUs = 0;
  let allUs = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    allUs += us;
    if (!frame.url.startsWith("wasm://")) return;
    wasmUs += us;
    byFunction.set(frame.functionName, (byFunction.get(frame.functionName) ?? 0) + us);
    const group =
      GROUPS.find(([, re]) => re.test(frame.functionName))?.[0] ?? "the rest (rules, path, outputs, filter logic)";
    byGroup.set(group, (byGroup.get(group) ?? 0) + us);
  });
  const pct = (us) => `${((100 * us) / wasmUs).toFixed(1).padStart(5)} %`;
  console.log(
    `${example}, ${requests} warm requests${fill ? ` (${fill} other tokens cached first)` : ""}: wasm ${((100 * wasmUs) / allUs).toFixed(1)} % of the samples (the rest is the JavaScript host), ${(wasmUs / Number(requests)).toFixed(2)} us of wasm per request (the fill included; sampled, so compare runs made back to back)`,
  );
  for (const [g, us] of [...byGroup].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${g}`);
  console.log("top functions:");
  for (const [f, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(us)}  ${f}`);
}

if (mode === "--child") {
  await child();
} else {
  mkdirSync(out, { recursive: true });
  if (!process.env.WASM_PROFILE_WASM) {
    const build = spawnSync("npx", ["asc", "--target", "release", "--debug", "--outFile", wasm], {
      cwd: join(repo, "examples", example),
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("asc failed");
  }
  for (const f of readdirSync(out)) if (f.endsWith(".cpuprofile")) rmSync(join(out, f));
  const run = spawnSync(
    process.execPath,
    ["--cpu-prof", "--cpu-prof-dir", out, fileURLToPath(import.meta.url), example, requests, "--child"],
    { stdio: "inherit" },
  );
  if (run.status !== 0) throw new Error("profiled run failed");
  report(
    join(
      out,
      readdirSync(out).find((f) => f.endsWith(".cpuprofile")),
    ),
  );
}
