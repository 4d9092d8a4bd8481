// SPDX-License-Identifier: Apache-2.0
// A few RSA key pairs generated with node:crypto once per test file (generation is slow).
import { generateKeyPairSync, type KeyObject } from "node:crypto";

export interface TestKey {
  bits: number;
  publicKey: KeyObject;
  privateKey: KeyObject;
  n: Buffer;
  e: Buffer;
}

const cache = new Map<string, TestKey>();

export function testKey(bits: number, publicExponent = 65537, index = 0): TestKey {
  const id = `${bits}/${publicExponent}/${index}`;
  let k = cache.get(id);
  if (!k) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent });
    const jwk = publicKey.export({ format: "jwk" });
    k = { bits, publicKey, privateKey, n: Buffer.from(jwk.n!, "base64url"), e: Buffer.from(jwk.e!, "base64url") };
    cache.set(id, k);
  }
  return k;
}
