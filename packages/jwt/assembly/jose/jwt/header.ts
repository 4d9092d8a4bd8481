// SPDX-License-Identifier: Apache-2.0
// Protected-header policy (RFC 7515 §4.1, RFC 8725 §3.1/§3.10): alg from the provider's
// allow-list only, `none` refused, any `crit` refused, kid/typ type-checked, and the key-bearing
// members `jku`/`x5u`/`jwk`/`x5c` ignored entirely: keys come only from the configured key set.

import { JsonKind, JsonValue } from "@getwild/json/assembly";
import { JwtError } from "./errors";
import { Alg, ALG_NONE, ALG_UNKNOWN, algFromName, algBit, algCompiled } from "./algorithms";
import { MAX_KID_LENGTH } from "../jwks/jwk";
import { asciiLowerChar } from "../encoding/ascii";

export class HeaderCheck {
  constructor(
    public error: JwtError,
    /** The Alg when error is Ok (or AlgNotAllowed/AlgUnavailable), else -1. */
    public alg: i32 = -1,
    public kid: string | null = null,
  ) {}
}

/**
 * Checks a decoded protected header. `allowed` is the provider's Alg bit mask; `typs` the accepted
 * `typ` values (empty: any string or absent).
 */
export function checkHeader(header: JsonValue, allowed: u32, requireKid: bool, typs: Array<string>): HeaderCheck {
  const algValue = header.get("alg");
  if (algValue == null || algValue.kind != JsonKind.String) return new HeaderCheck(JwtError.AlgMissing, -1, null);
  const alg = algFromName(algValue.text);
  if (alg == ALG_NONE) return new HeaderCheck(JwtError.AlgNone, -1, null);
  if (alg == ALG_UNKNOWN) return new HeaderCheck(JwtError.AlgUnknown, -1, null);
  if ((allowed & algBit(<Alg>alg)) == 0) return new HeaderCheck(JwtError.AlgNotAllowed, alg, null);
  if (!algCompiled(<Alg>alg)) return new HeaderCheck(JwtError.AlgUnavailable, alg, null);

  // We implement no extension, so every `crit` (RFC 7515 §4.1.11), and an unencoded payload
  // (RFC 7797 `b64: false`, which must be listed in crit anyway), is refused.
  if (header.has("crit")) return new HeaderCheck(JwtError.CritUnsupported, alg, null);
  const b64 = header.get("b64");
  if (b64 != null && !(b64.kind == JsonKind.Bool && b64.flag))
    return new HeaderCheck(JwtError.CritUnsupported, alg, null);

  let kid: string | null = null;
  const kidValue = header.get("kid");
  if (kidValue != null) {
    if (kidValue.kind != JsonKind.String || kidValue.text.length > MAX_KID_LENGTH)
      return new HeaderCheck(JwtError.KidInvalid, alg, null);
    kid = kidValue.text;
  } else if (requireKid) {
    return new HeaderCheck(JwtError.KidRequired, alg, null);
  }

  const typValue = header.get("typ");
  if (typValue != null && typValue.kind != JsonKind.String) return new HeaderCheck(JwtError.TypInvalid, alg, kid);
  if (typs.length > 0) {
    if (typValue == null || !typAccepted(typValue.text, typs)) return new HeaderCheck(JwtError.TypInvalid, alg, kid);
  }
  return new HeaderCheck(JwtError.Ok, alg, kid);
}

/**
 * `typ` is a media type compared case-insensitively, and "application/" may be left out
 * (RFC 7515 §4.1.9), so "JWT", "jwt" and "application/jwt" are the same. ASCII folding only:
 * String#toLowerCase would link the Unicode case tables (~8 KB) for no benefit here.
 */
export function typAccepted(typ: string, typs: Array<string>): bool {
  const t = skipApplication(typ);
  for (let i = 0; i < typs.length; i++) {
    const want = unchecked(typs[i]);
    if (asciiEqualFold(typ, t, want, skipApplication(want))) return true;
  }
  return false;
}

/** Index after a leading "application/" (any case), else 0. */
function skipApplication(t: string): i32 {
  const prefix = "application/";
  const n = prefix.length;
  if (t.length < n) return 0;
  for (let i = 0; i < n; i++) {
    if (asciiLowerChar(t.charCodeAt(i)) != prefix.charCodeAt(i)) return 0;
  }
  return n;
}

function asciiEqualFold(a: string, aFrom: i32, b: string, bFrom: i32): bool {
  const n = a.length - aFrom;
  if (n != b.length - bFrom) return false;
  for (let i = 0; i < n; i++) {
    if (asciiLowerChar(a.charCodeAt(aFrom + i)) != asciiLowerChar(b.charCodeAt(bFrom + i))) return false;
  }
  return true;
}
