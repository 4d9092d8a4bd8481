// SPDX-License-Identifier: Apache-2.0
// RFC 3986 pieces that both the DPoP `htu` comparison (jose/dpop/htu.ts) and the filter's request
// path normalisation (filter/path.ts, filter/percent.ts) need: one definition, so the two readings
// of a URI path cannot drift apart.

/** The value of one hex digit (either case), or -1. */
export function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Upper-case hex digits, for re-encoding an escape in the normal form of RFC 3986 §6.2.2.1. */
export const HEX_UPPER = "0123456789ABCDEF";

/**
 * `%` and the upper-case hex digits `hi` and `lo` (0..15): an escape in its normal form. The two
 * digits are made by String.fromCharCode's two-unit form (it stores both units as given), so no
 * String#charAt is compiled for this.
 */
export function percentEscape(hi: i32, lo: i32): string {
  return "%" + String.fromCharCode(HEX_UPPER.charCodeAt(hi), HEX_UPPER.charCodeAt(lo));
}

/** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
export function isUnreserved(c: i32): bool {
  return (
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x30 && c <= 0x39) ||
    c == 0x2d ||
    c == 0x2e ||
    c == 0x5f ||
    c == 0x7e
  );
}

/** RFC 3986 §5.2.4 for an absolute path (starts with `/`): "." segments dropped, ".." removes the segment before it. */
export function removeDotSegments(path: string): string {
  if (!path.includes(".")) return path;
  const input = path.split("/");
  const out = new Array<string>();
  // input[0] is the empty string before the leading slash.
  for (let i = 1; i < input.length; i++) {
    const s = unchecked(input[i]);
    const last = i == input.length - 1;
    if (s == ".") {
      if (last) out.push("");
    } else if (s == "..") {
      if (out.length > 0) out.pop();
      if (last) out.push("");
    } else out.push(s);
  }
  return "/" + out.join("/");
}
