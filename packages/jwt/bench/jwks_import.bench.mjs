// SPDX-License-Identifier: Apache-2.0
// Key import per algorithm: a one-key JWKS document parsed into a usable key (JSON, base64url, the
// key checks, and for ES256/ES384 the per-key comb table that makes each later verify cheaper),
// vs node:crypto's JSON.parse + createPublicKey from the same JWK. A filter pays this at configure
// time and after every JWKS fetch or rotation, once per key; the verify rows show what it buys.
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { pathToFileURL } from "node:url";
import { printCpuTimes } from "./cpu_time.mjs";
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

// `node bench/jwks_import.bench.mjs` on its own: the same cases timed by CPU time (cpu_time.mjs).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printCpuTimes(await jwksImportCases(), { roundUs: 50_000, nameWidth: 18, warmup: 20 });
}
