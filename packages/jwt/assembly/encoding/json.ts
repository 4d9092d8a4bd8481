// SPDX-License-Identifier: Apache-2.0
// Strict, bounded JSON reader (RFC 8259) for token headers, claims and JWKS: never traps.
//
// Strict where lenient parsers differ from each other, because a proxy that reads a token
// differently from the backend behind it is an attack surface: duplicate member names, invalid
// UTF-8, lone surrogates, bad escapes, raw control characters, leading zeros, trailing commas
// and trailing data are all errors. Bounded so a hostile input costs little: total bytes, nesting
// depth (recursion is capped, so the wasm stack cannot overflow) and number of values.

import { JsonValue } from "./json_value";

export { JsonKind, JsonValue } from "./json_value";

/** Why a JSON text was refused. Stable values. */
export const enum JsonError {
  None = 0,
  TooLarge = 1,
  TooDeep = 2,
  TooManyValues = 3,
  UnexpectedEnd = 4,
  UnexpectedCharacter = 5,
  InvalidNumber = 6,
  InvalidEscape = 7,
  LoneSurrogate = 8,
  InvalidUtf8 = 9,
  ControlCharacter = 10,
  DuplicateKey = 11,
  TrailingData = 12,
}

// @ts-ignore: decorator
@lazy const JSON_ERROR_MESSAGES: StaticArray<string> = [
  "ok",
  "JSON text is larger than allowed",
  "JSON nesting is deeper than allowed",
  "JSON text has more values than allowed",
  "JSON text ends early",
  "unexpected character in JSON text",
  "invalid JSON number",
  "invalid escape in JSON string",
  "lone UTF-16 surrogate escape in JSON string",
  "invalid UTF-8 in JSON text",
  "raw control character in JSON string",
  "duplicate member name in JSON object",
  "data after the JSON value",
];

/** The message for a JsonError; never traps. */
export function jsonErrorMessage(e: JsonError): string {
  const i = <i32>e;
  return i >= 0 && i < JSON_ERROR_MESSAGES.length ? unchecked(JSON_ERROR_MESSAGES[i]) : "unknown JSON error";
}

/** Deepest nesting ever allowed, whatever the limits say: keeps recursion within the wasm stack. */
export const JSON_HARD_MAX_DEPTH: i32 = 64;

/** Caps applied while reading. */
export class JsonLimits {
  constructor(
    public maxBytes: i32 = 16384,
    public maxDepth: i32 = 16,
    public maxValues: i32 = 4096,
  ) {}
}

/** The parsed value, or the error and the byte offset where it was found. */
export class JsonResult {
  constructor(
    public value: JsonValue | null,
    public error: JsonError,
    public offset: i32,
  ) {}
  get ok(): bool {
    return this.error == JsonError.None;
  }
}

// UTF-16 scratch for strings that need decoding (escapes or non-ASCII); grows, never shrinks.
let scratch = new StaticArray<u16>(256);

// @ts-ignore: decorator
@inline function isWhitespace(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

// @ts-ignore: decorator
@inline function hexValue(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const lower = c | 0x20;
  if (lower - 0x61 < 6) return <i32>(lower - 0x61 + 10);
  return -1;
}

/** A string from `len` ASCII bytes (already validated): widen each byte to a UTF-16 unit. */
function asciiString(src: usize, len: i32): string {
  if (len == 0) return "";
  const out = changetype<string>(__new(<usize>len << 1, idof<string>()));
  const dst = changetype<usize>(out);
  let i = 0;
  // Four bytes at a time: spread a u32 of bytes into a u64 of UTF-16 units.
  for (; i + 4 <= len; i += 4) {
    const w = <u64>load<u32>(src + <usize>i);
    const spread = (w & 0xff) | ((w & 0xff00) << 8) | ((w & 0xff0000) << 16) | ((w & 0xff000000) << 24);
    store<u64>(dst + (<usize>i << 1), spread);
  }
  for (; i < len; i++) store<u16>(dst + (<usize>i << 1), load<u8>(src + <usize>i));
  return out;
}

// Short ASCII strings are interned: the same member names ("iss", "exp", "kid"…) and often the
// same values (issuer, audience) come back in every token, and reusing the string saves an
// allocation each time, which is most of what the reader costs. A direct-mapped cache: a miss
// just replaces the slot, so it holds at most INTERN_SLOTS strings of at most INTERN_MAX_LENGTH.
const INTERN_SLOTS: u32 = 512;
const INTERN_MAX_LENGTH: i32 = 48;
const internTable = new StaticArray<string | null>(<i32>INTERN_SLOTS);

function internAscii(src: usize, len: i32): string {
  if (len > INTERN_MAX_LENGTH) return asciiString(src, len);
  let h: u32 = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < len; i++) h = (h ^ <u32>load<u8>(src + <usize>i)) * 0x01000193;
  const slot = <i32>((h ^ (h >> 16)) & (INTERN_SLOTS - 1));
  const cached = unchecked(internTable[slot]);
  if (cached != null && cached.length == len) {
    const chars = changetype<usize>(cached);
    let same = true;
    for (let i = 0; i < len; i++) {
      if (<u32>load<u16>(chars + (<usize>i << 1)) != <u32>load<u8>(src + <usize>i)) {
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
@inline function nameBit(name: string): u64 {
  const n = name.length;
  const p = changetype<usize>(name);
  let h = <u32>n * 0x9e3779b1;
  if (n > 0) h ^= (<u32>load<u16>(p) << 7) ^ (<u32>load<u16>(p + (<usize>(n - 1) << 1)) * 0x85ebca6b);
  return (<u64>1) << <u64>((h ^ (h >> 15)) & 63);
}

class Reader {
  pos: usize;
  error: JsonError = JsonError.None;
  depth: i32 = 0;
  values: i32 = 0;
  maxDepth: i32;
  constructor(public start: usize, public end: usize, limits: JsonLimits) {
    this.pos = start;
    this.maxDepth = min(limits.maxDepth, JSON_HARD_MAX_DEPTH);
    this.maxValues = limits.maxValues;
  }
  maxValues: i32;

  fail(e: JsonError): JsonValue | null {
    if (this.error == JsonError.None) this.error = e;
    return null;
  }

  skipWhitespace(): void {
    let p = this.pos;
    const end = this.end;
    while (p < end && isWhitespace(<u32>load<u8>(p))) p++;
    this.pos = p;
  }

  value(): JsonValue | null {
    if (++this.values > this.maxValues) return this.fail(JsonError.TooManyValues);
    if (this.pos >= this.end) return this.fail(JsonError.UnexpectedEnd);
    const c = <u32>load<u8>(this.pos);
    if (c == 0x22) {
      const s = this.string();
      return s == null ? null : JsonValue.string(s);
    }
    if (c == 0x7b) return this.object();
    if (c == 0x5b) return this.array();
    if (c == 0x74) return this.literal("true", JsonValue.bool(true));
    if (c == 0x66) return this.literal("false", JsonValue.bool(false));
    if (c == 0x6e) return this.literal("null", JsonValue.null());
    if (c == 0x2d || c - 0x30 < 10) return this.number();
    return this.fail(JsonError.UnexpectedCharacter);
  }

  literal(word: string, v: JsonValue): JsonValue | null {
    const n = <usize>word.length;
    for (let i: usize = 0; i < n; i++) {
      if (this.pos + i >= this.end) return this.fail(JsonError.UnexpectedEnd);
      if (<u32>load<u8>(this.pos + i) != <u32>word.charCodeAt(<i32>i)) {
        this.pos += i;
        return this.fail(JsonError.UnexpectedCharacter);
      }
    }
    this.pos += n;
    return v;
  }

  /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? ; keeps the exact text. */
  number(): JsonValue | null {
    const begin = this.pos;
    const end = this.end;
    let p = begin;
    if (load<u8>(p) == 0x2d) p++;
    if (p >= end) return this.failAt(p, JsonError.UnexpectedEnd);
    let c = <u32>load<u8>(p);
    if (c == 0x30) {
      p++;
    } else if (c - 0x31 < 9) {
      while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
    } else {
      return this.failAt(p, JsonError.InvalidNumber);
    }
    if (p < end && load<u8>(p) == 0x2e) {
      p++;
      const digits = p;
      while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
      if (p == digits) return this.failAt(p, p >= end ? JsonError.UnexpectedEnd : JsonError.InvalidNumber);
    }
    if (p < end && (load<u8>(p) | 0x20) == 0x65) {
      p++;
      if (p < end && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
      const digits = p;
      while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
      if (p == digits) return this.failAt(p, p >= end ? JsonError.UnexpectedEnd : JsonError.InvalidNumber);
    }
    // A digit right after "0" ("01") or a stray letter is caught by the caller as unexpected.
    if (p < end) {
      c = <u32>load<u8>(p);
      if (c - 0x30 < 10) return this.failAt(p, JsonError.InvalidNumber);
    }
    this.pos = p;
    return JsonValue.number(asciiString(begin, <i32>(p - begin)));
  }

  failAt(p: usize, e: JsonError): JsonValue | null {
    this.pos = p;
    return this.fail(e);
  }

  /** Reads a string starting at its opening quote; null on error. */
  string(): string | null {
    const begin = this.pos + 1;
    const end = this.end;
    // Fast path: printable ASCII with no escapes becomes a string directly.
    let p = begin;
    while (p < end) {
      const c = <u32>load<u8>(p);
      if (c == 0x22) {
        this.pos = p + 1;
        return internAscii(begin, <i32>(p - begin));
      }
      if (c == 0x5c || c < 0x20 || c >= 0x80) break;
      p++;
    }
    return this.stringSlow(begin);
  }

  // Loops in this file leave through `return`, never `break`: AS 0.28.20 compiled a `break` out of
  // `for (;;)` here into a fall-through `unreachable` (seen as a trap on `[1]`).
  stringSlow(begin: usize): string | null {
    const end = this.end;
    let p = begin;
    let n = 0; // UTF-16 units written to scratch
    for (;;) {
      if (p >= end) {
        this.failAt(p, JsonError.UnexpectedEnd);
        return null;
      }
      // Room for a surrogate pair at least.
      if (n + 2 > scratch.length) {
        const bigger = new StaticArray<u16>(scratch.length << 1);
        memory.copy(changetype<usize>(bigger), changetype<usize>(scratch), <usize>n << 1);
        scratch = bigger;
      }
      const c = <u32>load<u8>(p);
      if (c == 0x22) {
        this.pos = p + 1;
        return String.UTF16.decodeUnsafe(changetype<usize>(scratch), <usize>n << 1);
      }
      if (c < 0x20) {
        this.failAt(p, JsonError.ControlCharacter);
        return null;
      }
      if (c < 0x80 && c != 0x5c) {
        unchecked((scratch[n++] = <u16>c));
        p++;
        continue;
      }
      if (c == 0x5c) {
        if (p + 1 >= end) {
          this.failAt(p, JsonError.UnexpectedEnd);
          return null;
        }
        const e = <u32>load<u8>(p + 1);
        let out: i32 = -1;
        if (e == 0x22 || e == 0x5c || e == 0x2f) out = <i32>e;
        else if (e == 0x62) out = 0x08;
        else if (e == 0x66) out = 0x0c;
        else if (e == 0x6e) out = 0x0a;
        else if (e == 0x72) out = 0x0d;
        else if (e == 0x74) out = 0x09;
        if (out >= 0) {
          unchecked((scratch[n++] = <u16>out));
          p += 2;
          continue;
        }
        if (e != 0x75) {
          this.failAt(p, JsonError.InvalidEscape);
          return null;
        }
        const unit = this.hex4(p + 2);
        if (unit < 0) return null;
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          this.failAt(p, JsonError.LoneSurrogate);
          return null;
        }
        if (unit >= 0xd800 && unit <= 0xdbff) {
          // Must be followed at once by an escaped low surrogate.
          if (p + 12 > end || load<u8>(p + 6) != 0x5c || load<u8>(p + 7) != 0x75) {
            this.failAt(p, JsonError.LoneSurrogate);
            return null;
          }
          const low = this.hex4(p + 8);
          if (low < 0) return null;
          if (low < 0xdc00 || low > 0xdfff) {
            this.failAt(p, JsonError.LoneSurrogate);
            return null;
          }
          unchecked((scratch[n++] = <u16>unit));
          unchecked((scratch[n++] = <u16>low));
          p += 12;
          continue;
        }
        unchecked((scratch[n++] = <u16>unit));
        p += 6;
        continue;
      }
      // Multi-byte UTF-8 (RFC 3629 table): no overlongs, no encoded surrogates, ≤ U+10FFFF.
      let cp: u32 = 0;
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
        this.failAt(p, JsonError.InvalidUtf8);
        return null;
      }
      if (p + <usize>need >= end) {
        this.failAt(p, JsonError.InvalidUtf8);
        return null;
      }
      for (let k = 1; k <= need; k++) {
        const b = <u32>load<u8>(p + <usize>k);
        if (b < lo || b > hi) {
          this.failAt(p, JsonError.InvalidUtf8);
          return null;
        }
        lo = 0x80;
        hi = 0xbf;
        cp = (cp << 6) | (b & 0x3f);
      }
      p += <usize>(need + 1);
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
  hex4(p: usize): i32 {
    if (p + 4 > this.end) {
      this.failAt(p, JsonError.InvalidEscape);
      return -1;
    }
    let v = 0;
    for (let k: usize = 0; k < 4; k++) {
      const h = hexValue(<u32>load<u8>(p + k));
      if (h < 0) {
        this.failAt(p, JsonError.InvalidEscape);
        return -1;
      }
      v = (v << 4) | h;
    }
    return v;
  }

  array(): JsonValue | null {
    if (++this.depth > this.maxDepth) return this.fail(JsonError.TooDeep);
    this.pos++;
    const items = new Array<JsonValue>();
    this.skipWhitespace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x5d) {
      this.pos++;
      this.depth--;
      return JsonValue.array(items);
    }
    for (;;) {
      this.skipWhitespace();
      const v = this.value();
      if (v == null) return null;
      items.push(v);
      this.skipWhitespace();
      if (this.pos >= this.end) return this.fail(JsonError.UnexpectedEnd);
      const c = load<u8>(this.pos);
      this.pos++;
      if (c == 0x5d) {
        this.depth--;
        return JsonValue.array(items);
      }
      if (c != 0x2c) {
        this.pos--;
        return this.fail(JsonError.UnexpectedCharacter);
      }
    }
    return this.fail(JsonError.UnexpectedEnd); // not reached: the loop only exits by return
  }

  object(): JsonValue | null {
    if (++this.depth > this.maxDepth) return this.fail(JsonError.TooDeep);
    this.pos++;
    const values = new Array<JsonValue>();
    // Duplicate detection: linear for small objects, a set once an object grows past 16 members.
    let seen: Set<string> | null = null;
    let bloom: u64 = 0;
    this.skipWhitespace();
    if (this.pos < this.end && load<u8>(this.pos) == 0x7d) {
      this.pos++;
      this.depth--;
      return JsonValue.object(values);
    }
    for (;;) {
      this.skipWhitespace();
      if (this.pos >= this.end) return this.fail(JsonError.UnexpectedEnd);
      if (load<u8>(this.pos) != 0x22) return this.fail(JsonError.UnexpectedCharacter);
      const keyPos = this.pos;
      const name = this.string();
      if (name == null) return null;
      const count = values.length;
      const bit = nameBit(name);
      if (seen == null) {
        // Scan only when a name with the same length and end characters was seen before.
        if (bloom & bit) {
          for (let i = 0; i < count; i++) {
            if (unchecked(values[i]).key == name) return this.failAt(keyPos, JsonError.DuplicateKey);
          }
        }
        if (count >= 16) {
          const s = new Set<string>();
          for (let i = 0; i < count; i++) s.add(unchecked(values[i]).key);
          seen = s;
        }
      } else if (seen.has(name)) {
        return this.failAt(keyPos, JsonError.DuplicateKey);
      }
      if (seen != null) seen.add(name);
      bloom |= bit;
      this.skipWhitespace();
      if (this.pos >= this.end) return this.fail(JsonError.UnexpectedEnd);
      if (load<u8>(this.pos) != 0x3a) return this.fail(JsonError.UnexpectedCharacter);
      this.pos++;
      this.skipWhitespace();
      const v = this.value();
      if (v == null) return null;
      v.key = name;
      values.push(v);
      this.skipWhitespace();
      if (this.pos >= this.end) return this.fail(JsonError.UnexpectedEnd);
      const c = load<u8>(this.pos);
      this.pos++;
      if (c == 0x7d) {
        this.depth--;
        return JsonValue.object(values);
      }
      if (c != 0x2c) {
        this.pos--;
        return this.fail(JsonError.UnexpectedCharacter);
      }
    }
    return this.fail(JsonError.UnexpectedEnd); // not reached: the loop only exits by return
  }
}

/** Parses `len` bytes at `ptr` (the caller guarantees the range). */
export function parseJsonUnsafe(ptr: usize, len: i32, limits: JsonLimits): JsonResult {
  if (len > limits.maxBytes) return new JsonResult(null, JsonError.TooLarge, 0);
  const r = new Reader(ptr, ptr + <usize>len, limits);
  r.skipWhitespace();
  const v = r.value();
  if (v == null || r.error != JsonError.None) {
    const e = r.error == JsonError.None ? JsonError.UnexpectedEnd : r.error;
    return new JsonResult(null, e, <i32>(r.pos - ptr));
  }
  r.skipWhitespace();
  if (r.pos != r.end) return new JsonResult(null, JsonError.TrailingData, <i32>(r.pos - ptr));
  return new JsonResult(v, JsonError.None, 0);
}

// @ts-ignore: decorator
@lazy const DEFAULT_LIMITS = new JsonLimits();

/** Parses UTF-8 JSON bytes. */
export function parseJson(data: Uint8Array, limits: JsonLimits = DEFAULT_LIMITS): JsonResult {
  return parseJsonUnsafe(data.dataStart, data.length, limits);
}

/** Parses a JSON text given as a string (UTF-8 encoded first; lone surrogates become U+FFFD, then parse). */
export function parseJsonText(text: string, limits: JsonLimits = DEFAULT_LIMITS): JsonResult {
  const bytes = Uint8Array.wrap(String.UTF8.encode(text));
  return parseJson(bytes, limits);
}
