// SPDX-License-Identifier: Apache-2.0
// RS256/PS256 at 2048/3072/4096 bits and RS384/RS512/PS384/PS512 at 2048: one verify of a
// ~900-byte signing input with an imported key, in our wasm vs node:crypto with a KeyObject.
// The wasm is the SIMD build (test/fixtures/rsa.ts); BENCH_RSA_SCALAR=1 adds "-scalar" cases run on
// the portable build (rsa_scalar), for filters compiled without --enable simd.
import { constants, generateKeyPairSync, sign, verify } from "node:crypto";
import { loadFixture } from "./wasm_fixture.mjs";
import { signingInput } from "./signing_input.mjs";

const HASH = {
  256: { id: 0, name: "sha256", len: 32 },
  384: { id: 1, name: "sha384", len: 48 },
  512: { id: 2, name: "sha512", len: 64 },
};

const CASES = [
  ["RS256", 2048],
  ["RS256", 3072],
  ["RS256", 4096],
  ["RS384", 2048],
  ["RS512", 2048],
  ["PS256", 2048],
  ["PS256", 3072],
  ["PS256", 4096],
  ["PS384", 2048],
  ["PS512", 2048],
];

const SCALAR_CASES = [
  ["RS256", 2048],
  ["RS256", 4096],
  ["PS256", 2048],
];

export default async function () {
  const keys = new Map();
  const keyFor = (bits) => {
    if (!keys.has(bits)) keys.set(bits, generateKeyPairSync("rsa", { modulusLength: bits }));
    return keys.get(bits);
  };
  const all = CASES.map(([alg, bits]) => [alg, bits, "rsa"]);
  if (process.env.BENCH_RSA_SCALAR) for (const [alg, bits] of SCALAR_CASES) all.push([alg, bits, "rsa_scalar"]);
  return all.map(([alg, bits, fixture]) => {
    const { publicKey, privateKey } = keyFor(bits);
    const hash = HASH[alg.slice(2)];
    const pss = alg.startsWith("PS");
    const msg = signingInput(alg);
    const pad = (key) => (pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.len } : key);
    const sig = sign(hash.name, msg, pad(privateKey));
    const fx = loadFixture(fixture);
    const jwk = publicKey.export({ format: "jwk" });
    const handle = fx.exports.importKey(
      fx.bytes(Buffer.from(jwk.n, "base64url")),
      fx.bytes(Buffer.from(jwk.e, "base64url")),
      2048,
    );
    if (handle < 0) throw new Error(`${alg}-${bits}: key import failed (${handle})`);
    fx.exports.benchSetup(handle, pss ? 1 : 0, hash.id, fx.bytes(msg), fx.bytes(sig));
    fx.release();
    if (!fx.exports.benchVerify()) throw new Error(`${alg}-${bits}: wasm rejected a good signature`);
    const nativeKey = pad(publicKey);
    const native = () => {
      if (!verify(hash.name, msg, nativeKey, sig)) throw new Error("native rejected");
    };
    native();
    const suffix = fixture === "rsa" ? "" : "-scalar";
    return { name: `${alg}-${bits}${suffix}`, wasm: () => fx.exports.benchVerify(), native };
  });
}
