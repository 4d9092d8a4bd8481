// SPDX-License-Identifier: Apache-2.0
// String pieces of the JSON reader: ASCII fast path with interning, the strict escape/UTF-8 decoder.

import { JsonError } from "./json_error";

// UTF-16 scratch for strings that need decoding (escapes or non-ASCII); grows, never shrinks.
let scratch = new StaticArray<u16>(256);

// @ts-ignore: decorator
@inline function hexValue(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const lower = c | 0x20;
  if (lower - 0x61 < 6) return <i32>(lower - 0x61 + 10);
  return -1;
}

/** A string from `len` ASCII bytes (already validated): widen each byte to a UTF-16 unit. */
export function asciiString(src: usize, len: i32): string {
  if (len == 0) return "";
  const out = changetype<string>(__new((<usize>len) << 1, idof<string>()));
  const dst = changetype<usize>(out);
  let i = 0;
  // Four bytes at a time: spread a u32 of bytes into a u64 of UTF-16 units.
  for (; i + 4 <= len; i += 4) {
    const w = <u64>load<u32>(src + <usize>i);
    const spread = (w & 0xff) | ((w & 0xff00) << 8) | ((w & 0xff0000) << 16) | ((w & 0xff000000) << 24);
    store<u64>(dst + ((<usize>i) << 1), spread);
  }
  for (; i < len; i++) store<u16>(dst + ((<usize>i) << 1), load<u8>(src + <usize>i));
  return out;
}

// Short ASCII strings are interned: the same member names ("iss", "exp", "kid"…) and often the
// same values (issuer, audience) come back in every token, and reusing the string saves an
// allocation each time, which is most of what the reader costs. A direct-mapped cache: a miss
// just replaces the slot, so it holds at most INTERN_SLOTS strings of at most INTERN_MAX_LENGTH.
const INTERN_SLOTS: u32 = 512;
const INTERN_MAX_LENGTH: i32 = 48;
const internTable = new StaticArray<string | null>(<i32>INTERN_SLOTS);

export function internAscii(src: usize, len: i32): string {
  if (len > INTERN_MAX_LENGTH) return asciiString(src, len);
  let h: u32 = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < len; i++) h = (h ^ (<u32>load<u8>(src + <usize>i))) * 0x01000193;
  const slot = <i32>((h ^ (h >> 16)) & (INTERN_SLOTS - 1));
  const cached = unchecked(internTable[slot]);
  if (cached != null && cached.length == len) {
    const chars = changetype<usize>(cached);
    let same = true;
    for (let i = 0; i < len; i++) {
      if (<u32>load<u16>(chars + ((<usize>i) << 1)) != <u32>load<u8>(src + <usize>i)) {
        same = false;
        break;
      }
    }
    if (same) return cached;
  }
  const fresh = asciiString(src, len);
  unchecked((internTable[slot] = fresh));
  return fresh;
}

/** One of 64 bits chosen by a name's length and first and last UTF-16 units (a 1-hash Bloom filter). */
// @ts-ignore: decorator
@inline export function nameBit(name: string): u64 {
  const n = name.length;
  const p = changetype<usize>(name);
  let h = <u32>n * 0x9e3779b1;
  if (n > 0) h ^= ((<u32>load<u16>(p)) << 7) ^ (<u32>load<u16>(p + ((<usize>(n - 1)) << 1)) * 0x85ebca6b);
  return (<u64>1) << <u64>((h ^ (h >> 15)) & 63);
}

// Loops here leave through `return`, never `break`: AS 0.28.20 compiled a `break` out of
// `for (;;)` in this code into a fall-through `unreachable` (seen as a trap on `[1]`).

/** Where the last decodeEscapedString stopped: past the closing quote, or at the error. */
export let stringErrorAt: usize = 0;
/** Why the last decodeEscapedString returned null. */
export let stringError: JsonError = JsonError.None;

function failString(p: usize, e: JsonError): string | null {
  stringErrorAt = p;
  stringError = e;
  return null;
}

/**
 * Decodes a JSON string body starting at `begin` (just after the opening quote) up to its closing
 * quote, handling escapes, surrogate pairs and multi-byte UTF-8 strictly. Null on error, with
 * stringError/stringErrorAt set; on success stringErrorAt is just past the closing quote.
 */
export function decodeEscapedString(begin: usize, end: usize): string | null {
  let p = begin;
  let n = 0; // UTF-16 units written to scratch
  for (;;) {
    if (p >= end) {
      return failString(p, JsonError.UnexpectedEnd);
    }
    // Room for a surrogate pair at least.
    if (n + 2 > scratch.length) {
      const bigger = new StaticArray<u16>(scratch.length << 1);
      memory.copy(changetype<usize>(bigger), changetype<usize>(scratch), (<usize>n) << 1);
      scratch = bigger;
    }
    const c = <u32>load<u8>(p);
    if (c == 0x22) {
      stringErrorAt = p + 1;
      stringError = JsonError.None;
      return String.UTF16.decodeUnsafe(changetype<usize>(scratch), (<usize>n) << 1);
    }
    if (c < 0x20) {
      return failString(p, JsonError.ControlCharacter);
    }
    // Each branch leaves the code point in `cp` and moves `p` past it; it is written once, below.
    let cp: u32 = c;
    if (c == 0x5c) {
      if (p + 1 >= end) {
        return failString(p, JsonError.UnexpectedEnd);
      }
      const e = <u32>load<u8>(p + 1);
      p += 2;
      if (e == 0x62) cp = 0x08;
      else if (e == 0x66) cp = 0x0c;
      else if (e == 0x6e) cp = 0x0a;
      else if (e == 0x72) cp = 0x0d;
      else if (e == 0x74) cp = 0x09;
      else if (e == 0x22 || e == 0x5c || e == 0x2f) cp = e;
      else if (e != 0x75) {
        return failString(p - 2, JsonError.InvalidEscape);
      } else {
        const at = p - 2;
        const unit = hex4(p, end);
        if (unit < 0) return null;
        p += 4;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          return failString(at, JsonError.LoneSurrogate);
        }
        cp = <u32>unit;
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // Must be followed at once by an escaped low surrogate.
          if (at + 12 > end || load<u8>(p) != 0x5c || load<u8>(p + 1) != 0x75) {
            return failString(at, JsonError.LoneSurrogate);
          }
          const low = hex4(p + 2, end);
          if (low < 0) return null;
          if (low < 0xdc00 || low > 0xdfff) {
            return failString(at, JsonError.LoneSurrogate);
          }
          cp = 0x10000 + ((<u32>(unit - 0xd800)) << 10) + <u32>(low - 0xdc00);
          p += 6;
        }
      }
    } else if (c < 0x80) {
      p++;
    } else {
      // Multi-byte UTF-8 (RFC 3629 table): no overlongs, no encoded surrogates, ≤ U+10FFFF.
      let need = 0;
      let lo: u32 = 0x80;
      let hi: u32 = 0xbf;
      if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        cp = c & 0x1f;
      } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        cp = c & 0x0f;
        if (c == 0xe0) lo = 0xa0;
        else if (c == 0xed) hi = 0x9f;
      } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xf0) lo = 0x90;
        else if (c == 0xf4) hi = 0x8f;
      } else {
        return failString(p, JsonError.InvalidUtf8);
      }
      if (p + <usize>need >= end) {
        return failString(p, JsonError.InvalidUtf8);
      }
      for (let k = 1; k <= need; k++) {
        const b = <u32>load<u8>(p + <usize>k);
        if (b < lo || b > hi) {
          return failString(p, JsonError.InvalidUtf8);
        }
        lo = 0x80;
        hi = 0xbf;
        cp = (cp << 6) | (b & 0x3f);
      }
      p += <usize>(need + 1);
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unchecked((scratch[n++] = <u16>(0xd800 | (cp >> 10))));
      unchecked((scratch[n++] = <u16>(0xdc00 | (cp & 0x3ff))));
    } else {
      unchecked((scratch[n++] = <u16>cp));
    }
  }
  return null; // not reached: the loop only exits by return
}

/** Four hex digits at `p` as a UTF-16 unit, or -1 (error recorded). */
function hex4(p: usize, end: usize): i32 {
  if (p + 4 > end) {
    failString(p, JsonError.InvalidEscape);
    return -1;
  }
  let v = 0;
  for (let k: usize = 0; k < 4; k++) {
    const h = hexValue(<u32>load<u8>(p + k));
    if (h < 0) {
      failString(p, JsonError.InvalidEscape);
      return -1;
    }
    v = (v << 4) | h;
  }
  return v;
}
