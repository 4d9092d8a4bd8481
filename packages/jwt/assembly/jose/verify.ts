// SPDX-License-Identifier: Apache-2.0
// verifyJwt: a compact JWT string, a key set, a provider's options and the current time in,
// a VerifyResult with a stable error code out. Never throws, never traps.
//
// A JWT is a JWS whose payload is a claims set: the JWS steps of verify_jws.ts (size and shape,
// header policy, key selection, signature), then the payload read as a strict JSON object, then
// the claims. The signature is checked before the payload is read, so a forged token is reported
// as a bad signature whatever it carries, and claims of an unverified token are never exposed.

import { JsonValue } from "@getwild/json/assembly";
import { JwtError } from "./jwt/errors";
import { checkClaims, parseClaimsSet } from "./jwt/claims";
import { VerifyOptions } from "./jwt/options";
import { KeySet } from "./jwks/jwks";
import { JwsVerifyResult, acceptJws, parseJws, tokenBytes, verifiedKey } from "./verify_jws";

/** What verifyJwt answers: the JWS result plus the claims. */
export class VerifyResult extends JwsVerifyResult {
  /** The claim concerned for claim errors ("exp", "aud", "realm_access.roles"…), else "". */
  claim: string = "";
  /** The verified claims; set only when `ok` (never for an unverified token). */
  claims: JsonValue | null = null;
  /** `exp` in seconds, or i64.MAX_VALUE when absent; meaningful when `ok` (verified-token cache). */
  expiresAt: i64 = i64.MAX_VALUE;
}

/** Verifies a compact JWT given as a string. Any character outside ASCII makes it malformed. */
export function verifyJwt(token: string, keys: KeySet, options: VerifyOptions, nowSeconds: i64): VerifyResult {
  const r = new VerifyResult();
  const bytes = tokenBytes(r, token, options.limits);
  if (bytes == null) return r;
  return verifyJwtInto(r, bytes, keys, options, nowSeconds);
}

/** Verifies a compact JWT given as ASCII bytes. */
export function verifyJwtBytes(token: Uint8Array, keys: KeySet, options: VerifyOptions, nowSeconds: i64): VerifyResult {
  return verifyJwtInto(new VerifyResult(), token, keys, options, nowSeconds);
}

function verifyJwtInto(
  r: VerifyResult,
  token: Uint8Array,
  keys: KeySet,
  options: VerifyOptions,
  nowSeconds: i64,
): VerifyResult {
  const jws = parseJws(r, token, options.limits);
  if (jws == null) return r;
  const key = verifiedKey(r, token, jws, keys, options);
  if (key == null) return r;

  const set = parseClaimsSet(jws.payloadBytes, options.limits);
  const claims = set.value;
  if (claims == null) {
    r.error = JwtError.PayloadJson;
    r.jsonError = set.error;
    return r;
  }
  const c = checkClaims(claims, options, nowSeconds);
  r.expiresAt = c.expiresAt;
  if (c.error != JwtError.Ok) {
    r.error = c.error;
    r.claim = c.claim;
    return r;
  }
  acceptJws(r, jws, key);
  r.claims = claims;
  return r;
}
