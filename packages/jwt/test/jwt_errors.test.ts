// SPDX-License-Identifier: Apache-2.0
// The error codes are a public contract: the wasm's names and messages must match the table in
// docs/jwt.md row by row, and a module compiled for RS256 only must refuse other families cleanly.
import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./wasm";
import { Verifier, CODES, makeKey, mintJose, claimsAt, NOW } from "./jwt_helpers";

describe("error-code table", () => {
  let v: Verifier;
  beforeAll(() => {
    v = new Verifier();
  });
  it("docs/jwt.md lists every code with the wasm's name and message", () => {
    const doc = readFileSync(join(packageRoot, "docs", "jwt.md"), "utf8");
    const rows = [...doc.matchAll(/^\| (\d+) \| `([a-z_]+)` \| ([^|]+) \| ([a-z_]*) \|/gm)].map(
      (m) => [Number(m[1]), m[2], m[3].trim(), m[4]] as const,
    );
    expect(rows.map((r) => r[0])).toEqual(CODES.map((_, i) => i));
    for (const [c, name, message, reason] of rows) {
      expect(v.errorName(c)).toBe(name);
      expect(CODES[c]).toBe(name);
      expect(v.errorMessage(c)).toBe(message);
      expect(v.errorReason(c)).toBe(reason);
    }
  });
  it("a result carries claim + reason, jose style", async () => {
    const k = makeKey("ES256");
    expect(v.jwks({ keys: [k.jwk] })).toBe(0);
    v.configure({ algorithms: ["ES256"], audiences: ["api"] });
    expect(v.verify(await mintJose(k, claimsAt(NOW, { exp: NOW - 100 })), NOW)).toBe("expired");
    expect([v.claim(), v.reason(), v.message()]).toEqual(["exp", "check_failed", "Jwt is expired"]);
    expect(v.verify(await mintJose(k, claimsAt(NOW, { aud: "web" })), NOW)).toBe("audience_not_allowed");
    expect([v.claim(), v.reason()]).toEqual(["aud", "mismatch"]);
    expect(v.verify(await mintJose(k, claimsAt(NOW, { exp: "soon" })), NOW)).toBe("claim_invalid");
    expect([v.claim(), v.reason()]).toEqual(["exp", "invalid"]);
    expect(v.verify(await mintJose(k, claimsAt()), NOW)).toBe("ok");
    expect([v.claim(), v.reason()]).toEqual(["", ""]);
  });
  it("out-of-range codes do not trap", () => {
    expect(v.errorName(CODES.length)).toBe("unknown");
    expect(v.errorName(-1)).toBe("unknown");
    expect(v.errorMessage(1 << 30)).toBe("unknown Jwt error");
  });
});

describe("compile-time algorithm set (GETWILD_JWT_ALGS=1: RS256 only)", () => {
  let rs: Verifier;
  beforeAll(() => {
    rs = new Verifier("jwt_verify_rs256");
  });
  it("reports its set", () => {
    expect(rs.compiledAlgs()).toBe(1);
    expect(new Verifier().compiledAlgs()).toBe(0x1fff);
  });
  it("RS256 still verifies", async () => {
    const k = makeKey("RS256");
    expect(rs.jwks({ keys: [k.jwk] })).toBe(0);
    rs.configure({ algorithms: ["RS256"] });
    expect(rs.verify(await mintJose(k, claimsAt()), NOW)).toBe("ok");
  });
  it("other families: keys skipped as NotCompiled, tokens refused as alg_unavailable", async () => {
    const es = makeKey("ES256");
    const ed = makeKey("EdDSA");
    const hs = makeKey("HS256");
    expect(rs.jwkSkip(es.jwk).skip).toBe(12);
    expect(rs.jwkSkip(ed.jwk).skip).toBe(12);
    expect(rs.jwkSkip(hs.jwk, true).skip).toBe(12);
    // A key type no compiled algorithm uses is skipped as soon as its kty is read, whatever else it holds.
    expect(rs.jwkSkip({ kty: "EC", crv: "P-999" }).skip).toBe(12);
    expect(rs.jwkSkip({ kty: "OKP", use: "enc" }).skip).toBe(12);
    expect(rs.jwkSkip({ kty: "oct", k: "AAAA" }).skip).toBe(12);
    expect(new Verifier().jwkSkip({ kty: "EC", crv: "P-999" }).skip).toBe(3); // CurveUnsupported
    // RS384 shares the RSA key import but its verify branch is compiled out.
    const rsa = makeKey("RS384");
    expect(rs.jwks({ keys: [rsa.jwk] })).toBe(0);
    rs.configure({ algorithms: ["RS256", "RS384", "ES256", "EdDSA"] });
    expect(rs.verify(await mintJose(rsa, claimsAt()), NOW)).toBe("alg_unavailable");
    expect(rs.verify(await mintJose(es, claimsAt()), NOW)).toBe("alg_unavailable");
    expect(rs.verify(await mintJose(ed, claimsAt()), NOW)).toBe("alg_unavailable");
    // The allow-list is still checked first.
    rs.configure({ algorithms: ["RS256"] });
    expect(rs.verify(await mintJose(es, claimsAt()), NOW)).toBe("alg_not_allowed");
  });
  it("links no code or constants of what it left out (the table's masks fold at compile time)", () => {
    // Constants only the left-out code reads: SHA-512's first round constants (crypto/hash.ts asks
    // the table whether any compiled alg hashes with SHA-384/512), P-256's generator x and P-384's
    // prime (jwk.ts asks it whether any compiled alg uses those curves).
    const limbs = (words: number[]) => Buffer.from(new Uint32Array(words).buffer);
    const k512 = Buffer.from(new BigUint64Array([0x428a2f98d728ae22n, 0x7137449123ef65cdn]).buffer);
    const gx256 = limbs([0x18a9143c, 0x79e730d4, 0x5fedb601, 0x75ba95fc]);
    const p384 = limbs([0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe]);
    const k256 = limbs([0x428a2f98, 0x71374491, 0xb5c0fbcf]); // SHA-256, which RS256 needs
    const all = readFileSync(join(packageRoot, "build", "test", "jwt_verify.wasm"));
    const only = readFileSync(join(packageRoot, "build", "test", "jwt_verify_rs256.wasm"));
    for (const c of [k512, gx256, p384, k256]) expect(all.includes(c)).toBe(true);
    for (const c of [k512, gx256, p384]) expect(only.includes(c)).toBe(false);
    expect(only.includes(k256)).toBe(true);
  });
});
