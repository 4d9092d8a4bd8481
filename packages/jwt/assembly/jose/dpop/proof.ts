// SPDX-License-Identifier: Apache-2.0
// DPoP proof verification (RFC 9449 §4.3) for a protected-resource request: one compact JWS whose
// protected header carries the public key (`jwk`) that signed it, bound to this request by `htm`,
// `htu` and a fresh `iat`, to the access token by `ath`, and to the token's key binding by the
// key's RFC 7638 thumbprint. Replay of `jti` is the caller's part (it needs state shared by every
// worker); this returns what it needs: the `jti`, the key thumbprint and until when to remember it.
//
// Order: shape → header policy (typ, alg, crit) → key (public, fits alg) → signature → claims →
// token binding. The signature comes before the claims, so an unsigned or forged proof is reported
// as such whatever it claims. Never traps; every refusal is a DpopError value.

import { JsonKind, JsonLimits, JsonValue, parseJson } from "@getwild/json/assembly";
import { JwtError } from "../jwt/errors";
import { parseCompactJws } from "../jwt/jws";
import { checkHeaderInto } from "../jwt/header";
import { JwkOptions, PRIVATE_MEMBERS, parseJwk } from "../jwks/jwk";
import { KeySet } from "../jwks/jwks";
import { JwsVerifyResult, signingKey } from "../verify_jws";
import { thumbprintOf } from "../jwks/thumbprint";
import { numericDateOf } from "../encoding/json_number";
import { base64UrlEncode } from "../encoding/base64url";
import { sha256 } from "../crypto/sha256";
import { asciiBytes } from "../encoding/ascii";
import { DpopError } from "./errors";
import { DpopOptions } from "./options";
import { normalizeHttpUri } from "./htu";

/** The request a proof must match. */
export class DpopRequest {
  constructor(
    /** The request method, exactly as received (methods are case-sensitive). */
    public method: string,
    /** The request URI, normalized by `requestUri` (query dropped); null when it has none. */
    public uri: string | null,
    /** The access token sent with the proof (`Authorization: DPoP <token>`), or null for none. */
    public accessToken: string | null,
    /** The access token's `cnf.jkt`, or null when it names no key (then no binding is checked here). */
    public boundJkt: string | null,
  ) {}
}

export class DpopResult {
  error: DpopError = DpopError.Ok;
  /** The proof key's RFC 7638 thumbprint (set once the signature verified). */
  jkt: string = "";
  /** The proof's `jti` (set once the claims were read). */
  jti: string = "";
  /** The proof's `iat`, in seconds. */
  iat: i64 = 0;
  /** The header `alg` as an Alg once known, else -1. */
  alg: i32 = -1;

  get ok(): bool {
    return this.error == DpopError.Ok;
  }
}

function refused(r: DpopResult, e: DpopError): DpopResult {
  r.error = e;
  return r;
}

/** A JWS verification error as a proof error (comparisons, not a switch: a jump table over every JwtError costs more). */
function jwsError(e: JwtError): DpopError {
  if (e == JwtError.TypInvalid) return DpopError.TypInvalid;
  if (e == JwtError.CritUnsupported) return DpopError.CritUnsupported;
  // AlgMissing, AlgNone, AlgUnknown, AlgNotAllowed, AlgUnavailable (consecutive codes).
  if (e >= JwtError.AlgMissing && e <= JwtError.AlgUnavailable) return DpopError.AlgNotAllowed;
  // The only candidate key is the header's own: not selected means it does not fit alg (or kid).
  if (e == JwtError.KeyNotFound) return DpopError.JwkInvalid;
  if (e == JwtError.SignatureInvalid) return DpopError.SignatureInvalid;
  return DpopError.ProofMalformed;
}

/** base64url(SHA-256(ASCII(token))): the `ath` a proof must carry for `token` (RFC 9449 §4.2). */
export function accessTokenHash(token: string): string | null {
  const bytes = asciiBytes(token);
  return bytes === null ? null : base64UrlEncode(sha256(bytes));
}

/** Verifies the DPoP header value `proof` for `request` at `nowSeconds`. */
export function verifyDpopProof(
  proof: string,
  request: DpopRequest,
  options: DpopOptions,
  nowSeconds: i64,
): DpopResult {
  const r = new DpopResult();
  if (proof.length == 0) return refused(r, DpopError.ProofMissing);
  if (proof.length > options.maxProofBytes) return refused(r, DpopError.ProofMalformed);
  const bytes = asciiBytes(proof);
  if (bytes === null) return refused(r, DpopError.ProofMalformed);
  const jwsOptions = options.jwsOptions;
  const parsed = parseCompactJws(bytes, jwsOptions.limits);
  const jws = parsed.jws;
  if (jws === null) return refused(r, DpopError.ProofMalformed);

  // The header policy first, so that an `alg: none` or HMAC proof is named as such before its key
  // is looked at; the signature check after the key import reads the alg and kid it found.
  const header = jws.header;
  const checked = new JwsVerifyResult();
  const headerError = checkHeaderInto(checked, header, jwsOptions.algorithms, jwsOptions.requireKid, jwsOptions.types);
  r.alg = checked.alg;
  if (headerError != JwtError.Ok) return refused(r, jwsError(headerError));

  const jwk = header.get("jwk");
  if (jwk === null || jwk.kind != JsonKind.Object) return refused(r, DpopError.JwkMissing);
  // A private key, or an oct key's secret `k` (RFC 7518 §6.4.1), in a proof's header is refused by
  // name (a leak), not only as unusable.
  if (jwk.has("k")) return refused(r, DpopError.JwkPrivate);
  for (let i = 0; i < PRIVATE_MEMBERS.length; i++) {
    if (jwk.has(unchecked(PRIVATE_MEMBERS[i]))) return refused(r, DpopError.JwkPrivate);
  }
  const key = parseJwk(jwk, new JwkOptions(false, 2048)).key;
  if (key === null) return refused(r, DpopError.JwkInvalid);
  if (signingKey(checked, bytes, jws, KeySet.of(key)) === null) return refused(r, jwsError(checked.error));
  const thumbprint = thumbprintOf(jwk);
  if (thumbprint === null) return refused(r, DpopError.JwkInvalid);
  r.jkt = thumbprint;

  // The payload is read only now, after the signature verified: an unsigned proof costs no JSON parse.
  const payload = parseJson(jws.payloadBytes, new JsonLimits(options.maxProofBytes, 8, options.maxProofBytes));
  const claims = payload.value;
  if (claims === null || claims.kind != JsonKind.Object) return refused(r, DpopError.ProofMalformed);
  const jti = claims.getString("jti");
  if (jti === null || jti.length == 0 || jti.length > options.maxJtiLength) return refused(r, DpopError.JtiInvalid);
  r.jti = jti;
  const htm = claims.getString("htm");
  if (htm === null || htm != request.method) return refused(r, DpopError.HtmMismatch);
  const htu = claims.getString("htu");
  const uri = request.uri;
  if (htu === null || uri === null) return refused(r, DpopError.HtuMismatch);
  const proofUri = normalizeHttpUri(htu);
  if (proofUri === null || proofUri != uri) return refused(r, DpopError.HtuMismatch);
  const iat = numericDateOf(claims.get("iat"));
  if (!iat.ok) return refused(r, DpopError.IatInvalid);
  r.iat = iat.seconds;
  if (iat.seconds < nowSeconds - options.maxAgeSeconds) return refused(r, DpopError.IatTooOld);
  if (iat.seconds > nowSeconds + options.clockSkewSeconds) return refused(r, DpopError.IatInFuture);

  const token = request.accessToken;
  if (token !== null) {
    const athValue = claims.get("ath");
    if (athValue === null || athValue.kind != JsonKind.String) return refused(r, DpopError.AthMissing);
    const expected = accessTokenHash(token);
    if (expected === null || athValue.text != expected) return refused(r, DpopError.AthMismatch);
  }
  const bound = request.boundJkt;
  if (bound !== null && bound != r.jkt) return refused(r, DpopError.KeyBindingMismatch);
  return r;
}

/** The `jkt` member of a token's `cnf` claim (RFC 9449 §6.1), or null when there is none. */
export function confirmationJkt(claims: JsonValue): string | null {
  const cnf = claims.get("cnf");
  if (cnf === null) return null;
  return cnf.getString("jkt");
}
