// SPDX-License-Identifier: Apache-2.0
// Header syntax, one rule for every filter: which names a filter may set, which values it may send
// (RFC 9110 §5.1, §5.5, §5.6.2), checked when a configuration is read, not on the first request.
//
// Names a filter sets are held to a stricter rule than the RFC's token: letters, digits, `-`, `_`
// and `.`, at most 256 characters. Envoy accepts any token, but upstreams do not read the other
// token characters alike: CGI-style servers (WSGI, PHP, Rack) turn every character outside
// letters and digits into `_`, and nginx and Apache drop such names by default. A header a filter
// writes for its upstream (a verified claim, say) must be the header the upstream reads, and a
// client's copy must be recognisable under every spelling the upstream folds together; with only
// `-`, `_` and `.` beside letters and digits that stays a short, known list. Names that are only
// looked up (a matcher's condition) and methods keep the RFC's token rule.

/** True for an RFC 9110 `tchar`: ALPHA / DIGIT / one of !#$%&'*+-.^_`|~ */
// @ts-ignore: decorator
@inline function isTokenChar(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  switch (c) {
    case 0x21:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x2a:
    case 0x2b:
    case 0x2d:
    case 0x2e:
    case 0x5e:
    case 0x5f:
    case 0x60:
    case 0x7c:
    case 0x7e:
      return true;
  }
  return false;
}

/** True if `text` is an RFC 9110 token (a method, or a header name that is only looked up). */
export function isToken(text: string): bool {
  let n = text.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    if (!isTokenChar(<i32>text.charCodeAt(i))) return false;
  }
  return true;
}

/** Longest header name a filter may set; real names are far shorter. */
export const MAX_HEADER_NAME_LENGTH: i32 = 256;

/**
 * True if a filter may set a header named `name`: 1 to 256 letters, digits, `-`, `_` or `.` (see
 * the top of this file for why that is stricter than a token). Pseudo-headers (":path") are not
 * such names. Case does not matter: the SDK lower-cases names, as Envoy stores them.
 */
export function isHeaderName(name: string): bool {
  let n = name.length;
  if (n == 0 || n > MAX_HEADER_NAME_LENGTH) return false;
  for (let i = 0; i < n; i++) {
    let c = <i32>name.charCodeAt(i);
    let ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c == 0x2d ||
      c == 0x5f ||
      c == 0x2e;
    if (!ok) return false;
  }
  return true;
}

/** What isHeaderName accepts, in words that complete "<field>: ..." of a configuration error. */
export const HEADER_NAME_RULE = "must be a header name of 1 to 256 letters, digits, -, _ or . (no pseudo-header)";

/**
 * True if `value` may be sent as a header value: no control character but horizontal tab, and no
 * DEL. Stricter than Envoy, which refuses only NUL, CR and LF: those split or cut the header
 * block, and the other controls are refused or mangled by some upstream parsers.
 */
export function isHeaderValue(value: string): bool {
  for (let i = 0, n = value.length; i < n; i++) {
    let c = <i32>value.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}

/**
 * True for the headers Envoy computes itself for a local reply (content-length, transfer-encoding,
 * connection): a filter that supplied them would send a second, possibly contradicting, copy
 * (Envoy adds reply headers, it does not replace them).
 */
export function isHeaderSetByEnvoy(name: string): bool {
  return (
    equalsAsciiIgnoreCase(name, "content-length") ||
    equalsAsciiIgnoreCase(name, "transfer-encoding") ||
    equalsAsciiIgnoreCase(name, "connection")
  );
}

/**
 * `text` equals the lower-case ASCII `lower`, ignoring ASCII case. Not String#toLowerCase, which
 * pulls Unicode case tables (kilobytes) into every filter.
 */
function equalsAsciiIgnoreCase(text: string, lower: string): bool {
  let n = text.length;
  if (n != lower.length) return false;
  for (let i = 0; i < n; i++) {
    let c = <i32>text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c != <i32>lower.charCodeAt(i)) return false;
  }
  return true;
}
