// SPDX-License-Identifier: Apache-2.0
// RSA key import rules and hostile inputs through the compiled wasm: size limits and the minBits
// floor, leading zeros, even modulus, bad exponents, signatures out of range, random bytes.
import { describe, it, expect, beforeAll } from "vitest";
import { randomBytes, randomInt, sign } from "node:crypto";
import { RsaWasm, RSA_BUILDS } from "./rsa_wasm";
import { testKey } from "./rsa_keys";

// KeyError values from assembly/jose/crypto/errors.ts.
const ModulusSize = 2,
  BadExponent = 3,
  BadModulus = 7;

describe.each(RSA_BUILDS)("%s.wasm", (build) => {
  let rsa: RsaWasm;
  beforeAll(() => {
    rsa = new RsaWasm(build);
  });

  /** Big-endian bytes of a bigint, exactly `len` long. */
  function toBytes(x: bigint, len: number): Buffer {
    return Buffer.from(x.toString(16).padStart(len * 2, "0"), "hex");
  }

  describe("modulus size", () => {
    it("default floor is 2048 bits; minBits raises or lowers it; 4096 is the ceiling", () => {
      const k2048 = testKey(2048);
      expect(rsa.importKey(k2048.n, k2048.e)).toBeGreaterThanOrEqual(0);
      expect(rsa.importKey(k2048.n, k2048.e, 3072)).toBe(-ModulusSize);
      const k1024 = testKey(1024);
      expect(rsa.importKey(k1024.n, k1024.e)).toBe(-ModulusSize);
      const h = rsa.importKey(k1024.n, k1024.e, 1024);
      expect(h).toBeGreaterThanOrEqual(0);
      const msg = randomBytes(50);
      expect(rsa.verify(h, false, 0, msg, sign("sha256", msg, k1024.privateKey))).toBe(true);
      // 4097 bits (odd) is refused, 4096 accepted.
      const n4097 = (1n << 4096n) + 12345n;
      expect(rsa.importKey(toBytes(n4097, 513), Buffer.from([1, 0, 1]))).toBe(-ModulusSize);
      const k4096 = testKey(4096);
      expect(rsa.importKey(k4096.n, k4096.e)).toBeGreaterThanOrEqual(0);
    });

    it("tolerates leading zero bytes in n and e", () => {
      const k = testKey(2048);
      const h = rsa.importKey(Buffer.concat([Buffer.alloc(3), k.n]), Buffer.concat([Buffer.alloc(2), k.e]));
      expect(h).toBeGreaterThanOrEqual(0);
      const msg = randomBytes(30);
      expect(rsa.verify(h, false, 0, msg, sign("sha256", msg, k.privateKey))).toBe(true);
    });

    it("refuses empty, zero and even moduli", () => {
      const e = Buffer.from([1, 0, 1]);
      expect(rsa.importKey(Buffer.alloc(0), e)).toBe(-ModulusSize);
      expect(rsa.importKey(Buffer.alloc(256), e)).toBe(-ModulusSize);
      const even = Buffer.from(testKey(2048).n);
      even[even.length - 1] &= 0xfe;
      expect(rsa.importKey(even, e)).toBe(-BadModulus);
    });
  });

  describe("public exponent", () => {
    it("must be odd, >= 3, at most 33 bits (BoringSSL's limits) and < n; e = 3 is accepted", () => {
      const k = testKey(2048);
      const n = BigInt("0x" + k.n.toString("hex"));
      for (const bad of [[], [0], [1], [0, 1], [2], [1, 0, 0], [0xff, 0xfe]]) {
        expect(rsa.importKey(k.n, Buffer.from(bad)), `e = ${bad}`).toBe(-BadExponent);
      }
      expect(rsa.importKey(k.n, k.n)).toBe(-BadExponent); // e = n
      expect(rsa.importKey(k.n, toBytes(n + 2n, 257))).toBe(-BadExponent); // e > n (odd)
      expect(rsa.importKey(k.n, toBytes(n - 2n, 256))).toBe(-BadExponent); // odd, < n, but 2048 bits
      expect(rsa.importKey(k.n, Buffer.from([3]))).toBeGreaterThanOrEqual(0);
      expect(rsa.importKey(k.n, toBytes((1n << 33n) - 1n, 5))).toBeGreaterThanOrEqual(0); // 33 bits: the largest
      expect(rsa.importKey(k.n, toBytes((1n << 33n) + 1n, 5))).toBe(-BadExponent); // 34 bits
      expect(rsa.importKey(k.n, toBytes((1n << 33n) + 1n, 12))).toBe(-BadExponent); // leading zeros do not hide it
    });
  });

  describe("signature range and length", () => {
    it("rejects s = 0, s = n, s = n + 1, all-ones, and every wrong length", () => {
      const k = testKey(2048);
      const h = rsa.importKey(k.n, k.e);
      const n = BigInt("0x" + k.n.toString("hex"));
      const msg = randomBytes(10);
      for (const s of [0n, 1n, n - 1n, n, n + 1n, (1n << 2048n) - 1n]) {
        for (const pss of [false, true]) expect(rsa.verify(h, pss, 0, msg, toBytes(s, 256))).toBe(false);
      }
      expect(rsa.publicOperation(h, toBytes(n, 256)).length).toBe(0);
      expect(rsa.publicOperation(h, toBytes(n - 1n, 256)).length).toBe(256);
      const good = sign("sha256", msg, k.privateKey);
      for (const len of [0, 1, 255, 257, 512]) {
        const sig = Buffer.alloc(len);
        good.copy(sig, 0, 0, Math.min(len, good.length));
        expect(rsa.verify(h, false, 0, msg, sig)).toBe(false);
      }
      // Unknown hash value and unknown key handle answer false.
      expect(rsa.verify(h, false, 3, msg, good)).toBe(false);
      expect(rsa.verify(h, false, -1, msg, good)).toBe(false);
      expect(rsa.verify(9999, false, 0, msg, good)).toBe(false);
    });
  });

  describe("random bytes never trap", () => {
    it("random n/e/signatures: import gives a handle or an error, verify gives false", () => {
      for (let t = 0; t < 150; t++) {
        const n = randomBytes(randomInt(0, 600));
        if (n.length > 0 && t % 2 === 0) n[0] |= 0x80; // often a full-size modulus
        if (n.length > 0 && t % 3 !== 0) n[n.length - 1] |= 1;
        const e = randomBytes(randomInt(0, 8));
        const h = rsa.importKey(n, e, randomInt(0, 5000));
        if (h < 0) {
          expect([-ModulusSize, -BadExponent, -BadModulus]).toContain(h);
          continue;
        }
        for (let i = 0; i < 3; i++) {
          const sig = randomBytes(i === 0 ? n.length : randomInt(0, 600));
          expect(rsa.verify(h, i === 1, randomInt(0, 3), randomBytes(randomInt(0, 100)), sig)).toBe(false);
        }
      }
    });
  });
});
