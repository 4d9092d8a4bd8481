// SPDX-License-Identifier: Apache-2.0
// Strict, bounded JSON reader (RFC 8259) for token headers, claims and JWKS: never traps.
//
// Strict where lenient parsers differ from each other, because a proxy that reads a token
// differently from the backend behind it is an attack surface: duplicate member names, invalid
// UTF-8, lone surrogates, bad escapes, raw control characters, leading zeros, trailing commas
// and trailing data are all errors. Bounded so a hostile input costs little: total bytes, nesting
// depth (recursion is capped, so the wasm stack cannot overflow) and number of values.

import { JsonValue } from "./json_value";
import { JsonError } from "./json_error";
import { asciiString, internAscii, nameBit, decodeEscapedString, stringError, stringErrorAt } from "./json_string";
import { HASH } from "util/hash";

export { JsonKind, JsonValue } from "./json_value";
export { JsonError, jsonErrorMessage } from "./json_error";

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

// @ts-ignore: decorator
@inline function isWhitespace(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

/** Past the ASCII digits at `p` (before `end`). */
function skipDigits(p: usize, end: usize): usize {
  while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
  return p;
}

/** What follows an array item or object member. */
const enum AfterMember {
  /** A `,`: another item or member. */
  Next = 0,
  /** The closing bracket: the container ends. */
  Closed = 1,
  /** Anything else, or the end of the input: the error is recorded. */
  Failed = 2,
}

class Reader {
  pos: usize;
  error: JsonError = JsonError.None;
  depth: i32 = 0;
  values: i32 = 0;
  maxDepth: i32;
  constructor(
    public start: usize,
    public end: usize,
    limits: JsonLimits,
  ) {
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
    const c = <u32>load<u8>(p);
    if (c == 0x30) p++;
    else if (c - 0x31 < 9) p = skipDigits(p, end);
    else return this.failAt(p, JsonError.InvalidNumber);
    // A fraction, then an exponent: each needs at least one digit.
    for (let part = 0; part < 2 && p < end; part++) {
      const m = <u32>load<u8>(p);
      if (part == 0 ? m != 0x2e : (m | 0x20) != 0x65) continue;
      p++;
      if (part == 1 && p < end && (load<u8>(p) == 0x2b || load<u8>(p) == 0x2d)) p++;
      const digits = p;
      p = skipDigits(p, end);
      if (p == digits) return this.failAt(p, p >= end ? JsonError.UnexpectedEnd : JsonError.InvalidNumber);
    }
    // A digit right after "0" ("01") or a stray letter is caught by the caller as unexpected.
    if (p < end && <u32>load<u8>(p) - 0x30 < 10) return this.failAt(p, JsonError.InvalidNumber);
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

  stringSlow(begin: usize): string | null {
    const s = decodeEscapedString(begin, this.end);
    if (s == null) {
      this.failAt(stringErrorAt, stringError);
      return null;
    }
    this.pos = stringErrorAt;
    return s;
  }

  /** Right after `[` or `{`: consumes `closer` and leaves the container when it is empty. */
  closesEmpty(closer: u32): bool {
    this.skipWhitespace();
    if (this.pos < this.end && <u32>load<u8>(this.pos) == closer) {
      this.pos++;
      this.depth--;
      return true;
    }
    return false;
  }

  /** After an array item or object member: `,` (another follows), `closer` (the container ends) or an error. */
  afterMember(closer: u32): AfterMember {
    this.skipWhitespace();
    if (this.pos >= this.end) {
      this.fail(JsonError.UnexpectedEnd);
      return AfterMember.Failed;
    }
    const c = <u32>load<u8>(this.pos);
    this.pos++;
    if (c == closer) {
      this.depth--;
      return AfterMember.Closed;
    }
    if (c != 0x2c) {
      this.pos--;
      this.fail(JsonError.UnexpectedCharacter);
      return AfterMember.Failed;
    }
    return AfterMember.Next;
  }

  array(): JsonValue | null {
    if (++this.depth > this.maxDepth) return this.fail(JsonError.TooDeep);
    this.pos++;
    const items = new Array<JsonValue>();
    if (this.closesEmpty(0x5d)) return JsonValue.array(items);
    for (;;) {
      this.skipWhitespace();
      const v = this.value();
      if (v == null) return null;
      items.push(v);
      const after = this.afterMember(0x5d);
      if (after == AfterMember.Closed) return JsonValue.array(items);
      if (after == AfterMember.Failed) return null;
    }
    return this.fail(JsonError.UnexpectedEnd); // not reached: the loop only exits by return
  }

  object(): JsonValue | null {
    if (++this.depth > this.maxDepth) return this.fail(JsonError.TooDeep);
    this.pos++;
    const values = new Array<JsonValue>();
    // Duplicate detection: linear for small objects, a table of names once an object grows past 16 members.
    let seen: StaticArray<i32> | null = null;
    let bloom: u64 = 0;
    if (this.closesEmpty(0x7d)) return JsonValue.object(values);
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
        if (count >= 16) seen = nameTable(values, count);
      } else if (count * 2 >= seen.length) {
        seen = nameTable(values, count);
      }
      if (seen != null && seenBefore(seen, values, name, count)) return this.failAt(keyPos, JsonError.DuplicateKey);
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
      const after = this.afterMember(0x7d);
      if (after == AfterMember.Closed) return JsonValue.object(values);
      if (after == AfterMember.Failed) return null;
    }
    return this.fail(JsonError.UnexpectedEnd); // not reached: the loop only exits by return
  }
}

// The member names of a large object, for duplicate detection: an open-addressing table of member
// indices + 1 (0: empty slot) by name hash, kept at most half full (rebuilt larger), so a probe
// always ends. Smaller in module bytes than a Set<string>, which nothing else here needs.

/** A table holding the names of the first `count` members of `values` (all distinct). */
function nameTable(values: Array<JsonValue>, count: i32): StaticArray<i32> {
  let size = 64;
  while (size <= count * 2) size <<= 1;
  const table = new StaticArray<i32>(size);
  for (let i = 0; i < count; i++) seenBefore(table, values, unchecked(values[i]).key, i);
  return table;
}

/** Whether `name` is in `table` already; if not, records it as member `index` of `values`. */
function seenBefore(table: StaticArray<i32>, values: Array<JsonValue>, name: string, index: i32): bool {
  const mask = table.length - 1;
  let slot = (<i32>HASH<string>(name)) & mask;
  for (;;) {
    const at = unchecked(table[slot]);
    if (at == 0) {
      unchecked((table[slot] = index + 1));
      return false;
    }
    if (unchecked(values[at - 1]).key == name) return true;
    slot = (slot + 1) & mask;
  }
  return false; // not reached: the table is never full
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
