// SPDX-License-Identifier: Apache-2.0
// JWK / JWKS parsing and key selection through the compiled wasm: every key type, skip reasons
// (unusable keys skipped, not fatal), caps, kid selection and trying several candidates.
import { describe, expect, it, beforeAll } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { Verifier, makeKey, mintJose, claimsAt, NOW, ALGS, type TestKey } from "./jwt_helpers";

// JwkSkip codes (stable).
const S = {
  None: 0,
  NotAnObject: 1,
  KeyTypeUnsupported: 2,
  CurveUnsupported: 3,
  NotForSignatures: 4,
  KeyOpsExcludeVerify: 5,
  AlgUnsupported: 6,
  KidInvalid: 7,
  MemberInvalid: 8,
  PrivateKey: 9,
  KeyRejected: 10,
  SymmetricNotAllowed: 11,
  NotCompiled: 12,
};
// JwksError codes (stable).
const E = { None: 0, TooLarge: 1, InvalidJson: 2, KeysMissing: 3, TooManyKeys: 4, NoUsableKeys: 5 };

let v: Verifier;
let rsa: TestKey;
let p256: TestKey;
beforeAll(() => {
  v = new Verifier();
  rsa = makeKey("RS256");
  p256 = makeKey("ES256");
});

describe("single JWK", () => {
  it("imports every supported key type", () => {
    for (const alg of ALGS) {
      expect(v.jwkSkip(makeKey(alg).jwk, true).skip).toBe(S.None);
    }
  });
  it("skips with a precise reason", () => {
    const cases: [unknown, number, boolean?][] = [
      [[1], S.NotAnObject],
      [{ kty: "RSA", n: rsa.jwk.n }, S.MemberInvalid],
      [{ ...rsa.jwk, n: `${rsa.jwk.n}=` }, S.MemberInvalid],
      [{ ...rsa.jwk, e: 65537 }, S.MemberInvalid],
      [{ ...rsa.jwk, kty: "rsa" }, S.KeyTypeUnsupported],
      [{ ...rsa.jwk, kty: undefined }, S.KeyTypeUnsupported],
      [{ kty: "EC", crv: "secp256k1", x: p256.jwk.x, y: p256.jwk.y }, S.CurveUnsupported],
      [{ kty: "OKP", crv: "X25519", x: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, S.CurveUnsupported],
      [{ kty: "OKP", crv: "P-256", x: p256.jwk.x }, S.CurveUnsupported],
      [{ kty: "EC", crv: "Ed25519", x: p256.jwk.x, y: p256.jwk.y }, S.CurveUnsupported],
      [{ ...rsa.jwk, use: "enc" }, S.NotForSignatures],
      [{ ...rsa.jwk, use: ["sig"] }, S.NotForSignatures],
      [{ ...rsa.jwk, key_ops: ["sign"] }, S.KeyOpsExcludeVerify],
      [{ ...rsa.jwk, key_ops: "verify" }, S.KeyOpsExcludeVerify],
      [{ ...rsa.jwk, alg: "RSA-OAEP" }, S.AlgUnsupported],
      [{ ...rsa.jwk, alg: "ES256" }, S.AlgUnsupported],
      [{ ...p256.jwk, alg: "ES384" }, S.AlgUnsupported],
      [{ ...rsa.jwk, alg: "none" }, S.AlgUnsupported],
      [{ ...rsa.jwk, kid: 5 }, S.KidInvalid],
      [{ ...rsa.jwk, kid: "k".repeat(257) }, S.KidInvalid],
      [{ ...rsa.jwk, d: "AAAA" }, S.PrivateKey],
      [{ ...p256.jwk, d: "AAAA" }, S.PrivateKey],
      [{ kty: "oct", k: "A".repeat(43) }, S.SymmetricNotAllowed],
      [{ kty: "oct", k: "A".repeat(42) + "E" }, S.None, true],
      [{ kty: "oct", k: "A".repeat(40) }, S.KeyRejected, true], // 30 bytes < 32 (RFC 7518 §3.2)
      [{ kty: "oct", k: "A".repeat(43), alg: "HS512" }, S.KeyRejected, true],
    ];
    for (const [jwk, skip, sym] of cases) {
      expect([JSON.stringify(jwk).slice(0, 60), v.jwkSkip(jwk, sym ?? false).skip]).toEqual([
        JSON.stringify(jwk).slice(0, 60),
        skip,
      ]);
    }
  });
  it("crypto refusals come through as KeyRejected with the KeyError", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    expect(v.jwkSkip(small)).toEqual({ skip: S.KeyRejected, keyError: 2 }); // ModulusSize
    expect(v.jwkSkip({ ...rsa.jwk, e: "AAE" }).skip).toBe(S.KeyRejected); // e = 1
    expect(v.jwkSkip({ ...rsa.jwk, e: "AAI" }).skip).toBe(S.KeyRejected); // e = 2 (even)
    // BoringSSL's exponent limit: at most 33 bits (a 4096-bit e would make every verify ~300x dearer).
    expect(v.jwkSkip({ ...rsa.jwk, e: Buffer.from([0x02, 0, 0, 0, 1]).toString("base64url") })).toEqual({
      skip: S.KeyRejected,
      keyError: 3,
    });
    expect(v.jwkSkip({ ...rsa.jwk, e: Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff]).toString("base64url") }).skip).toBe(
      S.None,
    );
    const offCurve = {
      ...p256.jwk,
      y: Buffer.from(Buffer.from(String(p256.jwk.y), "base64url").map((b, i) => (i === 31 ? b ^ 1 : b))).toString(
        "base64url",
      ),
    };
    expect(v.jwkSkip(offCurve)).toEqual({ skip: S.KeyRejected, keyError: 4 }); // NotOnCurve
    expect(v.jwkSkip({ ...p256.jwk, x: "AAAA" }).skip).toBe(S.KeyRejected); // BadLength
  });
  it("random JWK-shaped objects never trap", () => {
    const member = fc.oneof(
      fc.string(),
      fc.base64String(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            kty: fc.constantFrom("RSA", "EC", "OKP", "oct", "x"),
            crv: fc.constantFrom("P-256", "P-384", "P-521", "Ed25519", "X448"),
            n: member,
            e: member,
            x: member,
            y: member,
            k: member,
            use: fc.option(fc.constantFrom("sig", "enc")),
            key_ops: fc.option(fc.array(fc.constantFrom("verify", "sign"))),
          },
          { requiredKeys: ["kty"] },
        ),
        (jwk) => {
          const r = v.jwkSkip(jwk, true).skip;
          expect(r).toBeGreaterThanOrEqual(0);
          expect(r).toBeLessThanOrEqual(12);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("JWKS documents", () => {
  it("skips unusable keys (Keycloak enc key, unknown kty) and keeps the rest", () => {
    const doc = {
      keys: [
        { ...rsa.jwk, kid: "enc", use: "enc", alg: "RSA-OAEP" },
        { kty: "EC", crv: "X448" },
        { ...rsa.jwk, kid: "sig" },
        "junk",
      ],
    };
    expect(v.jwks(doc)).toBe(E.None);
    expect(v.keyCount()).toBe(1);
    expect(v.skipped()).toEqual([S.NotForSignatures, S.CurveUnsupported, S.NotAnObject]);
  });
  it("document errors", () => {
    expect(v.jwks("{")).toBe(E.InvalidJson);
    expect(v.jwks(`{"keys":[],"keys":[]}`)).toBe(E.InvalidJson);
    expect(v.jwks({ key: [] })).toBe(E.KeysMissing);
    expect(v.jwks({ keys: {} })).toBe(E.KeysMissing);
    expect(v.jwks([])).toBe(E.KeysMissing);
    expect(v.jwks({ keys: [] })).toBe(E.NoUsableKeys);
    expect(v.jwks({ keys: [{ ...rsa.jwk, use: "enc" }] })).toBe(E.NoUsableKeys);
    expect(v.keyCount()).toBe(0);
    expect(v.jwks({ keys: Array(5).fill(rsa.jwk) }, { maxKeys: 4 })).toBe(E.TooManyKeys);
    expect(v.jwks({ keys: Array(4).fill(rsa.jwk) }, { maxKeys: 4 })).toBe(E.None);
    const big = JSON.stringify({ keys: [rsa.jwk], pad: "x".repeat(70000) });
    expect(v.jwks(big)).toBe(E.TooLarge);
    expect(v.jwks(big, { maxBytes: 80000 })).toBe(E.None);
  });
  it("oct keys only when the set opts in", () => {
    const hs = makeKey("HS256");
    expect(v.jwks({ keys: [hs.jwk] })).toBe(E.NoUsableKeys);
    expect(v.jwks({ keys: [hs.jwk] }, { allowSymmetric: true })).toBe(E.None);
  });
});

describe("key selection", () => {
  it("by kid; a key without kid serves any kid; kid mismatch is key_not_found", async () => {
    const a = makeKey("RS256");
    const b = makeKey("RS256");
    expect(
      v.jwks({
        keys: [
          { ...a.jwk, kid: "a" },
          { ...b.jwk, kid: "b" },
        ],
      }),
    ).toBe(0);
    v.configure({ algorithms: ["RS256"] });
    expect(v.verify(await mintJose(b, claimsAt(), { kid: "b" }), NOW)).toBe("ok");
    expect(v.verify(await mintJose(b, claimsAt(), { kid: "a" }), NOW)).toBe("signature_invalid");
    expect(v.verify(await mintJose(b, claimsAt(), { kid: "c" }), NOW)).toBe("key_not_found");
    // No kid in the token: every fitting key is tried, in order.
    expect(v.verify(await mintJose(b, claimsAt()), NOW)).toBe("ok");
    // A single key without kid (configured inline) verifies whatever kid the issuer stamps.
    expect(v.jwks({ keys: [b.jwk] })).toBe(0);
    expect(v.verify(await mintJose(b, claimsAt(), { kid: "rotating-123" }), NOW)).toBe("ok");
  });
  it("duplicate kids (rotation overlap): both candidates are tried", async () => {
    const oldKey = makeKey("RS256");
    const newKey = makeKey("RS256");
    expect(
      v.jwks({
        keys: [
          { ...oldKey.jwk, kid: "same" },
          { ...newKey.jwk, kid: "same" },
        ],
      }),
    ).toBe(0);
    v.configure({ algorithms: ["RS256"] });
    expect(v.verify(await mintJose(newKey, claimsAt(), { kid: "same" }), NOW)).toBe("ok");
    expect(v.verify(await mintJose(oldKey, claimsAt(), { kid: "same" }), NOW)).toBe("ok");
  });
  it("mixed key types: the header alg picks only keys of its type and curve", async () => {
    const p384 = makeKey("ES384");
    const ed = makeKey("EdDSA");
    expect(v.jwks({ keys: [rsa.jwk, p256.jwk, p384.jwk, ed.jwk] })).toBe(0);
    v.configure({ algorithms: ["RS256", "PS256", "ES256", "ES384", "EdDSA"] });
    for (const k of [rsa, p256, p384, ed]) expect(v.verify(await mintJose(k, claimsAt()), NOW)).toBe("ok");
    expect(v.verify(await mintJose({ ...rsa, alg: "PS256" }, claimsAt()), NOW)).toBe("ok");
    expect(v.verify(await mintJose(makeKey("ES512"), claimsAt()), NOW)).toBe("alg_not_allowed");
    v.configure({ algorithms: ["ES512"] });
    expect(v.verify(await mintJose(makeKey("ES512"), claimsAt()), NOW)).toBe("key_not_found");
  });
  it("single configured JWK helper", async () => {
    expect(v.singleJwk(rsa.jwk)).toBe(0);
    v.configure({ algorithms: ["RS256"] });
    expect(v.verify(await mintJose(rsa, claimsAt()), NOW)).toBe("ok");
    expect(v.singleJwk({ ...rsa.jwk, use: "enc" })).toBe(E.NoUsableKeys);
  });
});
