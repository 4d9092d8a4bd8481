// SPDX-License-Identifier: Apache-2.0
// Strict base64url (RFC 4648 §5 as RFC 7515 §2 uses it): one spelling per byte string, no traps.
//
// Why not `as-base64`: its decoder accepts characters outside the alphabet, maps `-`/`_` to 0 and
// traps on unpadded input (toolchain.md §3), so it must never see a token. Its encoder would be
// correct but pads and uses `+`/`/`, so it is not used either; this file is the whole codec.
//
// Strictness matters for more than hygiene: a lenient decoder lets many strings decode to the
// same bytes, which breaks caches keyed on the token text and lets two parsers disagree.

/** Why a base64url input was refused. Stable values: they appear in test expectations. */
export const enum Base64Error {
  None = 0,
  /** Length ≡ 1 (mod 4): no byte string encodes to that many characters. */
  InvalidLength = 1,
  /** A character outside `A–Z a–z 0–9 - _` (including `+`, `/`, whitespace, non-ASCII). */
  InvalidCharacter = 2,
  /** `=` padding: base64url in JOSE is written without it. */
  Padding = 3,
  /** The last character carries non-zero bits that no byte uses (a second spelling). */
  NonCanonical = 4,
}

/** Decoded bytes or the reason they could not be decoded; `bytes` is null exactly when `error != None`. */
export class Base64UrlResult {
  constructor(
    public bytes: Uint8Array | null,
    public error: Base64Error,
    /** Index of the offending character (or the input length for length errors). */
    public offset: i32,
  ) {}
  get ok(): bool {
    return this.error == Base64Error.None;
  }
}

// ASCII → 6-bit value; 0xff = not in the alphabet, 0xfe = '='. Only bytes < 128 are looked up.
// prettier-ignore
const DECODE_TABLE: usize = memory.data<u8>([
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3e, 0xff, 0xff,
  0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff,
  0xff, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
  0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0xff, 0xff, 0xff, 0xff, 0x3f,
  0xff, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0xff, 0xff, 0xff, 0xff, 0xff,
]);

const ENCODE_TABLE: usize = memory.data<u8>([
  65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 97, 98, 99,
  100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 48,
  49, 50, 51, 52, 53, 54, 55, 56, 57, 45, 95,
]);

/** Offset of the last error reported by `base64UrlDecodeUnsafe` (diagnostics only). */
export let lastErrorOffset: i32 = 0;

/** Number of bytes `len` base64url characters decode to, or -1 when `len` ≡ 1 (mod 4). */
// @ts-ignore: decorator
@inline export function base64UrlDecodedLength(len: i32): i32 {
  const rem = len & 3;
  if (rem == 1 || len < 0) return -1;
  return (len >> 2) * 3 + (rem == 0 ? 0 : rem - 1);
}

// @ts-ignore: decorator
@inline function sextet(c: u32): u32 {
  // Bytes >= 128 index past the table, so they are mapped to "invalid" before the load.
  return c < 128 ? <u32>load<u8>(DECODE_TABLE + c) : 0xff;
}

/**
 * Decodes `len` ASCII bytes at `src` into `dst` (room for `base64UrlDecodedLength(len)` bytes).
 * Returns the error; when not None, `lastErrorOffset` holds the offending index.
 * The caller guarantees both ranges are valid; every byte value of the input is handled.
 */
export function base64UrlDecodeUnsafe(src: usize, len: i32, dst: usize): Base64Error {
  if (base64UrlDecodedLength(len) < 0) {
    // A bad character explains more than a bad length, so report it first.
    const e = badCharacter(src, 0, len);
    if (e != Base64Error.None) return e;
    lastErrorOffset = len;
    return Base64Error.InvalidLength;
  }
  const full = len & ~3;
  let i = 0;
  let o = dst;
  for (; i < full; i += 4) {
    const a = sextet(<u32>load<u8>(src + <usize>i));
    const b = sextet(<u32>load<u8>(src + <usize>i, 1));
    const c = sextet(<u32>load<u8>(src + <usize>i, 2));
    const d = sextet(<u32>load<u8>(src + <usize>i, 3));
    if ((a | b | c | d) & 0xc0) return badCharacter(src, i, len);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    store<u8>(o, <u8>(v >> 16));
    store<u8>(o, <u8>(v >> 8), 1);
    store<u8>(o, <u8>v, 2);
    o += 3;
  }
  // The last 2 or 3 characters (12 or 18 bits: 1 or 2 bytes and 4 or 2 spare bits, which must be 0).
  const rem = len - full;
  if (rem == 0) return Base64Error.None;
  let acc: u32 = 0;
  for (; i < len; i++) {
    const s = sextet(<u32>load<u8>(src + <usize>i));
    if (s & 0xc0) return badCharacter(src, i, len);
    acc = (acc << 6) | s;
  }
  const spare = rem == 2 ? 4 : 2;
  if (acc & ((1 << spare) - 1)) {
    lastErrorOffset = len - 1;
    return Base64Error.NonCanonical;
  }
  acc >>= spare;
  if (rem == 3) store<u8>(o++, <u8>(acc >> 8));
  store<u8>(o, <u8>acc);
  return Base64Error.None;
}

/** Finds the first bad character at or after `from` and classifies it (padding or other); None if all are valid. */
function badCharacter(src: usize, from: i32, len: i32): Base64Error {
  for (let i = from; i < len; i++) {
    const s = sextet(<u32>load<u8>(src + <usize>i));
    if (s & 0xc0) {
      lastErrorOffset = i;
      return s == 0xfe ? Base64Error.Padding : Base64Error.InvalidCharacter;
    }
  }
  return Base64Error.None;
}

/** Decodes bytes `[start, end)` of `src` (ASCII base64url). Out-of-range bounds give InvalidLength. */
export function base64UrlDecodeRange(src: Uint8Array, start: i32, end: i32): Base64UrlResult {
  if (start < 0 || end < start || end > src.length) return new Base64UrlResult(null, Base64Error.InvalidLength, 0);
  const len = end - start;
  // A bad length still goes through the decoder, which reports a bad character first if any.
  const out = new Uint8Array(max(base64UrlDecodedLength(len), 0));
  const err = base64UrlDecodeUnsafe(src.dataStart + <usize>start, len, out.dataStart);
  if (err != Base64Error.None) return new Base64UrlResult(null, err, lastErrorOffset);
  return new Base64UrlResult(out, Base64Error.None, 0);
}

/** Decodes base64url bytes (ASCII). */
export function base64UrlDecodeBytes(src: Uint8Array): Base64UrlResult {
  return base64UrlDecodeRange(src, 0, src.length);
}

/** Decodes a base64url string. Any UTF-16 unit outside ASCII is an InvalidCharacter. */
export function base64UrlDecode(text: string): Base64UrlResult {
  const len = text.length;
  const ascii = new Uint8Array(len);
  const from = changetype<usize>(text);
  const to = ascii.dataStart;
  for (let i = 0; i < len; i++) {
    const c = <u32>load<u16>(from + ((<usize>i) << 1));
    // Non-ASCII becomes 0x80, which the decoder classifies as InvalidCharacter at the same index.
    store<u8>(to + <usize>i, <u8>(c < 128 ? c : 0x80));
  }
  return base64UrlDecodeBytes(ascii);
}

/** Length of the unpadded base64url encoding of `n` bytes. */
// @ts-ignore: decorator
@inline export function base64UrlEncodedLength(n: i32): i32 {
  const rem = n % 3;
  return (n / 3) * 4 + (rem == 0 ? 0 : rem + 1);
}

/** Encodes `len` bytes at `src` as unpadded base64url ASCII at `dst`. */
export function base64UrlEncodeUnsafe(src: usize, len: i32, dst: usize): void {
  let i = 0;
  let o = dst;
  for (; i + 3 <= len; i += 3) {
    const v =
      ((<u32>load<u8>(src + <usize>i)) << 16) |
      ((<u32>load<u8>(src + <usize>i, 1)) << 8) |
      (<u32>load<u8>(src + <usize>i, 2));
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v >> 18) & 63)));
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v >> 12) & 63)), 1);
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v >> 6) & 63)), 2);
    store<u8>(o, load<u8>(ENCODE_TABLE + (v & 63)), 3);
    o += 4;
  }
  const rem = len - i;
  if (rem == 1) {
    const v = <u32>load<u8>(src + <usize>i);
    store<u8>(o, load<u8>(ENCODE_TABLE + (v >> 2)));
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v << 4) & 63)), 1);
  } else if (rem == 2) {
    const v = ((<u32>load<u8>(src + <usize>i)) << 8) | (<u32>load<u8>(src + <usize>i, 1));
    store<u8>(o, load<u8>(ENCODE_TABLE + (v >> 10)));
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v >> 4) & 63)), 1);
    store<u8>(o, load<u8>(ENCODE_TABLE + ((v << 2) & 63)), 2);
  }
}

/** Encodes bytes as unpadded base64url ASCII bytes. */
export function base64UrlEncodeBytes(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(base64UrlEncodedLength(data.length));
  base64UrlEncodeUnsafe(data.dataStart, data.length, out.dataStart);
  return out;
}

/** Encodes bytes as an unpadded base64url string (e.g. for a forwarded payload header). */
export function base64UrlEncode(data: Uint8Array): string {
  const ascii = base64UrlEncodeBytes(data);
  return String.UTF8.decodeUnsafe(ascii.dataStart, ascii.length);
}
