// SPDX-License-Identifier: Apache-2.0
// Protected-header policy (RFC 7515 §4.1, RFC 8725 §3.1/§3.10): alg from the provider's
// allow-list only, `none` refused, any `crit` refused, kid/typ type-checked, and the key-bearing
// members `jku`/`x5u`/`jwk`/`x5c` ignored entirely: keys come only from the configured key set.

import { JsonKind, JsonValue } from "@getwild/json/assembly";
import { JwtError } from "./errors";
import { Alg, ALG_NONE, ALG_UNKNOWN, algFromName, algBit, algCompiled } from "./algorithms";
import { MAX_KID_LENGTH } from "../jwks/jwk";
import { asciiLowerChar } from "../encoding/ascii";

/** What the header check found. JwsVerifyResult extends it, so verifyJws fills its own result. */
export class HeaderCheck {
  error: JwtError = JwtError.Ok;
  /** The Alg when error is Ok (or AlgNotAllowed/AlgUnavailable), else -1. */
  alg: i32 = -1;
  kid: string | null = null;
}

/**
 * Checks a decoded protected header. `allowed` is the provider's Alg bit mask; `typs` the accepted
 * `typ` values (empty: any string or absent).
 */
export function checkHeader(header: JsonValue, allowed: u32, requireKid: bool, typs: Array<string>): HeaderCheck {
  const h = new HeaderCheck();
  h.error = checkHeaderInto(h, header, allowed, requireKid, typs);
  return h;
}

/** checkHeader writing `alg` and `kid` into `h` (as checkHeader sets them); returns the error, which it does not write. */
export function checkHeaderInto(
  h: HeaderCheck,
  header: JsonValue,
  allowed: u32,
  requireKid: bool,
  typs: Array<string>,
): JwtError {
  h.alg = -1;
  h.kid = null;
  const algValue = header.get("alg");
  if (algValue == null || algValue.kind != JsonKind.String) return JwtError.AlgMissing;
  const alg = algFromName(algValue.text);
  if (alg == ALG_NONE) return JwtError.AlgNone;
  if (alg == ALG_UNKNOWN) return JwtError.AlgUnknown;
  h.alg = alg;
  if ((allowed & algBit(<Alg>alg)) == 0) return JwtError.AlgNotAllowed;
  if (!algCompiled(<Alg>alg)) return JwtError.AlgUnavailable;

  // We implement no extension, so every `crit` (RFC 7515 §4.1.11), and an unencoded payload
  // (RFC 7797 `b64: false`, which must be listed in crit anyway), is refused.
  if (header.has("crit")) return JwtError.CritUnsupported;
  const b64 = header.get("b64");
  if (b64 != null && !(b64.kind == JsonKind.Bool && b64.flag)) return JwtError.CritUnsupported;

  const kidValue = header.get("kid");
  if (kidValue != null) {
    if (kidValue.kind != JsonKind.String || kidValue.text.length > MAX_KID_LENGTH) return JwtError.KidInvalid;
    h.kid = kidValue.text;
  } else if (requireKid) {
    return JwtError.KidRequired;
  }

  const typValue = header.get("typ");
  if (typValue != null && typValue.kind != JsonKind.String) return JwtError.TypInvalid;
  if (typs.length > 0) {
    if (typValue == null || !typAccepted(typValue.text, typs)) return JwtError.TypInvalid;
  }
  return JwtError.Ok;
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
