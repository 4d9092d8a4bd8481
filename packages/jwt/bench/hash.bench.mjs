// SPDX-License-Identifier: Apache-2.0
// HS256/384/512: one full verify (key padding, HMAC of a ~900-byte signing input, constant-time
// full-tag compare) in our wasm vs node:crypto with a pre-created secret KeyObject.
import { createHmac, createSecretKey, randomBytes, timingSafeEqual } from "node:crypto";
import { loadFixture } from "./wasm_fixture.mjs";
import { signingInput } from "./signing_input.mjs";

const CASES = [
  { name: "HS256", id: 0, node: "sha256", keyBytes: 32 },
  { name: "HS384", id: 1, node: "sha384", keyBytes: 48 },
  { name: "HS512", id: 2, node: "sha512", keyBytes: 64 },
];

export default async function () {
  return CASES.map(({ name, id, node, keyBytes }) => {
    const fx = loadFixture("hash");
    const key = randomBytes(keyBytes);
    const msg = signingInput(name);
    const tag = createHmac(node, key).update(msg).digest();
    fx.exports.benchSetup(id, fx.bytes(key), fx.bytes(msg), fx.bytes(tag));
    fx.release();
    if (!fx.exports.benchVerify()) throw new Error(`${name}: wasm rejected a good tag`);
    const keyObject = createSecretKey(key);
    const native = () => {
      if (!timingSafeEqual(createHmac(node, keyObject).update(msg).digest(), tag)) throw new Error("bad");
    };
    native();
    return { name, wasm: () => fx.exports.benchVerify(), native };
  });
}
