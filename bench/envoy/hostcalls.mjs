// SPDX-License-Identifier: Apache-2.0
// `node bench/envoy/hostcalls.mjs`: how many proxy-wasm host calls (wasm -> host) and callbacks
// (host -> wasm) one request costs in each filter of `pnpm bench:envoy`, warm (one token, cache hit)
// and cold (a new token each time). The Envoy we run is stripped and its V8 takes no flags, so a
// profile cannot name functions inside it; every crossing of the wasm boundary costs a V8 C API
// call in Envoy, so these counts are what the per-request path asks of Envoy. Run through
// @getwild/host, which links the same imports Envoy does; counting wraps WebAssembly.Instance, the
// host itself is unchanged (with the WASI set of proxy-wasm-cpp-host's head, which Go's wasip1 needs). Needs `pnpm bench:envoy` once (for the peers' builds in .bench/envoy).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { jwtAuthnConfig, peerConfig, exampleConfig } from "./lib/bootstrap.mjs";
import { makeKeys, mintTokens } from "./lib/tokens.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const imports = new Map(); // name -> calls
const callbacks = new Map();
const bump = (map, name) => map.set(name, (map.get(name) ?? 0) + 1);

const Original = WebAssembly.Instance;
WebAssembly.Instance = function CountingInstance(module, importObject) {
  const wrapped = {};
  for (const [space, fns] of Object.entries(importObject ?? {})) {
    wrapped[space] = {};
    for (const [name, fn] of Object.entries(fns)) {
      wrapped[space][name] = typeof fn === "function" ? (...args) => (bump(imports, name), fn(...args)) : fn;
    }
  }
  const instance = new Original(module, wrapped);
  const exports = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    exports[name] =
      typeof value === "function" && name.startsWith("proxy_on_")
        ? (...args) => (bump(callbacks, name), value(...args))
        : value;
  }
  return Object.freeze(Object.setPrototypeOf({ exports: Object.freeze(exports) }, Original.prototype));
};

const { createHost } = await import(join(repo, "packages/host/dist/index.js"));
const keys = makeKeys();
const N = 200;
const tokens = await mintTokens(keys.privateKey, 1 + N);
const ex = (name) => join(repo, "examples", name, "build", "filter.wasm");
const filters = [
  {
    name: "firebase-jwt",
    wasm: ex("firebase-jwt"),
    rootId: "firebase-jwt",
    pluginConfig: exampleConfig(repo, "firebase-jwt"),
    clusters: ["googleapis"],
  },
  { name: "jwt-authn", wasm: ex("jwt-authn"), rootId: "jwt-authn", pluginConfig: jwtAuthnConfig(keys.jwksText) },
  { name: "hello", wasm: ex("hello"), rootId: "hello", pluginConfig: "" },
  {
    name: "peer-go",
    wasm: join(repo, ".bench/envoy/peer-go.wasm"),
    rootId: "peer-go",
    pluginConfig: peerConfig(keys.jwks),
  },
  {
    name: "peer-rust",
    wasm: join(repo, ".bench/envoy/rust-target/wasm32-wasip1/release/peer_rust.wasm"),
    rootId: "peer-rust",
    pluginConfig: peerConfig(keys.jwks),
  },
];

const table = (map, n) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / n).toFixed(2)}`)
    .join(", ");
for (const f of filters) {
  if (!existsSync(f.wasm)) {
    console.log(`${f.name}: ${f.wasm} not built (run pnpm bench:envoy once)`);
    continue;
  }
  let host;
  try {
    host = await createHost({
      wasm: readFileSync(f.wasm),
      rootId: f.rootId,
      pluginConfig: f.pluginConfig,
      clusters: f.clusters ?? [],
      workers: 1,
      wasi: "cpp-host-head",
    });
  } catch (error) {
    console.log(`${f.name}: not counted, @getwild/host refuses it: ${error.message}`); // Envoy 1.40 loads it
    continue;
  }
  const get = (token) => ({
    method: "GET",
    path: "/",
    headers: { ":authority": "bench.local", authorization: `Bearer ${token}` },
  });
  if (f.clusters) {
    host.advance?.(50);
    for (const call of host.pendingCalls())
      call.respond({ status: 200, headers: { "cache-control": "max-age=21600" }, body: keys.jwksText });
  }
  for (const [mode, pick] of [
    ["warm", () => tokens[0]],
    ["cold", (i) => tokens[1 + i]],
  ]) {
    const first = await host.request(get(tokens[0]), { status: 200 });
    if (first.status !== 200) throw new Error(`${f.name}: ${first.status}`);
    imports.clear();
    callbacks.clear();
    for (let i = 0; i < N; i++) {
      const res = await host.request(get(pick(i)), { status: 200 });
      if (res.status !== 200) throw new Error(`${f.name} ${mode}: ${res.status}`);
    }
    const total = [...imports.values()].reduce((a, b) => a + b, 0) / N;
    const into = [...callbacks.values()].reduce((a, b) => a + b, 0) / N;
    console.log(
      `${f.name} ${mode}: ${total.toFixed(1)} host calls/request (${table(imports, N)}); ${into.toFixed(1)} callbacks (${table(callbacks, N)})`,
    );
    if (f.name === "hello") break;
  }
}
