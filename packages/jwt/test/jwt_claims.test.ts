// SPDX-License-Identifier: Apache-2.0
// Claims rules through the compiled wasm: time with skew (boundaries both sides), types of
// registered claims, issuer list, audience any-of, max lifetime, subject rules, typ, auth_time,
// claim requirements, and configure-time validation. HS256 tokens from node:crypto.
import { describe, expect, it, beforeAll } from "vitest";
import { Verifier, makeKey, mintNode, NOW, type TestKey } from "./jwt_helpers";

let v: Verifier;
let key: TestKey;
beforeAll(() => {
  v = new Verifier();
  key = makeKey("HS256");
});

function setup(opts: Record<string, unknown> = {}) {
  expect(v.jwks({ keys: [key.jwk] }, { allowSymmetric: true })).toBe(0);
  v.configure({ algorithms: ["HS256"], ...opts });
}
const tok = (claims: unknown, header: Record<string, unknown> = {}) =>
  mintNode(
    key,
    JSON.stringify({ alg: "HS256", ...header }),
    typeof claims === "string" ? claims : JSON.stringify(claims),
  );
const check = (claims: unknown, now = NOW, header: Record<string, unknown> = {}) => v.verify(tok(claims, header), now);

describe("time claims", () => {
  it("exp: valid until exp + skew (exclusive), default skew 60", () => {
    setup();
    expect(check({ exp: NOW }, NOW + 59)).toBe("ok");
    expect(check({ exp: NOW }, NOW + 60)).toBe("expired");
    expect(v.claim()).toBe("exp");
    setup({ clockSkewSeconds: 0 });
    expect(check({ exp: NOW }, NOW - 1)).toBe("ok");
    expect(check({ exp: NOW }, NOW)).toBe("expired");
  });
  it("exp is required by default, optional when configured", () => {
    setup();
    expect(check({ sub: "a" })).toBe("claim_missing");
    expect(v.claim()).toBe("exp");
    setup({ requireExpiration: false });
    expect(check({ sub: "a" })).toBe("ok");
    expect(v.expiresAt()).toBe(2n ** 63n - 1n);
  });
  it("nbf: valid from nbf - skew", () => {
    setup();
    expect(check({ exp: NOW + 100, nbf: NOW + 60 }, NOW)).toBe("ok");
    expect(check({ exp: NOW + 100, nbf: NOW + 61 }, NOW)).toBe("not_yet_valid");
    expect(v.claim()).toBe("nbf");
  });
  it("iat: not in the future beyond skew; required only when configured", () => {
    setup();
    expect(check({ exp: NOW + 100, iat: NOW + 60 })).toBe("ok");
    expect(check({ exp: NOW + 100, iat: NOW + 61 })).toBe("issued_in_future");
    setup({ requireIssuedAt: true });
    expect(check({ exp: NOW + 100 })).toBe("claim_missing");
    expect(v.claim()).toBe("iat");
  });
  it("fractional NumericDate values are floored, exponent forms read exactly", () => {
    setup({ clockSkewSeconds: 0 });
    expect(check(`{"exp":${NOW}.999}`, NOW - 1)).toBe("ok");
    expect(check(`{"exp":${NOW}.999}`, NOW)).toBe("expired");
    expect(check(`{"exp":1.8e9}`, 1.8e9 - 1)).toBe("ok");
    expect(check(`{"exp":18e8}`, 1.8e9)).toBe("expired");
    expect(v.expiresAt()).toBe(1800000000n);
  });
  it("time claims of the wrong type or beyond 2^53 are invalid, not coerced", () => {
    setup();
    for (const bad of [`"${NOW + 100}"`, "true", "null", "[1]", "{}", "9007199254740993", "1e300"]) {
      expect(check(`{"exp":${bad}}`)).toBe("claim_invalid");
      expect(v.claim()).toBe("exp");
      expect(check(`{"exp":${NOW + 100},"nbf":${bad}}`)).toBe("claim_invalid");
      expect(v.claim()).toBe("nbf");
    }
  });
  it("max lifetime: exp - now may not exceed it; exp becomes required", () => {
    setup({ maxLifetimeSeconds: 3600, requireExpiration: false });
    expect(check({ exp: NOW + 3600 })).toBe("ok");
    expect(check({ exp: NOW + 3601 })).toBe("lifetime_too_long");
    expect(check({ sub: "x" })).toBe("claim_missing");
  });
  it("auth_time (Firebase): required and not in the future when checked", () => {
    setup({ checkAuthTime: true });
    expect(check({ exp: NOW + 100, auth_time: NOW - 5000 })).toBe("ok");
    expect(check({ exp: NOW + 100, auth_time: NOW + 61 })).toBe("issued_in_future");
    expect(v.claim()).toBe("auth_time");
    expect(check({ exp: NOW + 100 })).toBe("claim_missing");
    expect(check({ exp: NOW + 100, auth_time: "yesterday" })).toBe("claim_invalid");
  });
});

describe("issuer, audience, subject, typ", () => {
  const base = { exp: NOW + 100 };
  it("iss exact from a list, case- and slash-sensitive", () => {
    setup({ issuers: ["https://a.example", "accounts.google.com"] });
    expect(check({ ...base, iss: "https://a.example" })).toBe("ok");
    expect(check({ ...base, iss: "accounts.google.com" })).toBe("ok");
    expect(check({ ...base, iss: "https://a.example/" })).toBe("issuer_not_allowed");
    expect(check({ ...base })).toBe("issuer_not_allowed");
    expect(check({ ...base, iss: ["https://a.example"] })).toBe("claim_invalid");
  });
  it("aud any-of, string or array; non-string members are invalid", () => {
    setup({ audiences: ["p1", "p2"] });
    expect(check({ ...base, aud: "p2" })).toBe("ok");
    expect(check({ ...base, aud: ["x", "p1"] })).toBe("ok");
    expect(check({ ...base, aud: [] })).toBe("audience_not_allowed");
    expect(check({ ...base })).toBe("audience_not_allowed");
    expect(check({ ...base, aud: ["p1", 3] })).toBe("claim_invalid");
    expect(check({ ...base, aud: 7 })).toBe("claim_invalid");
  });
  it("aud is not checked when no audience is configured (but must still be well typed)", () => {
    setup();
    expect(check({ ...base, aud: "anything" })).toBe("ok");
    expect(check({ ...base, aud: { a: 1 } })).toBe("claim_invalid");
  });
  it("sub: required, 1..128 chars (Firebase), matchers", () => {
    setup({ requireSubject: true, subjectMaxLength: 128 });
    expect(check({ ...base, sub: "u" })).toBe("ok");
    expect(check({ ...base, sub: "u".repeat(128) })).toBe("ok");
    expect(check({ ...base, sub: "u".repeat(129) })).toBe("subject_not_allowed");
    expect(check({ ...base, sub: "" })).toBe("subject_not_allowed");
    expect(check({ ...base })).toBe("subject_not_allowed");
    expect(check({ ...base, sub: 12 })).toBe("claim_invalid");
    setup({
      subjects: [
        { kind: "prefix", value: "spiffe://cluster.local/" },
        { kind: "exact", value: "admin" },
      ],
    });
    expect(check({ ...base, sub: "spiffe://cluster.local/ns/a" })).toBe("ok");
    expect(check({ ...base, sub: "admin" })).toBe("ok");
    expect(check({ ...base, sub: "admin2" })).toBe("subject_not_allowed");
    expect(check({ ...base })).toBe("subject_not_allowed");
    setup({ subjects: [{ kind: "suffix", value: "@example.com" }] });
    expect(check({ ...base, sub: "alice@example.com" })).toBe("ok");
    expect(check({ ...base, sub: "@example.com" })).toBe("ok");
    expect(check({ ...base, sub: "alice@example.com.evil" })).toBe("subject_not_allowed");
    expect(check({ ...base, sub: "example.com" })).toBe("subject_not_allowed");
  });
  it("typ: tolerated by default, checked case-insensitively when configured", () => {
    setup();
    expect(check(base, NOW, { typ: "whatever" })).toBe("ok");
    expect(check(base, NOW, { typ: 1 })).toBe("typ_invalid");
    setup({ types: ["at+jwt"] });
    expect(check(base, NOW, { typ: "at+JWT" })).toBe("ok");
    expect(check(base, NOW, { typ: "application/at+jwt" })).toBe("ok");
    expect(check(base, NOW, { typ: "JWT" })).toBe("typ_invalid");
    expect(check(base, NOW)).toBe("typ_invalid");
  });
});

describe("claim requirements", () => {
  const base = { exp: NOW + 100 };
  it("equals, one-of, booleans, nested paths", () => {
    setup({
      requirements: [
        { path: "email_verified", op: "isTrue" },
        { path: "firebase.sign_in_provider", op: "oneOf", values: ["password", "google.com"] },
        { path: "hd", op: "equals", values: ["example.com"] },
      ],
    });
    const ok = { ...base, email_verified: true, firebase: { sign_in_provider: "google.com" }, hd: "example.com" };
    expect(check(ok)).toBe("ok");
    expect(check({ ...ok, email_verified: "true" })).toBe("claim_requirement_failed");
    expect(v.claim()).toBe("email_verified");
    expect(check({ ...ok, email_verified: false })).toBe("claim_requirement_failed");
    expect(check({ ...ok, firebase: { sign_in_provider: "anonymous" } })).toBe("claim_requirement_failed");
    expect(v.claim()).toBe("firebase.sign_in_provider");
    expect(check({ ...ok, hd: "example.org" })).toBe("claim_requirement_failed");
    expect(check({ ...base, email_verified: true, hd: "example.com" })).toBe("claim_requirement_failed");
  });
  it("contains any / all over arrays and space-separated scope", () => {
    setup({
      requirements: [
        { path: "scope", op: "containsAll", values: ["read", "write"] },
        { path: "realm_access.roles", op: "containsAny", values: ["admin", "ops"] },
      ],
    });
    const ok = { ...base, scope: "openid read write", realm_access: { roles: ["user", "ops"] } };
    expect(check(ok)).toBe("ok");
    expect(check({ ...ok, scope: "openid read" })).toBe("claim_requirement_failed");
    expect(check({ ...ok, scope: "openid readwrite" })).toBe("claim_requirement_failed");
    expect(check({ ...ok, scope: "read-only write" })).toBe("claim_requirement_failed");
    expect(check({ ...ok, scope: ["read", "write"] })).toBe("ok");
    expect(check({ ...ok, realm_access: { roles: ["user"] } })).toBe("claim_requirement_failed");
    expect(v.claim()).toBe("realm_access.roles");
    expect(check({ ...ok, realm_access: { roles: "user ops" } })).toBe("ok");
  });
  it("numbers compare by their exact text, exists checks presence", () => {
    setup({
      requirements: [
        { path: "level", op: "equals", values: ["3"] },
        { path: "tenant", op: "exists" },
      ],
    });
    expect(check({ ...base, level: 3, tenant: null })).toBe("ok");
    expect(check({ ...base, level: 4, tenant: "t" })).toBe("claim_requirement_failed");
    expect(check({ ...base, level: 3 })).toBe("claim_requirement_failed");
  });
});

describe("configure-time validation names the bad field", () => {
  it("refuses unusable options", () => {
    expect(v.configureError({ algorithms: [] })).toMatch(/^algorithms/);
    expect(v.configureError({ clockSkewSeconds: 301 })).toMatch(/^clock_skew_seconds/);
    expect(v.configureError({ clockSkewSeconds: -1 })).toMatch(/^clock_skew_seconds/);
    expect(v.configureError({ maxLifetimeSeconds: -5 })).toMatch(/^max_lifetime/);
    expect(v.configureError({ requirements: [{ path: "scope", op: "containsAll", values: [] }] })).toMatch(/^claims/);
    expect(v.configureError({ requirements: [{ path: "", op: "exists" }] })).toMatch(/^claims/);
    expect(v.configureError({ algorithms: ["RS256"], clockSkewSeconds: 300 })).toBeNull();
  });
});
