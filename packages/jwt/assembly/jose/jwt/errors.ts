// SPDX-License-Identifier: Apache-2.0
// Why a token was refused: stable numeric codes, stable snake_case names and messages.
//
// The numbers and names are part of the public contract (metrics, logs, response details, tests
// assert them): append new codes, never renumber or rename. Messages never quote the token or
// claim values, so a log line or response body cannot leak credentials.

export const enum JwtError {
  Ok = 0,
  /** No token was presented (the filter decides whether that is acceptable). */
  TokenMissing = 1,
  /** Token longer than `maxTokenBytes`. */
  TokenTooLarge = 2,
  /** Not three non-empty dot-separated segments, or a character outside base64url and '.'. */
  TokenMalformed = 3,
  /** Protected header segment is not strict base64url. */
  HeaderEncoding = 4,
  /** Protected header is not a strict JSON object (duplicate member, depth, size, syntax). */
  HeaderJson = 5,
  /** Header has no `alg`, or it is not a string. */
  AlgMissing = 6,
  /** `alg: none` (an unsecured JWS): never accepted. */
  AlgNone = 7,
  /** `alg` names no JWS signature algorithm this library knows. */
  AlgUnknown = 8,
  /** A known algorithm that this provider does not allow. */
  AlgNotAllowed = 9,
  /** Allowed by the options but not compiled into this module (see GETWILD_JWT_ALGS). */
  AlgUnavailable = 10,
  /** `crit` is present: no extension is implemented, so any `crit` (or a malformed one) is refused. */
  CritUnsupported = 11,
  /** `kid` is not a string or is longer than 256 characters. */
  KidInvalid = 12,
  /** The options require a `kid` and the header has none. */
  KidRequired = 13,
  /** `typ` is not a string, or not one of the accepted types. */
  TypInvalid = 14,
  /** Payload segment is not strict base64url. */
  PayloadEncoding = 15,
  /** Payload is not a strict JSON object (duplicate claims included). */
  PayloadJson = 16,
  /** Signature segment is not strict base64url. */
  SignatureEncoding = 17,
  /** No key in the set matches the token's `kid` and the (alg, kty, crv, use, key_ops) binding. */
  KeyNotFound = 18,
  /** Every candidate key rejected the signature. */
  SignatureInvalid = 19,
  /** A registered claim has the wrong JSON type (`claim` names it). */
  ClaimInvalid = 20,
  /** A required claim is absent (`claim` names it). */
  ClaimMissing = 21,
  /** now ≥ exp + skew. */
  Expired = 22,
  /** now < nbf − skew. */
  NotYetValid = 23,
  /** iat (or auth_time when checked) > now + skew. */
  IssuedInFuture = 24,
  /** exp − now exceeds `maxLifetimeSeconds`. */
  LifetimeTooLong = 25,
  /** `iss` absent or not one of the configured issuers. */
  IssuerNotAllowed = 26,
  /** `aud` absent or containing none of the configured audiences. */
  AudienceNotAllowed = 27,
  /** `sub` absent (when required), too long, or not matching the subject rules. */
  SubjectNotAllowed = 28,
  /** A configured claim requirement (equals, one-of, contains, boolean) failed (`claim` names it). */
  ClaimRequirementFailed = 29,
  /** The key set holds no usable key at all (e.g. the JWKS is not available yet). */
  KeySetEmpty = 30,
}

/** One past the largest code; codes are 0 .. JWT_ERROR_COUNT-1. */
export const JWT_ERROR_COUNT: i32 = 31;

// @ts-ignore: decorator
@lazy const NAMES: StaticArray<string> = [
  "ok",
  "token_missing",
  "token_too_large",
  "token_malformed",
  "header_encoding",
  "header_json",
  "alg_missing",
  "alg_none",
  "alg_unknown",
  "alg_not_allowed",
  "alg_unavailable",
  "crit_unsupported",
  "kid_invalid",
  "kid_required",
  "typ_invalid",
  "payload_encoding",
  "payload_json",
  "signature_encoding",
  "key_not_found",
  "signature_invalid",
  "claim_invalid",
  "claim_missing",
  "expired",
  "not_yet_valid",
  "issued_in_future",
  "lifetime_too_long",
  "issuer_not_allowed",
  "audience_not_allowed",
  "subject_not_allowed",
  "claim_requirement_failed",
  "key_set_empty",
];

// @ts-ignore: decorator
@lazy const MESSAGES: StaticArray<string> = [
  "ok",
  "Jwt is missing",
  "Jwt is larger than allowed",
  "Jwt is not in the form of Header.Payload.Signature",
  "Jwt header is not valid base64url",
  "Jwt header is not a valid JSON object",
  "Jwt header [alg] is missing or not a string",
  "Jwt header [alg] none is not accepted",
  "Jwt header [alg] is not a known algorithm",
  "Jwt header [alg] is not allowed",
  "Jwt header [alg] is not available in this build",
  "Jwt header [crit] names an unsupported extension",
  "Jwt header [kid] is not a valid string",
  "Jwt header [kid] is required",
  "Jwt header [typ] is not accepted",
  "Jwt payload is not valid base64url",
  "Jwt payload is not a valid JSON object",
  "Jwt signature is not valid base64url",
  "Jwks doesn't have key to match kid or alg from Jwt",
  "Jwt verification fails",
  "Jwt claim has an invalid type",
  "Jwt claim is missing",
  "Jwt is expired",
  "Jwt not yet valid",
  "Jwt was issued in the future",
  "Jwt lifetime is longer than allowed",
  "Jwt issuer is not configured",
  "Audiences in Jwt are not allowed",
  "Jwt subject is not allowed",
  "Jwt claim requirement failed",
  "Jwks doesn't have any valid public key",
];

/** Stable snake_case name of a code (for metrics and response details); never traps. */
export function jwtErrorName(e: JwtError): string {
  const i = <i32>e;
  return i >= 0 && i < NAMES.length ? unchecked(NAMES[i]) : "unknown";
}

/** Human-readable message (Envoy-like wording where Envoy has one); never traps. */
export function jwtErrorMessage(e: JwtError): string {
  const i = <i32>e;
  return i >= 0 && i < MESSAGES.length ? unchecked(MESSAGES[i]) : "unknown Jwt error";
}

/**
 * jose-style reason for a code, to go with VerifyResult.claim: "missing", "invalid" (wrong type
 * or form), "check_failed" (a time or requirement check), "mismatch" (not an allowed value or no
 * matching key), or "" for Ok. Never traps.
 */
export function jwtErrorReason(e: JwtError): string {
  switch (e) {
    case JwtError.Ok:
      return "";
    case JwtError.TokenMissing:
    case JwtError.AlgMissing:
    case JwtError.KidRequired:
    case JwtError.ClaimMissing:
      return "missing";
    case JwtError.SignatureInvalid:
    case JwtError.Expired:
    case JwtError.NotYetValid:
    case JwtError.IssuedInFuture:
    case JwtError.LifetimeTooLong:
    case JwtError.ClaimRequirementFailed:
      return "check_failed";
    case JwtError.AlgNotAllowed:
    case JwtError.AlgUnavailable:
    case JwtError.KeyNotFound:
    case JwtError.KeySetEmpty:
    case JwtError.IssuerNotAllowed:
    case JwtError.AudienceNotAllowed:
    case JwtError.SubjectNotAllowed:
    case JwtError.TypInvalid:
      return "mismatch";
  }
  return "invalid";
}
