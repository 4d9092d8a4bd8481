// SPDX-License-Identifier: Apache-2.0
// JWK Thumbprint (RFC 7638) with SHA-256: the hash of a canonical JSON object holding only the
// key's required public members, named in lexicographic order, without whitespace. A DPoP-bound
// access token names its key by this value (`cnf.jkt`, RFC 9449 §6.1).
//
// The canonical text is written here rather than re-serialized from the parsed JSON: only the
// required members count (`kid`, `alg`, `use` and private members never change a thumbprint).
// Member values are written as received; a value that would need escaping in JSON (a quote, a
// backslash, a control or non-ASCII character) cannot belong to a usable key (base64url and the
// registered curve names are plain ASCII), so it is refused rather than escaped.

import { JsonValue, JsonKind } from "@getwild/json/assembly";
import { sha256 } from "../crypto/sha256";
import { base64UrlEncode } from "../encoding/base64url";
import { asciiBytes } from "../encoding/ascii";

export const enum ThumbprintError {
  Ok = 0,
  /** Not a JSON object. */
  NotAnObject = 1,
  /** `kty` missing, not a string, or not RSA, EC, OKP or oct. */
  KeyTypeUnsupported = 2,
  /** A required member is missing, not a string, or holds a character JSON would escape. */
  MemberInvalid = 3,
}

export class ThumbprintResult {
  constructor(
    /** base64url (no padding) of the SHA-256 of the canonical JSON; "" on error. */
    public thumbprint: string,
    public error: ThumbprintError,
  ) {}
  get ok(): bool {
    return this.error == ThumbprintError.Ok;
  }
}

// Required members per key type, already in lexicographic order (RFC 7638 §3.2; RFC 8037 §2 for OKP).
// @ts-ignore: decorator
@lazy const RSA_MEMBERS: StaticArray<string> = ["e", "kty", "n"];
// @ts-ignore: decorator
@lazy const EC_MEMBERS: StaticArray<string> = ["crv", "kty", "x", "y"];
// @ts-ignore: decorator
@lazy const OKP_MEMBERS: StaticArray<string> = ["crv", "kty", "x"];
// @ts-ignore: decorator
@lazy const OCT_MEMBERS: StaticArray<string> = ["k", "kty"];

/** The canonical JSON text of a JWK's required members (RFC 7638 §3), or null when it has none. */
export function thumbprintInput(jwk: JsonValue): string | null {
  if (jwk.kind != JsonKind.Object) return null;
  const kty = jwk.getString("kty");
  if (kty == null) return null;
  let members: StaticArray<string>;
  if (kty == "RSA") members = RSA_MEMBERS;
  else if (kty == "EC") members = EC_MEMBERS;
  else if (kty == "OKP") members = OKP_MEMBERS;
  else if (kty == "oct") members = OCT_MEMBERS;
  else return null;
  let out = "{";
  for (let i = 0; i < members.length; i++) {
    const name = unchecked(members[i]);
    const value = jwk.getString(name);
    if (value == null || !plainJsonText(value)) return "";
    if (i > 0) out += ",";
    out += '"' + name + '":"' + value + '"';
  }
  return out + "}";
}

/** The SHA-256 JWK thumbprint of a parsed JWK object, base64url-encoded. Never traps. */
export function jwkThumbprint(jwk: JsonValue): ThumbprintResult {
  if (jwk.kind != JsonKind.Object) return new ThumbprintResult("", ThumbprintError.NotAnObject);
  const input = thumbprintInput(jwk);
  if (input == null) return new ThumbprintResult("", ThumbprintError.KeyTypeUnsupported);
  if (input.length == 0) return new ThumbprintResult("", ThumbprintError.MemberInvalid);
  return new ThumbprintResult(thumbprintOfInput(input), ThumbprintError.Ok);
}

/** jwkThumbprint's thumbprint alone (for a caller that needs no reason), or null when it has none. */
export function thumbprintOf(jwk: JsonValue): string | null {
  const input = thumbprintInput(jwk);
  return input == null || input.length == 0 ? null : thumbprintOfInput(input);
}

/** base64url(SHA-256(input)) of a thumbprint input, which is ASCII only (plainJsonText). */
function thumbprintOfInput(input: string): string {
  return base64UrlEncode(sha256(asciiBytes(input)!));
}

/** Printable ASCII without `"` and `\`: text JSON writes as is. */
function plainJsonText(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c == 0x22 || c == 0x5c) return false;
  }
  return true;
}
