// SPDX-License-Identifier: Apache-2.0
// verifyJws: a compact JWS with any payload, a key set (or one key given directly, such as the
// `jwk` of a DPoP proof) and the JWS policy in, a JwsVerifyResult with a stable error code out.
// verifyJwt (verify.ts) is this plus the claims set. Never throws, never traps.
//
// Order: size and shape, with header JSON, payload and signature bytes decoded → protected
// header policy (alg allow-list, none, crit, kid, typ) → key selection and signature. Nothing of
// a token is exposed before its signature has verified.

import { JsonValue, JsonError } from "@getwild/json/assembly";
import { asciiBytes } from "./encoding/ascii";
import { JwtError, jwtErrorMessage, jwtErrorName, jwtErrorReason } from "./jwt/errors";
import { Alg, compiledAlg } from "./jwt/algorithms";
import { verifySignature } from "./jwt/signature";
import { CompactJws, JwsLimits, parseCompactJws } from "./jwt/jws";
import { HeaderCheck, checkHeaderInto } from "./jwt/header";
import { JwsVerifyOptions } from "./jwt/options";
import { KeySet } from "./jwks/jwks";
import { Jwk } from "./jwks/jwk";
import { nextCandidate } from "./jwks/select";

/**
 * `error` (Ok, or why the token was refused), the header `alg` as an Alg once known (else -1) and
 * its `kid` when present and valid come from HeaderCheck: the header check fills them in place.
 */
export class JwsVerifyResult extends HeaderCheck {
  /** JSON reader detail for HeaderJson (and, for a JWT, PayloadJson), e.g. DuplicateKey. */
  jsonError: JsonError = JsonError.None;
  /** The protected header; set only when `ok`. */
  header: JsonValue | null = null;
  /** The decoded payload bytes; set only when `ok` (never for an unverified token). */
  payloadBytes: Uint8Array | null = null;
  /** The key that verified the signature; set only when `ok`. */
  key: Jwk | null = null;

  get ok(): bool {
    return this.error == JwtError.Ok;
  }
  /** Stable snake_case code name, e.g. "signature_invalid". */
  get code(): string {
    return jwtErrorName(this.error);
  }
  /** jose-style reason: "missing", "invalid", "check_failed", "mismatch" ("" when ok). */
  get reason(): string {
    return jwtErrorReason(this.error);
  }
  /** Message without token content, e.g. "Jwt verification fails". */
  get message(): string {
    return jwtErrorMessage(this.error);
  }
}

/** Verifies a compact JWS given as a string. Any character outside ASCII makes it malformed. */
export function verifyJws(token: string, keys: KeySet, options: JwsVerifyOptions): JwsVerifyResult {
  const r = new JwsVerifyResult();
  const bytes = tokenBytes(r, token, options.limits);
  if (bytes == null) return r;
  return verifyJwsInto(r, bytes, keys, options);
}

/** Verifies a compact JWS with one key given directly (e.g. a DPoP proof's own `jwk`). */
export function verifyJwsWithKey(token: string, key: Jwk, options: JwsVerifyOptions): JwsVerifyResult {
  // The key goes through the same selection as a set's keys: alg, kty, crv, its own `alg`, and
  // its `kid` (if both it and the token have one) must fit, or the answer is KeyNotFound.
  return verifyJws(token, KeySet.of(key), options);
}

/** Verifies a compact JWS given as ASCII bytes. */
export function verifyJwsBytes(token: Uint8Array, keys: KeySet, options: JwsVerifyOptions): JwsVerifyResult {
  return verifyJwsInto(new JwsVerifyResult(), token, keys, options);
}

function verifyJwsInto(
  r: JwsVerifyResult,
  token: Uint8Array,
  keys: KeySet,
  options: JwsVerifyOptions,
): JwsVerifyResult {
  const jws = parseJws(r, token, options.limits);
  if (jws == null) return r;
  const key = verifiedKey(r, token, jws, keys, options);
  if (key != null) acceptJws(r, jws, key);
  return r;
}

/**
 * Verifies a JWS already split by parseCompactJws(token) (for a caller that reads the header
 * first, e.g. to import the key a DPoP proof carries). `token` must be the bytes it was parsed from.
 */
export function verifyParsedJws(
  token: Uint8Array,
  jws: CompactJws,
  keys: KeySet,
  options: JwsVerifyOptions,
): JwsVerifyResult {
  const r = new JwsVerifyResult();
  const key = verifiedKey(r, token, jws, keys, options);
  if (key != null) acceptJws(r, jws, key);
  return r;
}

// The steps below are shared with verifyJwt, which fills a VerifyResult (a JwsVerifyResult).

/** The token's ASCII bytes, or null with `r.error` set (too large, or a unit outside ASCII). */
// @ts-ignore: decorator
@inline export function tokenBytes(r: JwsVerifyResult, token: string, limits: JwsLimits): Uint8Array | null {
  const len = token.length;
  if (len == 0) r.error = JwtError.TokenMissing;
  else if (len > limits.maxTokenBytes) r.error = JwtError.TokenTooLarge;
  else {
    const bytes = asciiBytes(token);
    if (bytes != null) return bytes;
    r.error = JwtError.TokenMalformed;
  }
  return null;
}

/** parseCompactJws, its error copied into `r`. */
// @ts-ignore: decorator
@inline export function parseJws(r: JwsVerifyResult, token: Uint8Array, limits: JwsLimits): CompactJws | null {
  const parsed = parseCompactJws(token, limits);
  if (parsed.jws == null) {
    r.error = parsed.error;
    r.jsonError = parsed.jsonError;
  }
  return parsed.jws;
}

/** Header policy, key selection and signature: the key that verified, or null with `r.error` set. */
export function verifiedKey(
  r: JwsVerifyResult,
  token: Uint8Array,
  jws: CompactJws,
  keys: KeySet,
  options: JwsVerifyOptions,
): Jwk | null {
  const e = checkHeaderInto(r, jws.header, options.algorithms, options.requireKid, options.types);
  if (e != JwtError.Ok) return refusedKey(r, e);
  return signingKey(r, token, jws, keys);
}

/**
 * Key selection and signature for a JWS whose header `r` already passed (r.alg, r.kid): the key
 * that verified, or null with `r.error` set.
 */
export function signingKey(r: JwsVerifyResult, token: Uint8Array, jws: CompactJws, keys: KeySet): Jwk | null {
  // An empty signature was let through by the parser only so that `alg: none` is named as such.
  if (jws.signature.length == 0) return refusedKey(r, JwtError.TokenMalformed);
  if (keys.size == 0) return refusedKey(r, JwtError.KeySetEmpty);

  const alg = compiledAlg(<Alg>r.alg);
  const kid = r.kid;
  let i = nextCandidate(keys, alg, kid, 0);
  if (i < 0) return refusedKey(r, JwtError.KeyNotFound);
  // The signing input is the first two segments as received: a view, no copy.
  const signingInput = Uint8Array.wrap(token.buffer, token.byteOffset, jws.signingInputLength);
  while (i >= 0) {
    const key = unchecked(keys.keys[i]);
    if (verifySignature(alg, key, signingInput, jws.signature)) return key;
    i = nextCandidate(keys, alg, kid, i + 1);
  }
  return refusedKey(r, JwtError.SignatureInvalid);
}

/** Exposes what a verified JWS holds. */
// @ts-ignore: decorator
@inline export function acceptJws(r: JwsVerifyResult, jws: CompactJws, key: Jwk): void {
  r.error = JwtError.Ok;
  r.header = jws.header;
  r.payloadBytes = jws.payloadBytes;
  r.key = key;
}

// @ts-ignore: decorator
@inline function refusedKey(r: JwsVerifyResult, e: JwtError): Jwk | null {
  r.error = e;
  return null;
}
