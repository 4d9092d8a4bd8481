// SPDX-License-Identifier: Apache-2.0
// EdDSA (Ed25519): one verify of a ~900-byte signing input in our wasm (key imported once, its
// tables already built) vs node:crypto with a pre-created public KeyObject.
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { loadFixture } from "./wasm_fixture.mjs";
import { signingInput } from "./signing_input.mjs";

export default async function () {
  const fx = loadFixture("ed25519");
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  const msg = signingInput("EdDSA");
  const sig = sign(null, msg, privateKey);
  if (!fx.exports.benchSetup(fx.bytes(x), fx.bytes(msg), fx.bytes(sig))) throw new Error("EdDSA: wasm refused the key");
  fx.release();
  if (!fx.exports.benchVerify()) throw new Error("EdDSA: wasm rejected a good signature");
  const native = () => {
    if (!verify(null, msg, publicKey, sig)) throw new Error("EdDSA: node rejected a good signature");
  };
  native();
  return [{ name: "EdDSA", wasm: () => fx.exports.benchVerify(), native }];
}
