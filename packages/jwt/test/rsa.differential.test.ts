// SPDX-License-Identifier: Apache-2.0
// RSA differential tests against node:crypto on generated keys (2048/3072/4096 bits, odd sizes,
// e = 3): random messages, both paddings, all three hashes, corrupted signatures and messages.
import { describe, it, expect, beforeAll } from "vitest";
import { constants, publicDecrypt, randomBytes, randomInt, sign, verify } from "node:crypto";
import { RsaWasm, RSA_BUILDS } from "./rsa_wasm";
import { testKey } from "./rsa_keys";

const HASHES = [
  { id: 0, name: "sha256", len: 32 },
  { id: 1, name: "sha384", len: 48 },
  { id: 2, name: "sha512", len: 64 },
];

// 2049 bits: PSS emLen = k - 1 (the top byte of the RSAVP1 result must be zero);
// 2088 bits: k = 261 bytes, not a multiple of the 16-byte limb group.
const KEYS = [
  { bits: 2048, e: 65537, index: 0 },
  { bits: 2048, e: 65537, index: 1 },
  { bits: 2048, e: 3, index: 0 },
  { bits: 2049, e: 65537, index: 0 },
  { bits: 2088, e: 65537, index: 0 },
  { bits: 3072, e: 65537, index: 0 },
  { bits: 4096, e: 65537, index: 0 },
];

describe.each(RSA_BUILDS)("%s.wasm", (build) => {
  let rsa: RsaWasm;
  beforeAll(() => {
    rsa = new RsaWasm(build);
  });

  function pssOptions(key: any, hashLen: number) {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashLen };
  }

  describe.each(KEYS)("$bits-bit key, e = $e (#$index)", ({ bits, e, index }) => {
    it("RSAVP1 equals node's raw public operation on random representatives below n", () => {
      const k = testKey(bits, e, index);
      const h = rsa.importKey(k.n, k.e);
      expect(h).toBeGreaterThanOrEqual(0);
      const bytes = k.n.length;
      for (let t = 0; t < 20; t++) {
        const s = randomBytes(bytes);
        s[0] = s[0] % (k.n[0] || 1); // below n's top byte, hence below n
        const want = publicDecrypt({ key: k.publicKey, padding: constants.RSA_NO_PADDING }, s);
        expect(rsa.publicOperation(h, s).toString("hex")).toBe(want.toString("hex"));
      }
    });

    it.each(HASHES)(
      "PKCS#1 v1.5 and PSS with $name: good, corrupted signature, corrupted message",
      ({ id, name, len }) => {
        const k = testKey(bits, e, index);
        const h = rsa.importKey(k.n, k.e);
        for (let t = 0; t < 8; t++) {
          const msg = randomBytes(randomInt(0, 2000));
          const sigs = [
            { pss: false, sig: sign(name, msg, k.privateKey), key: k.publicKey as any },
            { pss: true, sig: sign(name, msg, pssOptions(k.privateKey, len)), key: pssOptions(k.publicKey, len) },
          ];
          for (const { pss, sig, key } of sigs) {
            expect(rsa.verify(h, pss, id, msg, sig), `good ${pss ? "PSS" : "PKCS1"}`).toBe(true);
            // The other padding, the other hashes never accept it.
            expect(rsa.verify(h, !pss, id, msg, sig)).toBe(false);
            for (const other of HASHES) if (other.id !== id) expect(rsa.verify(h, pss, other.id, msg, sig)).toBe(false);
            const badSig = Buffer.from(sig);
            badSig[randomInt(0, badSig.length)] ^= 1 << randomInt(0, 8);
            expect(rsa.verify(h, pss, id, msg, badSig)).toBe(verify(name, msg, key, badSig));
            const badMsg = Buffer.concat([msg, Buffer.from([randomInt(0, 256)])]);
            expect(rsa.verify(h, pss, id, badMsg, sig)).toBe(false);
            // Wrong lengths: one byte short (leading byte dropped), one byte long (leading zero).
            expect(rsa.verify(h, pss, id, msg, sig.subarray(1))).toBe(false);
            expect(rsa.verify(h, pss, id, msg, Buffer.concat([Buffer.from([0]), sig]))).toBe(false);
          }
        }
      },
    );

    it("random signature bytes agree with node (all rejected, nothing traps)", () => {
      const k = testKey(bits, e, index);
      const h = rsa.importKey(k.n, k.e);
      const msg = randomBytes(100);
      for (let t = 0; t < 10; t++) {
        const sig = randomBytes(k.n.length);
        for (const { id, name, len } of HASHES) {
          expect(rsa.verify(h, false, id, msg, sig)).toBe(verify(name, msg, k.publicKey, sig));
          expect(rsa.verify(h, true, id, msg, sig)).toBe(verify(name, msg, pssOptions(k.publicKey, len), sig));
        }
      }
    });
  });
});
