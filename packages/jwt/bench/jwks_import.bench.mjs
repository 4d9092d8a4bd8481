// SPDX-License-Identifier: Apache-2.0
// Key import per algorithm: a one-key JWKS document parsed into a usable key (JSON, base64url, the
// key checks, and for ES256/ES384 the per-key comb table that makes each later verify cheaper),
// vs node:crypto's JSON.parse + createPublicKey from the same JWK. A filter pays this at configure
// time and after every JWKS fetch or rotation, once per key; the verify rows show what it buys.
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { pathToFileURL } from "node:url";
import { compileFixture } from "../test/compile.mjs";
import { loadFixture } from "./wasm_fixture.mjs";

const KEYS = [
  { name: "RS256-2048", gen: () => generateKeyPairSync("rsa", { modulusLength: 2048 }), alg: "RS256" },
  { name: "ES256", gen: () => generateKeyPairSync("ec", { namedCurve: "P-256" }), alg: "ES256" },
  { name: "ES384", gen: () => generateKeyPairSync("ec", { namedCurve: "P-384" }), alg: "ES384" },
  { name: "EdDSA", gen: () => generateKeyPairSync("ed25519"), alg: "EdDSA" },
];

export default async function jwksImportCases() {
  await compileFixture("bench/jwks_import_entry.ts");
  return KEYS.map(({ name, gen, alg }) => {
    const jwk = { ...gen().publicKey.export({ format: "jwk" }), kid: "k1", alg, use: "sig" };
    const text = JSON.stringify({ keys: [jwk] });
    const fx = loadFixture("jwks_import_entry");
    fx.exports.setBody(fx.bytes(Buffer.from(text)));
    const wasm = () => {
      if (fx.exports.importAll() !== 1) throw new Error(`${name}: the wasm refused the JWKS`);
    };
    wasm();
    const native = () => createPublicKey({ format: "jwk", key: JSON.parse(text).keys[0] });
    native();
    return { name: `import-${name}`, wasm, native };
  });
}

// `node bench/jwks_import.bench.mjs` on its own: the same cases timed by CPU time (process.cpuUsage),
// minimum over rounds, which a busy shared machine disturbs far less than the runner's wall-clock medians.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
  const cpuPerOp = (fn, n) => {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const d = process.cpuUsage(t);
    return (d.user + d.system) / n;
  };
  for (const c of await jwksImportCases()) {
    for (let i = 0; i < 20; i++) { c.wasm(); c.native(); } // tier-up before timing
    const n = Math.max(5, Math.round(50_000 / cpuPerOp(c.wasm, 5)));
    const m = Math.max(5, Math.round(50_000 / cpuPerOp(c.native, 5)));
    let w = Infinity, x = Infinity;
    for (let r = 0; r < rounds; r++) {
      w = Math.min(w, cpuPerOp(c.wasm, n));
      x = Math.min(x, cpuPerOp(c.native, m));
    }
    console.log(`${c.name.padEnd(18)} wasm ${w.toFixed(1).padStart(8)} µs  native ${x.toFixed(1).padStart(8)} µs  ratio ${(w / x).toFixed(2)}x (CPU time, min of ${rounds})`);
  }
}
