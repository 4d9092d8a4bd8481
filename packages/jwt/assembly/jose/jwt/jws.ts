// SPDX-License-Identifier: Apache-2.0
// Compact JWS parsing (RFC 7515 §7.1): exactly three segments (header and payload non-empty), a size cap, strict
// base64url everywhere, and a protected header that is a strict JSON object. The payload is bytes of
// any kind here; a JWT reads it as its claims set (claims.ts, parseClaimsSet).
//
// The signing input is the first two segments exactly as received (never re-serialized JSON:
// RFC 7515 A.1 carries CR LF inside its header). Only the compact form exists here: JSON
// serialization, unprotected headers and detached payloads are not JWTs.

import { base64UrlDecodeRange } from "../encoding/base64url";
import { JsonKind, JsonLimits, JsonValue, JsonError, parseJson } from "@getwild/json/assembly";
import { JwtError } from "./errors";

/** Caps for one token. */
export class JwsLimits {
  constructor(
    /** Whole token, in bytes (Envoy's verified-token cache stops at ~4 KiB; IdP tokens are 1–2 KiB). */
    public maxTokenBytes: i32 = 8192,
    /** Decoded protected header, in bytes. */
    public maxHeaderBytes: i32 = 2048,
    /** JSON nesting depth of header and payload. */
    public maxDepth: i32 = 16,
  ) {}
}

export class CompactJws {
  constructor(
    public header: JsonValue,
    /** Decoded payload bytes (for a JWT, the claims JSON text). */
    public payloadBytes: Uint8Array,
    public signature: Uint8Array,
    /** Length of the signing input: bytes [0, signingInputLength) of the token. */
    public signingInputLength: i32,
  ) {}
}

export class JwsResult {
  constructor(
    public jws: CompactJws | null,
    public error: JwtError,
    /** The JSON reader's reason for HeaderJson. */
    public jsonError: JsonError = JsonError.None,
  ) {}
}

function fail(e: JwtError, j: JsonError): JwsResult {
  return new JwsResult(null, e, j);
}

/** Splits and decodes a compact JWS given as ASCII bytes; nothing is verified yet. Never traps. */
export function parseCompactJws(token: Uint8Array, limits: JwsLimits): JwsResult {
  const len = token.length;
  if (len == 0) return fail(JwtError.TokenMissing, JsonError.None);
  if (len > limits.maxTokenBytes) return fail(JwtError.TokenTooLarge, JsonError.None);
  let first = -1;
  let second = -1;
  const p = token.dataStart;
  for (let i = 0; i < len; i++) {
    if (load<u8>(p + <usize>i) != 0x2e) continue;
    if (first < 0) first = i;
    else if (second < 0) second = i;
    else return fail(JwtError.TokenMalformed, JsonError.None); // a fourth segment (JWE has five)
  }
  // An empty signature is let through here so that `alg: none` tokens (RFC 7515 A.5, which end
  // in '.') are reported as AlgNone by the header check; verifyJwt refuses it right after that.
  if (second < 0 || first == 0 || second == first + 1) return fail(JwtError.TokenMalformed, JsonError.None);

  const headerBytes = base64UrlDecodeRange(token, 0, first);
  if (!headerBytes.ok) return fail(JwtError.HeaderEncoding, JsonError.None);
  const hb = headerBytes.bytes!;
  if (hb.length > limits.maxHeaderBytes) return fail(JwtError.HeaderJson, JsonError.TooLarge);
  const header = parseJson(hb, new JsonLimits(limits.maxHeaderBytes, limits.maxDepth, limits.maxHeaderBytes));
  const h = header.value;
  if (h == null) return fail(JwtError.HeaderJson, header.error);
  if (h.kind != JsonKind.Object) return fail(JwtError.HeaderJson, JsonError.None);

  const payloadBytes = base64UrlDecodeRange(token, first + 1, second);
  if (!payloadBytes.ok) return fail(JwtError.PayloadEncoding, JsonError.None);

  const signature = base64UrlDecodeRange(token, second + 1, len);
  if (!signature.ok) return fail(JwtError.SignatureEncoding, JsonError.None);
  return new JwsResult(new CompactJws(h, payloadBytes.bytes!, signature.bytes!, second), JwtError.Ok);
}
