// SPDX-License-Identifier: Apache-2.0
// HMAC-SHA-256/384/512 through the compiled wasm: every Wycheproof hmac_* case, RFC 7515 A.1
// (HS256) and random keys/messages/corrupted tags against node:crypto.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { loadFixture, vectorsDir, type Fixture } from "./wasm";

interface HmacExports {
  hmacSign(alg: number, key: number, msg: number): number;
  hmacCheck(alg: number, key: number, msg: number, tag: number): number;
  ctEqual(a: number, b: number): number;
}

const ALGS = [
  { id: 0, node: "sha256", bits: 256, file: "hmac_sha256_test.json" },
  { id: 1, node: "sha384", bits: 384, file: "hmac_sha384_test.json" },
  { id: 2, node: "sha512", bits: 512, file: "hmac_sha512_test.json" },
] as const;

let fx: Fixture<HmacExports>;
beforeAll(() => {
  fx = loadFixture<HmacExports>("hash");
});

function sign(alg: number, key: Uint8Array, msg: Uint8Array): Buffer {
  const out = Buffer.from(fx.read(fx.exports.hmacSign(alg, fx.bytes(key), fx.bytes(msg))));
  fx.release();
  return out;
}

function check(alg: number, key: Uint8Array, msg: Uint8Array, tag: Uint8Array): boolean {
  const ok = fx.exports.hmacCheck(alg, fx.bytes(key), fx.bytes(msg), fx.bytes(tag)) !== 0;
  fx.release();
  return ok;
}

const hex = (s: string) => Buffer.from(s, "hex");

describe.each(ALGS)("Wycheproof $file", ({ id, bits, file }) => {
  const data = JSON.parse(readFileSync(join(vectorsDir, "wycheproof", file), "utf8"));
  const groups = data.testGroups as Array<{ keySize: number; tagSize: number; tests: Array<Record<string, any>> }>;

  it("has the expected number of cases", () => {
    expect(groups.reduce((n, g) => n + g.tests.length, 0)).toBe(data.numberOfTests);
  });

  it("full-length tags: valid accepted, invalid rejected", () => {
    let count = 0;
    for (const g of groups.filter((g) => g.tagSize === bits)) {
      for (const t of g.tests) {
        const ok = check(id, hex(t.key), hex(t.msg), hex(t.tag));
        expect(ok, `tcId ${t.tcId} ${t.comment} (${t.result})`).toBe(t.result === "valid");
        count++;
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it("truncated-tag groups: the JWS verifier rejects every one; the primitive's prefix matches valid ones", () => {
    // JWS never truncates (RFC 7518 §3.2), so a tag shorter than the digest is never accepted,
    // even when Wycheproof calls it valid at the primitive level. The computed MAC's prefix must
    // still equal the valid tags, which checks the primitive itself.
    let count = 0;
    for (const g of groups.filter((g) => g.tagSize !== bits)) {
      for (const t of g.tests) {
        expect(check(id, hex(t.key), hex(t.msg), hex(t.tag)), `tcId ${t.tcId}`).toBe(false);
        const prefix = sign(id, hex(t.key), hex(t.msg))
          .subarray(0, g.tagSize / 8)
          .toString("hex");
        expect(prefix === t.tag, `tcId ${t.tcId} ${t.comment} (${t.result})`).toBe(t.result === "valid");
        count++;
      }
    }
    expect(count).toBeGreaterThan(50);
  });
});

describe("RFC 7515 A.1 (HS256)", () => {
  it("verifies the published JWS and rejects it with one bit flipped", () => {
    const rfc = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc7515_appendix_A.json"), "utf8"));
    const ex = rfc.examples.find((e: any) => e.section === "A.1");
    const key = Buffer.from(ex.jwk.k, "base64url");
    const msg = Buffer.from(ex.signing_input, "ascii");
    const tag = Buffer.from(ex.signature_b64url, "base64url");
    expect(check(0, key, msg, tag)).toBe(true);
    for (const i of [0, 17, 31]) {
      const bad = Buffer.from(tag);
      bad[i] ^= 1;
      expect(check(0, key, msg, bad)).toBe(false);
    }
    expect(check(0, key, msg, tag.subarray(0, 31))).toBe(false);
    expect(check(0, key, msg, Buffer.concat([tag, Buffer.from([0])]))).toBe(false);
    // The same bytes under HS384/HS512 lengths never pass.
    expect(check(1, key, msg, tag)).toBe(false);
  });
});

describe.each(ALGS)("differential vs node:crypto, HMAC-$node", ({ id, node, bits }) => {
  it("random keys (0..300 bytes) and messages (0..2000 bytes), good and corrupted tags", () => {
    for (let t = 0; t < 150; t++) {
      const key = randomBytes(randomInt(0, 300));
      const msg = randomBytes(randomInt(0, 2000));
      const want = createHmac(node, key).update(msg).digest();
      const got = sign(id, key, msg);
      expect(got.toString("hex"), `key ${key.length} msg ${msg.length}`).toBe(want.toString("hex"));
      expect(check(id, key, msg, want)).toBe(true);
      const bad = Buffer.from(want);
      bad[randomInt(0, bits / 8)] ^= 1 << randomInt(0, 8);
      expect(check(id, key, msg, bad)).toBe(false);
      expect(check(id, key, msg, want.subarray(0, randomInt(0, bits / 8)))).toBe(false);
    }
  });
});

describe("robustness", () => {
  it("unknown alg rejects and signs nothing; random bytes never trap", () => {
    expect(check(7, Buffer.from("k"), Buffer.from("m"), randomBytes(32))).toBe(false);
    expect(sign(-1, Buffer.from("k"), Buffer.from("m")).length).toBe(0);
    for (let t = 0; t < 100; t++) {
      expect(
        check(
          randomInt(0, 3),
          randomBytes(randomInt(0, 200)),
          randomBytes(randomInt(0, 200)),
          randomBytes(randomInt(0, 80)),
        ),
      ).toBe(false);
    }
  });

  it("constant-time compare answers like a plain compare", () => {
    const eq = (a: Uint8Array, b: Uint8Array) => {
      const r = fx.exports.ctEqual(fx.bytes(a), fx.bytes(b)) !== 0;
      fx.release();
      return r;
    };
    for (let t = 0; t < 200; t++) {
      const a = randomBytes(randomInt(0, 70));
      const b = Buffer.from(a);
      expect(eq(a, b)).toBe(true);
      if (a.length > 0) {
        b[randomInt(0, a.length)] ^= 1 << randomInt(0, 8);
        expect(eq(a, b)).toBe(false);
      }
      expect(eq(a, Buffer.concat([a, Buffer.from([0])]))).toBe(false);
    }
  });
});
