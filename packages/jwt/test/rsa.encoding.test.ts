// SPDX-License-Identifier: Apache-2.0
// Hand-built encoded messages signed with the raw private operation, to hit every rejection branch
// of PKCS#1 v1.5 (whole-block compare) and EMSA-PSS-VERIFY (RFC 8017 §9.1.2 steps 4-14); node's
// verify is asked the same question for each (except where noted).
import { describe, it, expect, beforeAll } from "vitest";
import { constants, createHash, privateEncrypt, randomBytes, verify } from "node:crypto";
import { RsaWasm, RSA_BUILDS } from "./rsa_wasm";
import { testKey, type TestKey } from "./rsa_keys";

const sha256 = (...parts: Uint8Array[]) => createHash("sha256").update(Buffer.concat(parts)).digest();

/** s = em^d mod n (em must be k bytes and below n). */
function rawSign(key: TestKey, em: Buffer): Buffer {
  return privateEncrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, em);
}

const DIGEST_INFO_SHA256 = Buffer.from("3031300d060960864801650304020105000420", "hex");

function pkcs1Block(k: number, digestInfo: Buffer, hash: Buffer, type = 0x01): Buffer {
  const t = Buffer.concat([digestInfo, hash]);
  return Buffer.concat([Buffer.from([0x00, type]), Buffer.alloc(k - t.length - 3, 0xff), Buffer.from([0x00]), t]);
}

function mgf1(seed: Buffer, len: number): Buffer {
  const out: Buffer[] = [];
  for (let c = 0; out.length * 32 < len; c++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c);
    out.push(sha256(seed, counter));
  }
  return Buffer.concat(out).subarray(0, len);
}

interface PssParts {
  saltLen?: number;
  trailer?: number;
  separator?: number;
  psByte?: number; // a non-zero byte put in the middle of PS
  flipH?: boolean;
  topBits?: number; // replaces the first byte after masking (must be 0x80: EM stays below n)
}

/** EMSA-PSS-ENCODE for a 2048-bit key (emBits 2047, emLen 256), with optional defects. */
function pssBlock(msg: Buffer, p: PssParts = {}): Buffer {
  const emLen = 256,
    hLen = 32,
    sLen = p.saltLen ?? 32;
  const salt = randomBytes(sLen);
  const h = sha256(Buffer.alloc(8), sha256(msg), salt);
  const ps = Buffer.alloc(emLen - sLen - hLen - 2);
  if (p.psByte !== undefined) ps[ps.length >> 1] = p.psByte;
  const db = Buffer.concat([ps, Buffer.from([p.separator ?? 0x01]), salt]);
  const mask = mgf1(h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0x7f;
  // With the top bit set, keep EM below n (whose first byte is checked > 0x80) by clearing the rest.
  if (p.topBits) db[0] = p.topBits;
  if (p.flipH) h[5] ^= 1;
  return Buffer.concat([db, h, Buffer.from([p.trailer ?? 0xbc])]);
}

describe.each(RSA_BUILDS)("%s.wasm", (build) => {
  let rsa: RsaWasm;
  let key: TestKey;
  let handle: number;
  beforeAll(() => {
    rsa = new RsaWasm(build);
    key = testKey(2048);
    handle = rsa.importKey(key.n, key.e);
  });

  it("PKCS#1 v1.5: only the exact block verifies", () => {
    const msg = randomBytes(300);
    const h = sha256(msg);
    const k = key.n.length;
    const good = pkcs1Block(k, DIGEST_INFO_SHA256, h);
    const cases: Array<[string, Buffer, boolean]> = [
      ["exact block", good, true],
      ["block type 02", pkcs1Block(k, DIGEST_INFO_SHA256, h, 0x02), false],
      [
        "a padding byte FE",
        (() => {
          const b = Buffer.from(good);
          b[50] = 0xfe;
          return b;
        })(),
        false,
      ],
      [
        "padding ended early, garbage before the DigestInfo",
        (() => {
          const b = Buffer.from(good);
          b[150] = 0x00;
          return b;
        })(),
        false,
      ],
      [
        "SHA-384 OID with a SHA-256 hash",
        pkcs1Block(k, Buffer.from("3031300d060960864801650304020205000420", "hex"), h),
        false,
      ],
      ["hash of another message", pkcs1Block(k, DIGEST_INFO_SHA256, sha256(msg, Buffer.from("x"))), false],
      [
        "DigestInfo + hash shifted left, trailing garbage byte",
        Buffer.concat([good.subarray(1, k - 33), Buffer.from([0x00]), good.subarray(k - 32), Buffer.from([0x42])]),
        false,
      ],
    ];
    for (const [what, em, want] of cases) {
      const sig = rawSign(key, em);
      expect(rsa.verify(handle, false, 0, msg, sig), what).toBe(want);
      expect(verify("sha256", msg, key.publicKey, sig), `node: ${what}`).toBe(want);
    }
    // DigestInfo without the NULL parameter: Wycheproof's "acceptable"; we refuse it (node may not).
    const noNull = pkcs1Block(k, Buffer.from("302f300b0609608648016503040201" + "0420", "hex"), h);
    expect(rsa.verify(handle, false, 0, msg, rawSign(key, noNull))).toBe(false);
  });

  it("PSS: every step of §9.1.2 rejects its defect", () => {
    if (key.n[0] <= 0x80) return; // the top-bit case needs EM < n with EM's top bit set
    const msg = randomBytes(500);
    const cases: Array<[string, PssParts, boolean]> = [
      ["well formed", {}, true],
      ["trailer BD (step 4)", { trailer: 0xbd }, false],
      ["unused top bit set (step 6)", { topBits: 0x80 }, false],
      ["salt of 0 bytes (step 10/14)", { saltLen: 0 }, false],
      ["salt of 20 bytes", { saltLen: 20 }, false],
      ["salt of 64 bytes", { saltLen: 64 }, false],
      ["non-zero byte in PS (step 10)", { psByte: 0x01 }, false],
      ["separator 02 instead of 01 (step 10)", { separator: 0x02 }, false],
      ["H altered (step 14)", { flipH: true }, false],
    ];
    const pssKey = { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    for (const [what, parts, want] of cases) {
      const sig = rawSign(key, pssBlock(msg, parts));
      expect(rsa.verify(handle, true, 0, msg, sig), what).toBe(want);
      expect(verify("sha256", msg, pssKey, sig), `node: ${what}`).toBe(want);
    }
  });
});
