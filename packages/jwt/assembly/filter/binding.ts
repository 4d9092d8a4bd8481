// SPDX-License-Identifier: Apache-2.0
// Sender-constrained tokens: after a token verified (or came from the verified-token cache), its
// confirmation claim (`cnf`, RFC 7800) is checked against this request, on every request.
//
//  - `cnf.jkt` (RFC 9449): the token must come as `Authorization: DPoP <token>` with one valid
//    `DPoP` proof signed by that key, for this method and URI, fresh, and not seen before by any
//    worker (dpop_replay.ts). A provider without `dpop` cannot check it, so such a token is refused.
//  - `cnf.x5t#S256` (RFC 8705 §3): the SHA-256 of the client certificate of this connection, which
//    Envoy reports as `connection.sha256_peer_certificate_digest` (hex), must be that value.
//  - Any other confirmation member (jwk, jku, kid, x5t...), or a `cnf` that is not an object, is
//    a binding this filter cannot check: refused (fail closed), never ignored.
//
// A provider with `dpop` and mode "required" also refuses tokens that do not come with DPoP.
import { getPropertyString } from "@getwild/core/assembly";
import { JsonKind, JsonValue } from "@getwild/json/assembly";
import { base64UrlEncode } from "../jose/encoding/base64url";
import { DpopError, dpopErrorMessage, dpopErrorName } from "../jose/dpop/errors";
import { DpopRequest, verifyDpopProof } from "../jose/dpop/proof";
import { requestUri } from "../jose/dpop/htu";
import { DpopMode, DpopPolicy } from "./dpop_config";
import { recordProof, ReplayVerdict } from "./dpop_replay";
import { Provider } from "./model";
import { RequestHeaders } from "./request_headers";
import { BindingChallenge } from "./binding_challenge";
import { COMPILED_FEATURES, FEATURE_DPOP, FEATURE_MTLS } from "./features";
import { Denial, DenyKind } from "./failure";

export const enum BindingFault {
  None = 0,
  /** A DPoP proof problem; `dpop` says which. */
  Dpop = 1,
  /** A DPoP-bound token (`cnf.jkt`) sent as Bearer (or anywhere but `Authorization: DPoP`). */
  BoundTokenAsBearer = 2,
  /** The provider requires DPoP and the token did not come as `Authorization: DPoP`. */
  DpopRequired = 3,
  /** A DPoP-bound token for a provider without `dpop`: its binding cannot be checked. */
  DpopNotConfigured = 4,
  /** `cnf.x5t#S256` but the connection has no client certificate (or Envoy reports none). */
  CertificateMissing = 5,
  /** `cnf.x5t#S256` is not the thumbprint of the connection's client certificate. */
  CertificateMismatch = 6,
  /** `cnf` is not an object, or holds a member this filter cannot check. */
  ConfirmationUnsupported = 7,
}

/** A failed binding check: what went wrong, and how to challenge the client. */
export class BindingResult {
  constructor(
    public fault: BindingFault,
    public dpop: DpopError = DpopError.Ok,
  ) {}

  get ok(): bool {
    return this.fault == BindingFault.None;
  }

  /** Stable snake_case reason (metrics, response details, JSON body). */
  get reason(): string {
    // Faults that only code a build may leave out (features.ts) can raise have their names gated
    // with it: the DPoP error names would otherwise stay in every module.
    const dpop = (COMPILED_FEATURES & FEATURE_DPOP) != 0;
    const mtls = (COMPILED_FEATURES & FEATURE_MTLS) != 0;
    switch (this.fault) {
      case BindingFault.Dpop:
        if (dpop) return dpopErrorName(this.dpop);
        break;
      case BindingFault.BoundTokenAsBearer:
        if (dpop) return "dpop_bound_token_as_bearer";
        break;
      case BindingFault.DpopRequired:
        if (dpop) return "dpop_required";
        break;
      case BindingFault.DpopNotConfigured:
        return "dpop_not_configured";
      case BindingFault.CertificateMissing:
        if (mtls) return "mtls_certificate_missing";
        break;
      case BindingFault.CertificateMismatch:
        if (mtls) return "mtls_certificate_mismatch";
        break;
      case BindingFault.ConfirmationUnsupported:
        return "cnf_unsupported";
    }
    return "ok";
  }

  /** Whether the client gets the DPoP challenge (else the Bearer one). */
  get dpopChallenge(): bool {
    if (!(COMPILED_FEATURES & FEATURE_DPOP)) return false;
    const f = this.fault;
    return f == BindingFault.Dpop || f == BindingFault.BoundTokenAsBearer || f == BindingFault.DpopRequired;
  }

  /** The RFC 6750 / RFC 9449 §7.1 error code. */
  get errorCode(): string {
    if (COMPILED_FEATURES & FEATURE_DPOP && this.fault == BindingFault.Dpop && this.dpop != DpopError.TokenNotBound)
      return "invalid_dpop_proof";
    return "invalid_token";
  }
}

// @ts-ignore: decorator
@lazy const BOUND_OK = new BindingResult(BindingFault.None, DpopError.Ok);

/** The confirmation members of a token, read once (cached with the verified token). */
export class Confirmation {
  /** `cnf.jkt`, or null. */
  jkt: string | null = null;
  /** `cnf.x5t#S256`, or null. */
  x5t: string | null = null;
  /** A `cnf` this filter cannot check. */
  unsupported: bool = false;
}

/** Reads `cnf` from verified claims. */
export function readConfirmation(claims: JsonValue): Confirmation {
  const c = new Confirmation();
  const cnf = claims.get("cnf");
  if (cnf === null) return c;
  if (cnf.kind != JsonKind.Object) {
    c.unsupported = true;
    return c;
  }
  for (let i = 0, n = cnf.length; i < n; i++) {
    const name = cnf.nameAt(i);
    const value = cnf.valueAt(i)!.asString();
    if (name == "jkt" && value !== null && value.length > 0) c.jkt = value;
    else if (name == "x5t#S256" && value !== null && value.length > 0) c.x5t = value;
    else c.unsupported = true;
  }
  return c;
}

/** Whether the provider's token came as `Authorization: DPoP <token>` (any CGI spelling of the name). */
function sentWithDpopScheme(headers: RequestHeaders, token: string): bool {
  const names = headers.spellingsOf("authorization");
  for (let k = 0; k < names.length; k++) {
    // Only what follows the scheme is decoded (the token), not each whole header value again.
    const tokens = headers.valuesAfterPrefix(unchecked(names[k]), "DPoP ");
    for (let j = 0; j < tokens.length; j++) {
      if (unchecked(tokens[j]) == token) return true;
    }
  }
  return false;
}

/** Every DPoP header value of the request (any CGI spelling of the name). */
function dpopProofs(headers: RequestHeaders): Array<string> {
  const out = new Array<string>();
  const names = headers.spellingsOf("dpop");
  for (let k = 0; k < names.length; k++) {
    const values = headers.getAll(unchecked(names[k]));
    for (let j = 0; j < values.length; j++) out.push(unchecked(values[j]));
  }
  return out;
}

/**
 * Lower-case or upper-case hex of a SHA-256 digest (64 digits) as base64url; null for anything else.
 * Envoy reports the certificate digest in hex; RFC 8705 `x5t#S256` is base64url of the same bytes.
 */
export function hexDigestToBase64Url(hex: string): string | null {
  if (hex.length != 64) return null;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    unchecked((bytes[i] = <u8>((hi << 4) | lo)));
  }
  return base64UrlEncode(bytes);
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** The base64url SHA-256 thumbprint of this connection's client certificate, or null when there is none. */
function peerCertificateThumbprint(): string | null {
  // Absent (plaintext, or no client certificate) reads as "".
  const hex = getPropertyString(["connection", "sha256_peer_certificate_digest"]).value;
  if (hex.length == 0) return null;
  return hexDigestToBase64Url(hex);
}

/**
 * Checks the binding of `provider`'s verified `token` (with its `cnf`) to this request. The DPoP
 * proof's `jti` is recorded only when everything else passed, so a refused request never uses up
 * a proof.
 */
export function checkBinding(
  provider: Provider,
  token: string,
  cnf: Confirmation,
  headers: RequestHeaders,
  nowSeconds: i64,
): BindingResult {
  if (cnf.unsupported) return new BindingResult(BindingFault.ConfirmationUnsupported, DpopError.Ok);
  const x5t = cnf.x5t;
  if (x5t !== null) {
    // Built without mTLS binding (features.ts): a certificate-bound token cannot be checked, so it is refused.
    if (!(COMPILED_FEATURES & FEATURE_MTLS))
      return new BindingResult(BindingFault.ConfirmationUnsupported, DpopError.Ok);
    const seen = peerCertificateThumbprint();
    if (seen === null) return new BindingResult(BindingFault.CertificateMissing, DpopError.Ok);
    if (seen != x5t) return new BindingResult(BindingFault.CertificateMismatch, DpopError.Ok);
  }
  const policy = provider.dpop;
  const jkt = cnf.jkt;
  // Built without DPoP (features.ts), no provider has a policy: the proof code below is dropped.
  if (!(COMPILED_FEATURES & FEATURE_DPOP) || policy === null) {
    return jkt === null ? BOUND_OK : new BindingResult(BindingFault.DpopNotConfigured, DpopError.Ok);
  }
  if (!sentWithDpopScheme(headers, token)) {
    if (jkt !== null) return new BindingResult(BindingFault.BoundTokenAsBearer, DpopError.Ok);
    if (policy.mode == DpopMode.Required) return new BindingResult(BindingFault.DpopRequired, DpopError.Ok);
    return BOUND_OK;
  }
  if (jkt === null) return new BindingResult(BindingFault.Dpop, DpopError.TokenNotBound);
  return checkProof(policy, token, jkt, headers, nowSeconds);
}

function checkProof(
  policy: DpopPolicy,
  token: string,
  jkt: string,
  headers: RequestHeaders,
  nowSeconds: i64,
): BindingResult {
  const proofs = dpopProofs(headers);
  if (proofs.length == 0) return new BindingResult(BindingFault.Dpop, DpopError.ProofMissing);
  if (proofs.length > 1) return new BindingResult(BindingFault.Dpop, DpopError.MultipleProofs);
  const method = headers.get(":method");
  const scheme = headers.get(":scheme");
  const authority = headers.get(":authority");
  const path = headers.get(":path");
  let uri: string | null = null;
  if (scheme !== null && authority !== null && path !== null) uri = requestUri(scheme, authority, path);
  const request = new DpopRequest(method === null ? "" : method, uri, token, jkt);
  const r = verifyDpopProof(unchecked(proofs[0]), request, policy.options, nowSeconds);
  if (!r.ok) return new BindingResult(BindingFault.Dpop, r.error);
  const verdict = recordProof(policy, r.jkt, r.jti, policy.options.replayHorizon(r.iat), nowSeconds);
  if (verdict == ReplayVerdict.Replayed) return new BindingResult(BindingFault.Dpop, DpopError.Replayed);
  if (verdict == ReplayVerdict.Unavailable)
    return new BindingResult(BindingFault.Dpop, DpopError.ReplayStoreUnavailable);
  return BOUND_OK;
}

/** The DPoP challenge (RFC 9449 §7.1): `DPoP algs="..."` plus the error when there is one. */
export function dpopChallenge(policyAlgs: string, error: string, description: string): string {
  let c = "DPoP";
  let sep = " ";
  if (error.length > 0) {
    c += sep + 'error="' + error + '"';
    sep = ", ";
    if (description.length > 0) c += sep + 'error_description="' + description + '"';
  }
  return c + sep + 'algs="' + policyAlgs + '"';
}

/** The refusal for a failed binding check of `provider`'s token. */
export function bindingDenial(provider: Provider, b: BindingResult): Denial {
  const d = new Denial(DenyKind.Binding);
  let header = "";
  // A constant test the compiler itself folds (not only the optimizer), so a build without DPoP
  // never compiles dpopErrorMessage and carries no DPoP message table.
  if (COMPILED_FEATURES & FEATURE_DPOP) {
    const policy = provider.dpop;
    if (b.dpopChallenge && policy !== null) {
      const description = b.fault == BindingFault.Dpop ? dpopErrorMessage(b.dpop) : "";
      header = dpopChallenge(policy.algsText, b.errorCode, description);
    }
  }
  d.binding = new BindingChallenge(b.reason, b.errorCode, header);
  return d;
}
