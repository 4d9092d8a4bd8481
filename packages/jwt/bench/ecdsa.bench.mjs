// SPDX-License-Identifier: Apache-2.0
// ES256/384/512: one verify of a ~900-byte signing input (hash included) in our wasm, key imported
// once with its comb table built and G's table already made, vs node:crypto with a pre-created
// public KeyObject and raw r||s (ieee-p1363) signatures.
// With BENCH_EC_IMPORT=1 it also times one key import from JWK x/y (ES256-import ...): our checks
// plus the per-key comb table, vs node:crypto's createPublicKey from the same JWK.
import { createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { pathToFileURL } from "node:url";
import { printCpuTimes } from "./cpu_time.mjs";
import { loadFixture } from "./wasm_fixture.mjs";
import { signingInput } from "./signing_input.mjs";

const CASES = [
  { name: "ES256", id: 0, curve: "P-256", hash: "sha256" },
  { name: "ES384", id: 1, curve: "P-384", hash: "sha384" },
  { name: "ES512", id: 2, curve: "P-521", hash: "sha512" },
];

export default async function ecdsaCases() {
  const cases = [];
  for (const { name, id, curve, hash } of CASES) {
    const fx = loadFixture("ecdsa");
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: curve });
    const jwk = publicKey.export({ format: "jwk" });
    const msg = signingInput(name);
    const sig = sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" });
    const x = Buffer.from(jwk.x, "base64url"),
      y = Buffer.from(jwk.y, "base64url");
    if (!fx.exports.benchSetup(id, fx.bytes(x), fx.bytes(y), fx.bytes(msg), fx.bytes(sig)))
      throw new Error(`${name}: wasm refused the key`);
    fx.release();
    if (!fx.exports.benchVerify()) throw new Error(`${name}: wasm rejected a good signature`);
    const key = { key: publicKey, dsaEncoding: "ieee-p1363" };
    const native = () => {
      if (!verify(hash, msg, key, sig)) throw new Error(`${name}: node rejected a good signature`);
    };
    // Warm up both sides so that V8's tier-up happens before the runner's short calibration.
    for (let i = 0; i < 100; i++) {
      fx.exports.benchVerify();
      native();
    }
    cases.push({ name, wasm: () => fx.exports.benchVerify(), native });
    if (process.env.BENCH_EC_IMPORT) {
      const publicJwk = { kty: "EC", crv: curve, x: jwk.x, y: jwk.y };
      cases.push({
        name: `${name}-import`,
        wasm: () => {
          if (!fx.exports.benchImport()) throw new Error(`${name}: import failed`);
        },
        native: () => createPublicKey({ format: "jwk", key: publicJwk }),
      });
    }
  }
  return cases;
}

// `node bench/ecdsa.bench.mjs` on its own: the same cases timed by CPU time (cpu_time.mjs).
// Add --liftoff --no-wasm-tier-up before the script name for the baseline compiler only.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { compileFixture } = await import("../test/compile.mjs");
  await compileFixture("test/fixtures/ecdsa.ts");
  printCpuTimes(await ecdsaCases(), { roundUs: 100_000, nameWidth: 14 });
}
