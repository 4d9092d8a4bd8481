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
}

/** A time claim: absent (present=false), or floored seconds, or an error. */
class TimeClaim {
  present: bool = false;
  seconds: i64 = 0;
  error: JwtError = JwtError.Ok;
}

function readTime(claims: JsonValue, name: string, required: bool): TimeClaim {
  const t = new TimeClaim();
  const v = claims.get(name);
  if (v == null) {
    if (required) t.error = JwtError.ClaimMissing;
    return t;
  }
  const d = numericDateOf(v);
  // Strings, booleans, null, and magnitudes beyond 2^53 are type errors, not coerced.
  if (d.error != NumericDateError.None) {
    t.error = JwtError.ClaimInvalid;
    return t;
  }
  t.present = true;
  t.seconds = d.seconds;
  return t;
}

/** a + b clamped to the i64 range (times are ≤ 2^53 and skew ≤ 300, but options come from users). */
// @ts-ignore: decorator
@inline function addClamped(a: i64, b: i64): i64 {
  const s = a + b;
  if (b > 0 && s < a) return i64.MAX_VALUE;
  if (b < 0 && s > a) return i64.MIN_VALUE;
  return s;
}

export function checkClaims(claims: JsonValue, o: VerifyOptions, now: i64): ClaimsCheck {
  const skew = o.clockSkewSeconds < 0 ? 0 : o.clockSkewSeconds;

  // Registered string claims must be strings when present.
  const iss = claims.get("iss");
  if (iss != null && iss.kind != JsonKind.String) return new ClaimsCheck(JwtError.ClaimInvalid, "iss");
  const sub = claims.get("sub");
  if (sub != null && sub.kind != JsonKind.String) return new ClaimsCheck(JwtError.ClaimInvalid, "sub");
  const jti = claims.get("jti");
  if (jti != null && jti.kind != JsonKind.String) return new ClaimsCheck(JwtError.ClaimInvalid, "jti");
  const aud = claims.get("aud");
  if (aud != null && !isStringOrStringArray(aud)) return new ClaimsCheck(JwtError.ClaimInvalid, "aud");

  // Time.
  const exp = readTime(claims, "exp", o.requireExpiration || o.maxLifetimeSeconds > 0);
  if (exp.error != JwtError.Ok) return new ClaimsCheck(exp.error, "exp");
  const nbf = readTime(claims, "nbf", o.requireNotBefore);
  if (nbf.error != JwtError.Ok) return new ClaimsCheck(nbf.error, "nbf");
  const iat = readTime(claims, "iat", o.requireIssuedAt);
  if (iat.error != JwtError.Ok) return new ClaimsCheck(iat.error, "iat");
  const expiresAt = exp.present ? exp.seconds : i64.MAX_VALUE;
  if (exp.present && now >= addClamped(exp.seconds, skew)) return new ClaimsCheck(JwtError.Expired, "exp", expiresAt);
  if (nbf.present && now < addClamped(nbf.seconds, -skew))
    return new ClaimsCheck(JwtError.NotYetValid, "nbf", expiresAt);
  if (iat.present && iat.seconds > addClamped(now, skew))
    return new ClaimsCheck(JwtError.IssuedInFuture, "iat", expiresAt);
  if (o.checkAuthTime) {
    const authTime = readTime(claims, "auth_time", true);
    if (authTime.error != JwtError.Ok) return new ClaimsCheck(authTime.error, "auth_time", expiresAt);
    if (authTime.seconds > addClamped(now, skew))
      return new ClaimsCheck(JwtError.IssuedInFuture, "auth_time", expiresAt);
  }
  if (o.maxLifetimeSeconds > 0 && exp.seconds - now > o.maxLifetimeSeconds) {
    return new ClaimsCheck(JwtError.LifetimeTooLong, "exp", expiresAt);
  }

  // Issuer: exact, from a list.
  if (o.issuers.length > 0) {
    if (iss == null || !o.issuers.includes(iss.text))
      return new ClaimsCheck(JwtError.IssuerNotAllowed, "iss", expiresAt);
  }

  // Audience: any configured value present in the string or array.
  if (o.audiences.length > 0) {
    if (aud == null || !audienceAllowed(aud, o.audiences))
      return new ClaimsCheck(JwtError.AudienceNotAllowed, "aud", expiresAt);
  }

  // Subject.
  if (o.requireSubject && (sub == null || sub.text.length == 0))
    return new ClaimsCheck(JwtError.SubjectNotAllowed, "sub", expiresAt);
  if (sub != null) {
    if (o.subjectMaxLength > 0 && sub.text.length > o.subjectMaxLength)
      return new ClaimsCheck(JwtError.SubjectNotAllowed, "sub", expiresAt);
    if (o.subjects.length > 0) {
      let matched = false;
      for (let i = 0; i < o.subjects.length && !matched; i++) matched = unchecked(o.subjects[i]).matches(sub.text);
      if (!matched) return new ClaimsCheck(JwtError.SubjectNotAllowed, "sub", expiresAt);
    }
  } else if (o.subjects.length > 0) {
    return new ClaimsCheck(JwtError.SubjectNotAllowed, "sub", expiresAt);
  }

  for (let i = 0; i < o.requirements.length; i++) {
    const r = unchecked(o.requirements[i]);
    if (!requirementHolds(claims, r)) return new ClaimsCheck(JwtError.ClaimRequirementFailed, r.path, expiresAt);
  }
  return new ClaimsCheck(JwtError.Ok, "", expiresAt);
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
