// SPDX-License-Identifier: Apache-2.0
// Claims checks (RFC 7519 §4.1, OIDC Core §3.1.3.7): types of registered claims, time with skew,
// issuer, audience, subject rules and configured claim requirements. Returns the first failure
// with the claim it concerns (jose's claim + reason idea); never traps.

import { JsonKind, JsonLimits, JsonResult, JsonValue, parseJson } from "@getwild/json/assembly";
import { numericDateOf, NumericDateError } from "../encoding/json_number";
import { JwtError } from "./errors";
import { JwsLimits } from "./jws";
import { ClaimOp, ClaimRequirement, VerifyOptions } from "./options";

/**
 * Reads a JWS payload as a JWT claims set: a strict JSON object (RFC 7519 §7.2 step 10). `value` is
 * the claims, or null when the payload is not a claims set (PayloadJson); `error` is then the JSON
 * reader's reason, or None for valid JSON that is not an object. Never traps.
 */
export function parseClaimsSet(payload: Uint8Array, limits: JwsLimits): JsonResult {
  const parsed = parseJson(payload, new JsonLimits(limits.maxTokenBytes, limits.maxDepth, limits.maxTokenBytes));
  const v = parsed.value;
  if (v != null && v.kind != JsonKind.Object) parsed.value = null;
  return parsed;
}

export class ClaimsCheck {
  constructor(
    public error: JwtError,
    /** Name (or dotted path) of the claim concerned; "" when none. */
    public claim: string = "",
    /** `exp` in seconds, or i64.MAX_VALUE when the token has none (for cache lifetimes). */
    public expiresAt: i64 = i64.MAX_VALUE,
  ) {}

  /** Records the first failure (one call per failing check keeps checkClaims small). */
  fail(error: JwtError, claim: string): void {
    this.error = error;
    this.claim = claim;
  }
}

// A time claim absent (and not required) reads as TIME_ABSENT: below every valid NumericDate
// (±2^53, json_number.ts), so `now < nbf - skew` and `iat > now + skew` are false for it at once.
// @ts-ignore: decorator
@inline const TIME_ABSENT: i64 = i64.MIN_VALUE;

/**
 * Time claim `name` in floored seconds, or TIME_ABSENT; a failure is recorded in `check` (absent
 * but required: ClaimMissing; not a NumericDate: ClaimInvalid), so the caller tests `check.error`.
 */
function readTime(claims: JsonValue, name: string, required: bool, check: ClaimsCheck): i64 {
  const v = claims.get(name);
  if (v == null) {
    if (required) check.fail(JwtError.ClaimMissing, name);
    return TIME_ABSENT;
  }
  const d = numericDateOf(v);
  // Strings, booleans, null, and magnitudes beyond 2^53 are type errors, not coerced.
  if (d.error != NumericDateError.None) check.fail(JwtError.ClaimInvalid, name);
  return d.seconds;
}

/**
 * a + b clamped to the i64 range (times are ≤ 2^53 and skew ≤ 300, but options come from users).
 * A function, not inlined: each copy would carry two 10-byte i64 constants.
 */
function addClamped(a: i64, b: i64): i64 {
  const s = a + b;
  if (b > 0 && s < a) return i64.MAX_VALUE;
  if (b < 0 && s > a) return i64.MIN_VALUE;
  return s;
}

/** The registered claims that must be strings when present (RFC 7519 §4.1), checked in this order. */
// @ts-ignore: decorator
@lazy const STRING_CLAIMS: StaticArray<string> = ["iss", "sub", "jti"];

export function checkClaims(claims: JsonValue, o: VerifyOptions, now: i64): ClaimsCheck {
  const check = new ClaimsCheck(JwtError.Ok, "", i64.MAX_VALUE);
  findFailure(claims, o, now, check);
  return check;
}

/** Records in `check` the first check that `claims` fails, in a fixed order; leaves it Ok otherwise. */
function findFailure(claims: JsonValue, o: VerifyOptions, now: i64, check: ClaimsCheck): void {
  const skew = o.clockSkewSeconds < 0 ? 0 : o.clockSkewSeconds;

  // Registered string claims must be strings when present.
  for (let i = 0; i < STRING_CLAIMS.length; i++) {
    const name = unchecked(STRING_CLAIMS[i]);
    const v = claims.get(name);
    if (v != null && v.kind != JsonKind.String) return check.fail(JwtError.ClaimInvalid, name);
  }
  const aud = claims.get("aud");
  if (aud != null && !isStringOrStringArray(aud)) return check.fail(JwtError.ClaimInvalid, "aud");

  // Time.
  const exp = readTime(claims, "exp", o.requireExpiration || o.maxLifetimeSeconds > 0, check);
  if (check.error != JwtError.Ok) return;
  const nbf = readTime(claims, "nbf", o.requireNotBefore, check);
  if (check.error != JwtError.Ok) return;
  const iat = readTime(claims, "iat", o.requireIssuedAt, check);
  if (check.error != JwtError.Ok) return;
  // From here on, a failure carries `exp` (when there is one) for the cache.
  if (exp != TIME_ABSENT) {
    check.expiresAt = exp;
    if (now >= addClamped(exp, skew)) return check.fail(JwtError.Expired, "exp");
  }
  if (now < addClamped(nbf, -skew)) return check.fail(JwtError.NotYetValid, "nbf");
  const latest = addClamped(now, skew);
  if (iat > latest) return check.fail(JwtError.IssuedInFuture, "iat");
  if (o.checkAuthTime) {
    const authTime = readTime(claims, "auth_time", true, check);
    if (check.error != JwtError.Ok) return;
    if (authTime > latest) return check.fail(JwtError.IssuedInFuture, "auth_time");
  }
  if (o.maxLifetimeSeconds > 0 && exp - now > o.maxLifetimeSeconds) return check.fail(JwtError.LifetimeTooLong, "exp");

  // Issuer: exact, from a list.
  const iss = claims.get("iss");
  if (o.issuers.length > 0 && (iss == null || !o.issuers.includes(iss.text)))
    return check.fail(JwtError.IssuerNotAllowed, "iss");

  // Audience: any configured value present in the string or array.
  if (o.audiences.length > 0 && (aud == null || !audienceAllowed(aud, o.audiences)))
    return check.fail(JwtError.AudienceNotAllowed, "aud");

  // Subject.
  const sub = claims.get("sub");
  if (sub == null) {
    if (o.requireSubject || o.subjects.length > 0) return check.fail(JwtError.SubjectNotAllowed, "sub");
  } else {
    const text = sub.text;
    if (o.requireSubject && text.length == 0) return check.fail(JwtError.SubjectNotAllowed, "sub");
    if (o.subjectMaxLength > 0 && text.length > o.subjectMaxLength)
      return check.fail(JwtError.SubjectNotAllowed, "sub");
    if (o.subjects.length > 0) {
      let matched = false;
      for (let i = 0; i < o.subjects.length && !matched; i++) matched = unchecked(o.subjects[i]).matches(text);
      if (!matched) return check.fail(JwtError.SubjectNotAllowed, "sub");
    }
  }

  for (let i = 0; i < o.requirements.length; i++) {
    const r = unchecked(o.requirements[i]);
    if (!requirementHolds(claims, r)) return check.fail(JwtError.ClaimRequirementFailed, r.path);
  }
}

function isStringOrStringArray(v: JsonValue): bool {
  if (v.kind == JsonKind.String) return true;
  if (v.kind != JsonKind.Array) return false;
  for (let i = 0; i < v.length; i++) {
    if (v.at(i)!.kind != JsonKind.String) return false;
  }
  return true;
}

function audienceAllowed(aud: JsonValue, allowed: Array<string>): bool {
  if (aud.kind == JsonKind.String) return allowed.includes(aud.text);
  for (let i = 0; i < aud.length; i++) {
    if (allowed.includes(aud.at(i)!.text)) return true;
  }
  return false;
}

/** Whether an array of strings, or a space-separated string, contains `value`. */
function containsValue(v: JsonValue, value: string): bool {
  if (v.kind == JsonKind.Array) {
    for (let i = 0; i < v.length; i++) {
      const item = v.at(i)!;
      if (item.kind == JsonKind.String && item.text == value) return true;
    }
    return false;
  }
  if (v.kind != JsonKind.String || value.length == 0) return false;
  // Token-wise search in "read write admin" (RFC 8693 §4.2 scope syntax).
  const s = v.text;
  const n = value.length;
  let from = 0;
  while (from <= s.length - n) {
    const at = s.indexOf(value, from);
    if (at < 0) return false;
    const startOk = at == 0 || s.charCodeAt(at - 1) == 0x20;
    const endOk = at + n == s.length || s.charCodeAt(at + n) == 0x20;
    if (startOk && endOk) return true;
    from = at + 1;
  }
  return false;
}

function requirementHolds(claims: JsonValue, r: ClaimRequirement): bool {
  const v = claims.getPath(r.path);
  if (v == null) return false;
  const values = r.values;
  switch (r.op) {
    case ClaimOp.Exists:
      return true;
    case ClaimOp.IsTrue:
      return v.kind == JsonKind.Bool && v.flag;
    case ClaimOp.Equals: {
      if (values.length == 0) return false;
      const want = unchecked(values[0]);
      if (v.kind == JsonKind.String || v.kind == JsonKind.Number) return v.text == want;
      if (v.kind == JsonKind.Bool) return want == (v.flag ? "true" : "false");
      return false;
    }
    case ClaimOp.OneOf:
      return v.kind == JsonKind.String && values.includes(v.text);
    case ClaimOp.ContainsAny: {
      for (let i = 0; i < values.length; i++) {
        if (containsValue(v, unchecked(values[i]))) return true;
      }
      return false;
    }
    case ClaimOp.ContainsAll: {
      if (values.length == 0) return false;
      for (let i = 0; i < values.length; i++) {
        if (!containsValue(v, unchecked(values[i]))) return false;
      }
      return true;
    }
  }
  return false;
}
