// SPDX-License-Identifier: Apache-2.0
// `node bench/rsa_split.mjs [bits] [rsa|rsa_scalar]` (after a bench or test run has built the
// fixtures; rsa_scalar is the build without SIMD): where an RS256 verify's time goes, as the
// minimum over 80 short batches of each (robust to a busy machine): our whole verify, the RSA
// public operation alone, SHA-256 of the signing input, and node's verify.
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { loadFixture } from "./wasm_fixture.mjs";
import { signingInput } from "./signing_input.mjs";

const bits = Number(process.argv[2] ?? 2048);
const fixture = process.argv[3] ?? "rsa";
const rsa = loadFixture(fixture);
const hash = loadFixture("hash");
const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
const jwk = publicKey.export({ format: "jwk" });
const msg = signingInput("RS256");
const sig = sign("sha256", msg, privateKey);
const handle = rsa.exports.importKey(
  rsa.bytes(Buffer.from(jwk.n, "base64url")),
  rsa.bytes(Buffer.from(jwk.e, "base64url")),
  2048,
);
rsa.exports.benchSetup(handle, 0, 0, rsa.bytes(msg), rsa.bytes(sig));
if (!rsa.exports.benchVerify()) throw new Error("wasm rejected a good signature");
const sigPtr = rsa.bytes(sig);
const msgPtr = hash.bytes(msg);
const cases = {
  "wasm verify": () => rsa.exports.benchVerify(),
  "wasm RSA public operation": () => rsa.exports.publicOperation(handle, sigPtr),
  "wasm SHA-256 of the input": () => hash.exports.digest(0, msgPtr),
  "node verify": () => verify("sha256", msg, publicKey, sig),
};
const best = Object.fromEntries(Object.keys(cases).map((k) => [k, Infinity]));
const batch = bits > 3072 ? 5 : 20;
for (let r = 0; r < 80; r++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    best[name] = Math.min(best[name], Number(process.hrtime.bigint() - t) / 1e3 / batch);
  }
}
console.log(
  `RS256-${bits} (${fixture}.wasm), ${msg.length}-byte signing input, minimum µs per op over 80 batches of ${batch}:`,
);
for (const [name, us] of Object.entries(best)) console.log(`  ${name.padEnd(28)} ${us.toFixed(1).padStart(8)}`);
console.log(`  ratio wasm/node              ${(best["wasm verify"] / best["node verify"]).toFixed(2).padStart(8)}x`);
