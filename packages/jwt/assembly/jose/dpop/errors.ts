// SPDX-License-Identifier: Apache-2.0
// Why a DPoP proof (RFC 9449 §4.3) or its binding to an access token was refused: stable codes,
// snake_case names (metrics, logs, test assertions) and messages that never quote the proof.

export const enum DpopError {
  Ok = 0,
  /** No DPoP header although the request needs a proof. */
  ProofMissing = 1,
  /** More than one DPoP header (RFC 9449 §4.3 check 1). */
  MultipleProofs = 2,
  /** Not one compact JWS of ASCII characters, too large, or its header or payload is not a JSON object. */
  ProofMalformed = 3,
  /** `typ` is not `dpop+jwt`. */
  TypInvalid = 4,
  /** `alg` missing, `none`, symmetric, unknown, or not in the configured list. */
  AlgNotAllowed = 5,
  /** `crit` present: no extension is understood. */
  CritUnsupported = 6,
  /** No `jwk` object in the protected header. */
  JwkMissing = 7,
  /** The `jwk` holds private or secret members (d, p, q, dp, dq, qi, oth, k). */
  JwkPrivate = 8,
  /** The `jwk` is no usable public key, or does not fit `alg` (type, curve, its own `alg`). */
  JwkInvalid = 9,
  /** The signature does not verify with the header's `jwk`. */
  SignatureInvalid = 10,
  /** `htm` missing or not the request's method. */
  HtmMismatch = 11,
  /** `htu` missing, not a URI, or not the request's URI (query and fragment ignored). */
  HtuMismatch = 12,
  /** `iat` missing or not a number. */
  IatInvalid = 13,
  /** `iat` older than the configured window. */
  IatTooOld = 14,
  /** `iat` later than now plus the allowed clock skew. */
  IatInFuture = 15,
  /** `jti` missing, empty, not a string, or longer than allowed. */
  JtiInvalid = 16,
  /** An access token is presented but the proof has no `ath` (or it is not a string). */
  AthMissing = 17,
  /** `ath` is not the base64url SHA-256 of the presented access token. */
  AthMismatch = 18,
  /** The access token's `cnf.jkt` is not the thumbprint of the proof's key. */
  KeyBindingMismatch = 19,
  /** The access token has no `cnf.jkt`, so it is not bound to any DPoP key. */
  TokenNotBound = 20,
  /** This `jti` was seen before within its window (filter layer, shared by every worker). */
  Replayed = 21,
  /** The replay store could not record the `jti` (full of live entries, or contended): refused, not risked. */
  ReplayStoreUnavailable = 22,
}

export const DPOP_ERROR_COUNT: i32 = 23;

// @ts-ignore: decorator
@lazy const NAMES: StaticArray<string> = [
  "ok",
  "dpop_proof_missing",
  "dpop_multiple_proofs",
  "dpop_proof_malformed",
  "dpop_typ_invalid",
  "dpop_alg_not_allowed",
  "dpop_crit_unsupported",
  "dpop_jwk_missing",
  "dpop_jwk_private",
  "dpop_jwk_invalid",
  "dpop_signature_invalid",
  "dpop_htm_mismatch",
  "dpop_htu_mismatch",
  "dpop_iat_invalid",
  "dpop_iat_too_old",
  "dpop_iat_in_future",
  "dpop_jti_invalid",
  "dpop_ath_missing",
  "dpop_ath_mismatch",
  "dpop_key_binding_mismatch",
  "dpop_token_not_bound",
  "dpop_replayed",
  "dpop_replay_store_unavailable",
];

// @ts-ignore: decorator
@lazy const MESSAGES: StaticArray<string> = [
  "ok",
  "DPoP proof is missing",
  "more than one DPoP proof",
  "DPoP proof is not a well-formed JWT",
  "DPoP proof typ is not dpop+jwt",
  "DPoP proof alg is not an allowed asymmetric algorithm",
  "DPoP proof has an unsupported crit header",
  "DPoP proof has no jwk header",
  "DPoP proof jwk contains private key members",
  "DPoP proof jwk is not a usable public key for its alg",
  "DPoP proof signature is invalid",
  "DPoP proof htm does not match the request method",
  "DPoP proof htu does not match the request URI",
  "DPoP proof iat is missing or invalid",
  "DPoP proof is too old",
  "DPoP proof is issued in the future",
  "DPoP proof jti is missing or invalid",
  "DPoP proof has no ath for the access token",
  "DPoP proof ath does not match the access token",
  "DPoP proof key does not match the access token's cnf.jkt",
  "access token is not bound to a DPoP key",
  "DPoP proof was already used",
  "DPoP replay store is unavailable",
];

export function dpopErrorName(e: DpopError): string {
  const i = <i32>e;
  return i >= 0 && i < NAMES.length ? unchecked(NAMES[i]) : "dpop_unknown";
}

export function dpopErrorMessage(e: DpopError): string {
  const i = <i32>e;
  return i >= 0 && i < MESSAGES.length ? unchecked(MESSAGES[i]) : "unknown DPoP error";
}

/**
 * Which RFC 9449 §7.1 error code a client gets: the access token's own binding faults are
 * `invalid_token` (the token is useless with any proof), everything about the proof is
 * `invalid_dpop_proof` (a fresh proof may succeed).
 */
export function dpopErrorIsTokenFault(e: DpopError): bool {
  return e == DpopError.TokenNotBound;
}
