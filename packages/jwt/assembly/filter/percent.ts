// SPDX-License-Identifier: Apache-2.0
// Percent-decoding of query parameter and cookie names and values, as the upstream's parser does
// (WHATWG URLSearchParams for queries, decodeURIComponent-style for cookies), so that the filter
// reads the same name and value an upstream reads.
import { hexValue } from "../jose/encoding/uri";

/**
 * `s` with each `%XX` replaced by the byte XX, as one character per byte (bytes of 0x80 and above
 * stay distinct characters, so two different inputs never decode to the same text); a `%` not
 * followed by two hex digits is kept as it is (URLSearchParams does the same). With `plusIsSpace`
 * (application/x-www-form-urlencoded), `+` is a space.
 */
export function percentDecode(s: string, plusIsSpace: bool): string {
  if (!s.includes("%") && !(plusIsSpace && s.includes("+"))) return s;
  const out = new Array<i32>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x25 && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hi >= 0 ? hexValue(s.charCodeAt(i + 2)) : -1;
      if (lo >= 0) {
        out.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    out.push(plusIsSpace && c == 0x2b ? 0x20 : c);
  }
  return String.fromCharCodes(out);
}
