// SPDX-License-Identifier: Apache-2.0
// Differential against jose's jwtVerify on random claim sets (fast-check): same accept/refuse
// decision, and the same reason whenever exactly one rule is broken. Integer times only and iat
// never in the future, the two places where the policies deliberately differ (we floor
// fractional NumericDates and refuse future iat; jose does neither).
import { describe, expect, it, beforeAll } from "vitest";
import fc from "fast-check";
import { jwtVerify, errors } from "jose";
import { Verifier, makeKey, mintJose, NOW, type TestKey } from "./jwt_helpers";

let v: Verifier;
let key: TestKey;
beforeAll(() => {
  v = new Verifier();
  key = makeKey("HS256");
  expect(v.jwks({ keys: [key.jwk] }, { allowSymmetric: true })).toBe(0);
  v.configure({
    algorithms: ["HS256"],
    issuers: ["https://a.example", "https://b.example"],
    audiences: ["api", "web"],
    clockSkewSeconds: 60,
  });
});

async function joseOutcome(token: string): Promise<string> {
  try {
    await jwtVerify(token, key.signingKey as Uint8Array, {
      algorithms: ["HS256"],
      issuer: ["https://a.example", "https://b.example"],
      audience: ["api", "web"],
      clockTolerance: 60,
      currentDate: new Date(NOW * 1000),
      requiredClaims: ["exp"],
    });
    return "ok";
  } catch (e) {
    if (e instanceof errors.JWTExpired) return "expired";
    if (e instanceof errors.JWTClaimValidationFailed) {
      if (e.claim === "nbf") return "not_yet_valid";
      if (e.claim === "iss") return "issuer_not_allowed";
      if (e.claim === "aud") return "audience_not_allowed";
      if (e.claim === "exp") return e.reason === "missing" ? "claim_missing" : "claim_invalid";
      return `claim:${e.claim}:${e.reason}`;
    }
    return `other:${(e as Error).name}`;
  }
}

describe("claims decisions match jose", () => {
  it("random claim sets (300 runs)", async () => {
    const offset = fc.integer({ min: -200, max: 200 });
    const claims = fc.record(
      {
        iss: fc.constantFrom("https://a.example", "https://b.example", "https://a.example/", "https://c.example"),
        aud: fc.oneof(
          fc.constantFrom("api", "web", "other"),
          fc.array(fc.constantFrom("api", "web", "other", "x"), { maxLength: 3 }),
        ),
        exp: offset,
        nbf: offset,
        iat: fc.integer({ min: -500, max: 0 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(claims, async (c) => {
        const body: Record<string, unknown> = { ...c };
        for (const t of ["exp", "nbf", "iat"]) if (typeof body[t] === "number") body[t] = NOW + (body[t] as number);
        const token = await mintJose(key, body);
        const ours = v.verify(token, NOW);
        const theirs = await joseOutcome(token);
        expect(ours === "ok").toBe(theirs === "ok");
        // Count the broken rules; with exactly one, the reason must agree too.
        const broken = [
          body.exp === undefined || NOW >= (body.exp as number) + 60,
          body.nbf !== undefined && NOW < (body.nbf as number) - 60,
          body.iss === undefined || !["https://a.example", "https://b.example"].includes(body.iss as string),
          body.aud === undefined || ![body.aud].flat().some((a) => a === "api" || a === "web"),
        ].filter(Boolean).length;
        if (broken === 1) expect(ours).toBe(theirs);
      }),
      { numRuns: 300 },
    );
  });
});
