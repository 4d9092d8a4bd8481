// SPDX-License-Identifier: Apache-2.0
// What a verification accepts. JwsVerifyOptions: the protected-header policy (algorithms, kid,
// typ) and size caps, all that verifyJws needs; VerifyOptions adds a JWT provider's claim rules
// (issuers, audiences, time, subject, requirements) for verifyJwt. Plain data, built once at
// configure time and checked there (validate*), so a bad configuration is refused before any request.

import { ALGS_ALL, ALGS_ASYMMETRIC } from "./algorithms";
import { JwsLimits } from "./jws";

/** Largest clock skew accepted by validation, in seconds. */
export const MAX_CLOCK_SKEW_SECONDS: i64 = 300;

export const enum MatchKind {
  Exact = 0,
  Prefix = 1,
  Suffix = 2,
  Contains = 3,
}

/** A string test (as Envoy's StringMatcher without regex), used for `sub`. */
export class StringMatcher {
  constructor(
    public kind: MatchKind,
    public value: string,
  ) {}

  matches(s: string): bool {
    switch (this.kind) {
      case MatchKind.Exact:
        return s == this.value;
      case MatchKind.Prefix:
        return s.startsWith(this.value);
      case MatchKind.Suffix:
        return s.endsWith(this.value, s.length);
      case MatchKind.Contains:
        return s.includes(this.value);
    }
    return false;
  }
}

export const enum ClaimOp {
  /** String claim equal to values[0]; a boolean claim against "true"/"false"; a number by its text. */
  Equals = 0,
  /** String claim equal to one of values. */
  OneOf = 1,
  /** Array of strings, or space-separated string (`scope`), containing at least one of values. */
  ContainsAny = 2,
  /** Same, containing every one of values. */
  ContainsAll = 3,
  /** Boolean claim that is exactly `true` (e.g. email_verified); strings "true" do not count. */
  IsTrue = 4,
  /** The claim is present (any type). */
  Exists = 5,
}

/** One requirement on a claim reached by a dotted path ("realm_access.roles"). */
export class ClaimRequirement {
  constructor(
    public path: string,
    public op: ClaimOp,
    public values: Array<string> = [],
  ) {}
}

/** The protected-header policy and size caps of a JWS verification (verifyJws). */
export class JwsVerifyOptions {
  /** Alg bit mask (ALG_BIT_*); by default every public-key algorithm, no HMAC. */
  algorithms: u32 = ALGS_ASYMMETRIC;
  /** Refuse a token without `kid`. */
  requireKid: bool = false;
  /** Accepted `typ` values (case-insensitive, "application/" optional); empty: any (or none). */
  types: Array<string> = [];
  limits: JwsLimits = new JwsLimits();
}

/** A JWT provider's options (verifyJwt): the JWS policy plus the claim rules. */
export class VerifyOptions extends JwsVerifyOptions {
  /** `iss` must equal one of these (exact, case-sensitive). Empty: not checked. */
  issuers: Array<string> = [];
  /** `aud` (string or array) must contain one of these. Empty: not checked. */
  audiences: Array<string> = [];
  /** Refuse tokens without `exp` (Envoy's default is not to; RFC 8725 spirit and Firebase say yes). */
  requireExpiration: bool = true;
  requireIssuedAt: bool = false;
  requireNotBefore: bool = false;
  /** Leeway for exp/nbf/iat/auth_time, in seconds (Envoy: 60). */
  clockSkewSeconds: i64 = 60;
  /** When > 0: `exp` is required and exp − now may not exceed this. */
  maxLifetimeSeconds: i64 = 0;
  /** Firebase: `auth_time` required and not in the future. */
  checkAuthTime: bool = false;
  requireSubject: bool = false;
  /** When > 0: `sub` length limit in UTF-16 units (Firebase: 128). */
  subjectMaxLength: i32 = 0;
  /** When non-empty: `sub` must match one of these. */
  subjects: Array<StringMatcher> = [];
  requirements: Array<ClaimRequirement> = [];
}

/** Null when the JWS options are usable, else a message naming the bad field (for configure time). */
export function validateJwsVerifyOptions(o: JwsVerifyOptions): string | null {
  if (o.algorithms == 0) return "algorithms: at least one algorithm must be allowed";
  if ((o.algorithms & ~ALGS_ALL) != 0) return "algorithms: unknown algorithm bit";
  if (o.limits.maxTokenBytes < 16 || o.limits.maxTokenBytes > 1 << 20)
    return "max_token_bytes: must be between 16 and 1048576";
  return null;
}

/** Null when the options are usable, else a message naming the bad field (for configure time). */
export function validateVerifyOptions(o: VerifyOptions): string | null {
  const jws = validateJwsVerifyOptions(o);
  if (jws != null) return jws;
  if (o.clockSkewSeconds < 0 || o.clockSkewSeconds > MAX_CLOCK_SKEW_SECONDS)
    return "clock_skew_seconds: must be between 0 and 300";
  if (o.maxLifetimeSeconds < 0) return "max_lifetime: must not be negative";
  if (o.subjectMaxLength < 0) return "subject_max_length: must not be negative";
  for (let i = 0; i < o.requirements.length; i++) {
    const r = unchecked(o.requirements[i]);
    if (r.path.length == 0) return "claims: a requirement has an empty claim path";
    const needsValues =
      r.op == ClaimOp.Equals || r.op == ClaimOp.OneOf || r.op == ClaimOp.ContainsAny || r.op == ClaimOp.ContainsAll;
    if (needsValues && r.values.length == 0) return "claims: requirement on '" + r.path + "' needs at least one value";
  }
  return null;
}
