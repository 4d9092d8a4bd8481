// SPDX-License-Identifier: Apache-2.0
// verifyJwt: a compact JWT string, a key set, a provider's options and the current time in,
// a VerifyResult with a stable error code out. Never throws, never traps.
//
// Order: size and shape, with header JSON, payload JSON and signature bytes decoded → protected
// header policy (alg allow-list, none, crit, kid, typ) → key selection and signature → claims. The signature is checked
// before the claims, so a forged token is reported as a bad signature whatever it claims, and
// claims of an unverified token are never exposed.

import { JsonValue, JsonError } from "@getwild/json/assembly";
import { JwtError, jwtErrorMessage, jwtErrorName, jwtErrorReason } from "./jwt/errors";
import { Alg } from "./jwt/algorithms";
import { verifySignature } from "./jwt/algorithms";
import { parseCompactJws } from "./jwt/jws";
import { checkHeader } from "./jwt/header";
import { checkClaims } from "./jwt/claims";
import { VerifyOptions } from "./jwt/options";
import { KeySet } from "./jwks/jwks";
import { Jwk } from "./jwks/jwk";
import { nextCandidate } from "./jwks/select";

export class VerifyResult {
  /** Ok, or why the token was refused. */
  error: JwtError = JwtError.Ok;
  /** The claim concerned for claim errors ("exp", "aud", "realm_access.roles"…), else "". */
  claim: string = "";
  /** JSON reader detail for HeaderJson/PayloadJson (e.g. DuplicateKey). */
  jsonError: JsonError = JsonError.None;
  /** Header `alg` as an Alg once known, else -1. */
  alg: i32 = -1;
  /** Header `kid`, when present and valid. */
  kid: string | null = null;
  /** The protected header; set only when `ok`. */
  header: JsonValue | null = null;
  /** The verified claims; set only when `ok` (never for an unverified token). */
  claims: JsonValue | null = null;
  /** The decoded payload JSON bytes; set only when `ok`. */
  payloadBytes: Uint8Array | null = null;
  /** The key that verified the signature; set only when `ok`. */
  key: Jwk | null = null;
  /** `exp` in seconds, or i64.MAX_VALUE when absent; meaningful when `ok` (verified-token cache). */
  expiresAt: i64 = i64.MAX_VALUE;

  get ok(): bool {
    return this.error == JwtError.Ok;
  }
  /** Stable snake_case code name, e.g. "expired". */
  get code(): string {
    return jwtErrorName(this.error);
  }
  /** jose-style reason: "missing", "invalid", "check_failed", "mismatch" ("" when ok). */
  get reason(): string {
    return jwtErrorReason(this.error);
  }
  /** Message without token content, e.g. "Jwt is expired". */
  get message(): string {
    return jwtErrorMessage(this.error);
  }
}

function refused(r: VerifyResult, e: JwtError, claim: string = ""): VerifyResult {
  r.error = e;
  r.claim = claim;
  return r;
}

/** Verifies a compact JWT given as a string. Any character outside ASCII makes it malformed. */
export function verifyJwt(token: string, keys: KeySet, options: VerifyOptions, nowSeconds: i64): VerifyResult {
  const len = token.length;
  if (len == 0) return refused(new VerifyResult(), JwtError.TokenMissing);
  if (len > options.limits.maxTokenBytes) return refused(new VerifyResult(), JwtError.TokenTooLarge);
  const bytes = asciiBytes(token);
  if (bytes == null) return refused(new VerifyResult(), JwtError.TokenMalformed);
  return verifyJwtBytes(bytes, keys, options, nowSeconds);
}

/** The bytes of an ASCII string, or null when any unit is ≥ 0x80 (a token is pure ASCII). */
export function asciiBytes(text: string): Uint8Array | null {
  const len = text.length;
  const bytes = new Uint8Array(len);
  const src = changetype<usize>(text);
  const dst = bytes.dataStart;
  for (let i = 0; i < len; i++) {
    const c = load<u16>(src + (<usize>i << 1));
    if (c >= 0x80) return null;
    store<u8>(dst + <usize>i, <u8>c);
  }
  return bytes;
}

/** Verifies a compact JWT given as ASCII bytes. */
export function verifyJwtBytes(token: Uint8Array, keys: KeySet, options: VerifyOptions, nowSeconds: i64): VerifyResult {
  const r = new VerifyResult();
  const parsed = parseCompactJws(token, options.limits);
  const jws = parsed.jws;
  if (jws == null) {
    r.jsonError = parsed.jsonError;
    return refused(r, parsed.error);
  }
  const h = checkHeader(jws.header, options.algorithms, options.requireKid, options.types);
  r.alg = h.alg;
  r.kid = h.kid;
  if (h.error != JwtError.Ok) return refused(r, h.error);
  if (jws.signature.length == 0) return refused(r, JwtError.TokenMalformed);
  if (keys.size == 0) return refused(r, JwtError.KeySetEmpty);

  const alg = <Alg>h.alg;
  let i = nextCandidate(keys, alg, h.kid, 0);
  if (i < 0) return refused(r, JwtError.KeyNotFound);
  // The signing input is the first two segments as received: a view, no copy.
  const signingInput = Uint8Array.wrap(token.buffer, token.byteOffset, jws.signingInputLength);
  let verifiedBy: Jwk | null = null;
  while (i >= 0) {
    const key = unchecked(keys.keys[i]);
    if (verifySignature(alg, key, signingInput, jws.signature)) {
      verifiedBy = key;
      break;
    }
    i = nextCandidate(keys, alg, h.kid, i + 1);
  }
  if (verifiedBy == null) return refused(r, JwtError.SignatureInvalid);

  const c = checkClaims(jws.payload, options, nowSeconds);
  r.expiresAt = c.expiresAt;
  if (c.error != JwtError.Ok) return refused(r, c.error, c.claim);
  r.header = jws.header;
  r.claims = jws.payload;
  r.payloadBytes = jws.payloadBytes;
  r.key = verifiedBy;
  return r;
}
