// SPDX-License-Identifier: Apache-2.0
// Header name and value syntax (RFC 9110 §5.1, §5.5), checked before a header is put in a reply.
//
// Envoy refuses to forward some malformed headers and silently mangles others; a rule that names a
// bad header should fail when the configuration is loaded, not on the first matching request.

/** True for an RFC 9110 `tchar`: ALPHA / DIGIT / one of !#$%&'*+-.^_`|~ */
// @ts-ignore: decorator
@inline function isTokenChar(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  switch (c) {
    case 0x21: case 0x23: case 0x24: case 0x25: case 0x26: case 0x27: case 0x2a: case 0x2b:
    case 0x2d: case 0x2e: case 0x5e: case 0x5f: case 0x60: case 0x7c: case 0x7e:
      return true;
  }
  return false;
}

/**
 * True if `name` is a header field name: a non-empty token. Pseudo-headers (":status") are not
 * names a reply may set; upper-case letters are fine (the SDK lower-cases names as Envoy does).
 */
export function isValidHeaderName(name: string): bool {
  let n = name.length;
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    if (!isTokenChar(<i32>name.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * True if `value` can be sent as a header value: no control characters other than horizontal tab
 * (CR, LF and NUL would split or truncate the header), and no DEL.
 */
export function isValidHeaderValue(value: string): bool {
  for (let i = 0, n = value.length; i < n; i++) {
    let c = <i32>value.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}

/**
 * True for headers Envoy computes for a local reply itself: supplying them would send a second,
 * possibly contradicting, copy (Envoy adds reply headers, it does not replace).
 */
export function isHeaderSetByEnvoy(name: string): bool {
  return equalsAsciiIgnoreCase(name, "content-length") || equalsAsciiIgnoreCase(name, "transfer-encoding") ||
    equalsAsciiIgnoreCase(name, "connection");
}

/**
 * `text` equals the lower-case ASCII `lower`, ignoring ASCII case. Used instead of
 * String#toLowerCase, which pulls Unicode case tables (kilobytes) into every filter.
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
