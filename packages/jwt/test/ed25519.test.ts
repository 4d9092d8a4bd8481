// SPDX-License-Identifier: Apache-2.0
// Ed25519 through the compiled wasm: every Wycheproof ed25519 case, the RFC 8037 example, key
// import rules (length, non-canonical y, no point, small order) and the reduction mod L vs BigInt.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicKey, randomBytes, verify as nodeVerify } from "node:crypto";
import { vectorsDir, type Fixture } from "./wasm";
import {
  ED25519_BUILDS,
  ed25519Fixture,
  verify,
  importError,
  L,
  toLe,
  fromLe,
  type Ed25519Exports,
} from "./ed25519_fixture";

// KeyError values from assembly/jose/crypto/errors.ts.
const KEY_OK = 0,
  BAD_LENGTH = 1,
  BAD_ENCODING = 5;

let fx: Fixture<Ed25519Exports>;
beforeAll(() => {
  fx = ed25519Fixture();
});

const hex = (s: string) => Buffer.from(s, "hex");
const P = 2n ** 255n - 19n;

describe.each(ED25519_BUILDS)("%s.wasm: Wycheproof ed25519_test.json", (build) => {
  const data = JSON.parse(readFileSync(join(vectorsDir, "wycheproof", "ed25519_test.json"), "utf8"));
  const groups = data.testGroups as Array<{ publicKey: { pk: string }; tests: Array<Record<string, any>> }>;

  it("has every case", () => {
    expect(groups.reduce((n, g) => n + g.tests.length, 0)).toBe(data.numberOfTests);
  });

  it("valid accepted, invalid rejected, keys all import", () => {
    let valid = 0,
      invalid = 0;
    for (const g of groups) {
      expect(importError(hex(g.publicKey.pk)), g.publicKey.pk).toBe(KEY_OK);
      for (const t of g.tests) {
        const r = verify(hex(g.publicKey.pk), hex(t.msg), hex(t.sig), build);
        if (t.result === "acceptable") continue;
        expect(r, `tcId ${t.tcId} ${t.comment} [${t.flags}]`).toBe(t.result === "valid" ? 1 : 0);
        if (t.result === "valid") valid++;
        else invalid++;
      }
    }
    expect(valid).toBe(88);
    expect(invalid).toBe(63);
  });
});

describe("RFC 8037 Appendix A", () => {
  const data = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc8037_appendix_A.json"), "utf8"));
  const ex = (data.examples as Array<Record<string, any>>).find((e) => e.alg === "EdDSA")!;
  const x = Buffer.from(ex.jwk_public.x, "base64url");
  const input = Buffer.from(ex.signing_input, "ascii");
  const sig = Buffer.from(ex.signature_b64url, "base64url");

  it("A.4/A.5 signature verifies over the signing input", () => {
    expect(ex.expected).toBe("valid");
    expect(verify(x, input, sig)).toBe(1);
  });

  it("is refused over any other input or with a flipped bit", () => {
    expect(verify(x, Buffer.concat([input, Buffer.from("x")]), sig)).toBe(0);
    for (let bit = 0; bit < 512; bit += 37) {
      const s = Buffer.from(sig);
      s[bit >> 3] ^= 1 << (bit & 7);
      expect(verify(x, input, s), `bit ${bit}`).toBe(0);
    }
  });
});

describe("key import", () => {
  it("wants exactly 32 bytes", () => {
    for (const n of [0, 1, 31, 33, 64]) expect(importError(randomBytes(n))).toBe(BAD_LENGTH);
  });

  it("refuses every encoding with y >= p, with either sign bit", () => {
    for (let y = P; y < 2n ** 255n; y++) {
      for (const sign of [0n, 1n]) expect(importError(toLe(y | (sign << 255n)))).toBe(BAD_ENCODING);
    }
  });

  it("refuses the eight small-order points (and their sign-flipped forms)", () => {
    // The neutral element, the point of order 2, the two of order 4 (y = 0) and the four of order
    // 8, as listed by libsodium and others; each with its two sign bits.
    const smallOrder = [
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "0000000000000000000000000000000000000000000000000000000000000000",
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    ];
    for (const h of smallOrder) {
      for (const sign of [0, 0x80]) {
        const b = hex(h);
        b[31] |= sign;
        expect(importError(b), `${h} sign ${sign}`).toBe(BAD_ENCODING);
      }
    }
  });

  it("refuses the identity key although node accepts a universal forgery under it", () => {
    // With A = (0, 1): [S]B = R + [k]A holds for R = B, S = 1 whatever the message.
    const identity = hex("0100000000000000000000000000000000000000000000000000000000000000");
    const forged = Buffer.concat([hex("5866666666666666666666666666666666666666666666666666666666666666"), toLe(1n)]);
    const nodeKey = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: identity.toString("base64url") },
      format: "jwk",
    });
    expect(nodeVerify(null, Buffer.from("any message"), nodeKey, forged)).toBe(true);
    expect(verify(identity, Buffer.from("any message"), forged)).toBe(-1);
  });

  it("random 32-byte strings: import or BadEncoding, never a trap; about half decode", () => {
    let ok = 0;
    for (let i = 0; i < 400; i++) {
      const e = importError(randomBytes(32));
      expect([KEY_OK, BAD_ENCODING]).toContain(e);
      if (e === KEY_OK) ok++;
    }
    expect(ok).toBeGreaterThan(120);
    expect(ok).toBeLessThan(280);
  });
});

describe("reduction mod L", () => {
  it("matches BigInt on random and edge 64-byte values", () => {
    const inputs: Buffer[] = [
      Buffer.alloc(64),
      Buffer.alloc(64, 0xff),
      toLe(L, 64),
      toLe(L - 1n, 64),
      toLe(L + 1n, 64),
      toLe(2n ** 252n, 64),
      toLe(2n ** 512n - L, 64),
      toLe(L * L, 64),
      toLe(L * 2n ** 259n, 64),
    ];
    for (let i = 0; i < 2000; i++) inputs.push(randomBytes(64));
    for (const h of inputs) {
      const out = fx.read(fx.exports.reduce64(fx.bytes(h)));
      fx.release();
      expect(fromLe(out), h.toString("hex")).toBe(fromLe(h) % L);
    }
  });
});

describe.each(ED25519_BUILDS)("%s.wasm: field arithmetic mod 2^255 - 19", (build) => {
  const MASK = 2n ** 255n - 1n;
  const mod = (x: bigint) => ((x % P) + P) % P;
  const pow = (b: bigint, e: bigint) => {
    let r = 1n;
    for (b = mod(b); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
    return r;
  };
  const reference = [
    (a: bigint, b: bigint) => mod(a - b),
    (a: bigint, b: bigint) => mod(a * b),
    (a: bigint, b: bigint) => mod(a + b),
    (a: bigint) => mod(a * a),
    (a: bigint) => pow(a, P - 2n),
    (a: bigint) => mod(-a),
  ];
  it("sub, mul, add, square, invert, negate match BigInt, non-canonical inputs and edges included", () => {
    // Edges: 0, 1, p - 1, p, p + 1, 2^255 - 1, small values against values near 2^255 (the most
    // negative differences), and random.
    const edges = [0n, 1n, 2n, 18n, 19n, P - 1n, P, P + 1n, P + 18n, MASK, 2n ** 254n, 2n ** 26n - 1n];
    const values: bigint[] = [...edges];
    for (let i = 0; i < 300; i++) values.push(fromLe(randomBytes(32)) & MASK);
    let checked = 0;
    for (let op = 0; op < reference.length; op++) {
      for (let i = 0; i < values.length; i++) {
        const pairs =
          i < edges.length ? edges.map((e) => [values[i], e]) : [[values[i], values[(i * 7 + op) % values.length]]];
        for (const [a, b] of pairs) {
          const fb = ed25519Fixture(build);
          const out = fb.read(fb.exports.fieldOp(op, fb.bytes(toLe(a)), fb.bytes(toLe(b))));
          fb.release();
          expect(fromLe(out), `op ${op} a ${a} b ${b}`).toBe(reference[op](a, b));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
