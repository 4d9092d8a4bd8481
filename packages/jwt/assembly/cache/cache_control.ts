// SPDX-License-Identifier: Apache-2.0
// Lifetime of a fetched JWKS: `Cache-Control: max-age` clamped to configured bounds, else a fallback.
import { asciiLowerCase } from "../jose/encoding/ascii";

/** Seconds of `max-age` (or `s-maxage`, which wins for a shared cache like a proxy); -1 if absent or bad. */
export function maxAgeSeconds(cacheControl: string | null): i64 {
  if (cacheControl === null) return -1;
  const text = asciiLowerCase(cacheControl);
  let found: i64 = -1;
  let shared: i64 = -1;
  const parts = text.split(",");
  for (let i = 0; i < parts.length; i++) {
    const part = trimAsciiSpace(unchecked(parts[i]));
    if (part == "no-store" || part == "no-cache") return 0;
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = trimAsciiSpace(part.substring(0, eq));
    let value = trimAsciiSpace(part.substring(eq + 1));
    if (value.length >= 2 && value.charCodeAt(0) == 0x22 && value.charCodeAt(value.length - 1) == 0x22) {
      value = value.substring(1, value.length - 1);
    }
    const n = decimalSeconds(value);
    if (n < 0) continue;
    if (name == "max-age") found = n;
    else if (name == "s-maxage") shared = n;
  }
  return shared >= 0 ? shared : found;
}

/**
 * `s` without leading and trailing ASCII whitespace (tab, LF, VT, FF, CR, space): a header's own
 * whitespace. Local instead of String#trim, whose Unicode-space table this module otherwise never
 * compiles (~250 bytes with isSpace).
 */
function trimAsciiSpace(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isAsciiSpace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiSpace(s.charCodeAt(end - 1))) end--;
  return s.substring(start, end);
}

@inline function isAsciiSpace(c: i32): bool {
  return c == 0x20 || <u32>(c - 0x09) <= 4;
}

/** Decimal digits only (at most 12 of them); -1 otherwise. */
function decimalSeconds(text: string): i64 {
  const n = text.length;
  if (n == 0 || n > 12) return -1;
  let v: i64 = 0;
  for (let i = 0; i < n; i++) {
    const d = <i32>text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The lifetime to use, in milliseconds: max-age clamped to [min, max], or the fallback. */
export function jwksLifetimeMs(
  cacheControl: string | null,
  minSeconds: i64,
  maxSeconds: i64,
  fallbackSeconds: i64,
): i64 {
  let s = maxAgeSeconds(cacheControl);
  if (s < 0) s = fallbackSeconds;
  if (s < minSeconds) s = minSeconds;
  if (s > maxSeconds) s = maxSeconds;
  return s * 1000;
}
