// SPDX-License-Identifier: Apache-2.0
// The Montgomery exponentiation behind RSAVP1 against JavaScript BigInt, on odd moduli chosen to
// stress carries (all-ones limbs, 2^k + 1, random) at many sizes, with extreme bases (0, 1, n - 1).
import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes, randomInt } from "node:crypto";
import { RsaWasm, RSA_BUILDS } from "./rsa_wasm";

function toBytes(x: bigint, len: number): Buffer {
  return Buffer.from(x.toString(16).padStart(len * 2, "0"), "hex");
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
  }
  return result;
}

function randomBelow(n: bigint, len: number): bigint {
  for (;;) {
    const x = BigInt("0x" + randomBytes(len).toString("hex"));
    if (x < n) return x;
  }
}

const SIZES = [17, 33, 64, 100, 127, 512, 1000, 1024, 2047, 2048, 2056, 3000, 3072, 4095, 4096];

describe.each(RSA_BUILDS)("%s.wasm", (build) => {
  let rsa: RsaWasm;
  beforeAll(() => {
    rsa = new RsaWasm(build);
  });

  it.each(SIZES)("%i-bit moduli: s^e mod n equals BigInt", (bits) => {
    const len = Math.ceil(bits / 8);
    const top = 1n << BigInt(bits - 1);
    const moduli = [
      (1n << BigInt(bits)) - 1n, // every limb all ones
      top + 1n, // 10…01
      top | (BigInt("0x" + randomBytes(len).toString("hex")) % top) | 1n, // random odd
    ];
    for (const n of moduli) {
      for (const e of [3n, 65537n, BigInt(randomInt(3, 2 ** 31)) | 1n]) {
        if (e >= n) continue;
        const h = rsa.importKey(toBytes(n, len), toBytes(e, 8), 0);
        expect(h, `import n = 0x${n.toString(16)}`).toBeGreaterThanOrEqual(0);
        for (const s of [0n, 1n, 2n, n - 1n, n - 2n, randomBelow(n, len), randomBelow(n, len)]) {
          const got = rsa.publicOperation(h, toBytes(s, len));
          expect(got.toString("hex"), `bits ${bits} e ${e} s 0x${s.toString(16)}`).toBe(
            toBytes(modPow(s, e, n), len).toString("hex"),
          );
        }
      }
    }
  });
});
