// SPDX-License-Identifier: Apache-2.0
// The request headers of one JwtAuthn request, read from the host once (one
// proxy_get_header_map_pairs) and kept as the host's block (no copy, nothing for the GC): every lookup of the request (path,
// method, rule headers, each token location and its CGI spellings, cookies, realm) is answered
// from that copy, and only the values asked for are decoded to strings. Writes go straight to the
// host; a name written or removed since the read is answered by the host from then on, so a read
// never sees a value the filter has already changed. When the map cannot be read as pairs (the
// host refused, or sent a malformed buffer), and after `release` (the block is freed once the
// request is decided, or when the stream goes), every call goes to the host, as before.
import { HeaderMap, Status, MapType } from "@getwild/core/assembly";
import { proxy_get_header_map_pairs } from "@getwild/core/assembly/abi/imports";
import { fromHost } from "@getwild/core/assembly/abi/status";
import {
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  outPtr,
  outSize,
  isHostBlock,
  freeOutBlock,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
  lowerAsciiInPlace,
  decodeUtf8Unsafe,
  decodeAsciiUnsafe,
} from "@getwild/core/assembly/abi/memory";
import { countPairsUnsafe, nameEqualsUnsafe, pairsDataStart } from "@getwild/core/assembly/headers/serde";
import { asciiStartsWithFold } from "../jose/encoding/ascii";

export class RequestHeaders {
  /** The host's pairs block (validated); 0 when every call must go to the host. */
  private ptr: usize = 0;
  private count: i32 = 0;
  /** Lower-case names this filter wrote or removed since the read: the copy is stale for them. */
  private changed: Array<string> | null = null;
  /**
   * The last spellingsOf answer from the copy, by name: a request asks for its token header's
   * spellings when it reads the token and again when it strips it, and the copy does not change.
   */
  private spelledName: string | null = null;
  private spellings: Array<string> = NO_NAMES;

  constructor(public readonly map: HeaderMap) {}

  /** Reads the whole map from the host (one call). */
  static read(map: HeaderMap): RequestHeaders {
    const h = new RequestHeaders(map);
    clearOut();
    if (fromHost(proxy_get_header_map_pairs(<MapType>map.mapType, OUT_PTR, OUT_SIZE)) != Status.Ok) return h;
    const ptr = outPtr();
    const size = outSize();
    // An empty map (size 0) or a block that is not ours: the host answers every call.
    if (size == 0) {
      freeOutBlock();
      return h;
    }
    if (!isHostBlock(ptr, size)) return h;
    const count = countPairsUnsafe(ptr, size);
    if (count < 0) {
      heap.free(ptr);
      return h;
    }
    h.ptr = ptr;
    h.count = count;
    return h;
  }

  /** Frees the host block; later calls go to the host. Safe to call more than once. */
  release(): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = 0;
  }

  /** First value of `name`, or null when absent. */
  get(name: string): string | null {
    if (this.fromHost(name)) {
      const read = this.map.get(name);
      return read.ok ? read.value : null;
    }
    return this.find(name, FIRST, null) ? lastValue : null;
  }

  has(name: string): bool {
    if (this.fromHost(name)) return this.map.has(name).value;
    return this.find(name, PRESENCE, null);
  }

  /** Every value of `name`, in order. */
  getAll(name: string): Array<string> {
    return this.every(name, ALL);
  }

  /**
   * `afterPrefix(value, prefix)` of every value of `name` that starts with `prefix`, in order. From
   * the copy, an ASCII value is compared and trimmed as bytes and only the rest (the token) is
   * decoded: a request's ~900-character token becomes one string instead of its whole header value
   * plus a substring of it. A value with any byte over 0x7f is decoded whole and read as a string,
   * so the answer is afterPrefix's for every input.
   */
  valuesAfterPrefix(name: string, prefix: string): Array<string> {
    wantedPrefix = prefix;
    return this.every(name, AFTER_PREFIX);
  }

  /**
   * `find(name, mode)` into a new list: in this copy, or, for a name it cannot answer for (no copy
   * held, or the name written since), in a fresh read of the map, freed at once. That read is the
   * one host call HeaderMap#getAll would make (it reads the whole map too), and the same scan
   * answers both ways, so core's getAll is not compiled for this.
   */
  private every(name: string, mode: i32): Array<string> {
    const out = new Array<string>();
    const copy = this.fromHost(name) ? RequestHeaders.read(this.map) : this;
    copy.find(name, mode, out);
    if (copy !== this) copy.release();
    return out;
  }

  /**
   * Removes every value of `name` and of every spelling of it the client sent that a CGI-style
   * upstream reads as the same variable (see `spellingsOf`): whatever this filter removes is a
   * header it owns or a token, and must not reach the upstream under another name. No host call
   * for a spelling the client did not send (known from the read), and one pass over the copy: the
   * spellings include `name` itself when it was sent.
   */
  remove(name: string): void {
    // A copy that cannot say whether `name` is there (none, or stale for it): the host removes it.
    const askHost = this.fromHost(name);
    if (askHost) {
      this.map.remove(name);
      this.markChanged(name);
    }
    const spellings = this.spellingsOf(name);
    for (let i = 0; i < spellings.length; i++) {
      const spelling = unchecked(spellings[i]);
      if (askHost && sameNameFold(spelling, name)) continue;
      this.map.remove(spelling);
      this.markChanged(spelling);
    }
  }

  /**
   * The distinct names the client sent that a CGI-style upstream (WSGI, PHP, Rack: HTTP_X_TOKEN)
   * reads as `name`: equal once `_` is read as `-` and case is ignored, whatever mix of the two
   * the name uses. Compared by normal form, so a name with many dashes costs one pass, not one
   * lookup per spelling. Names as the request spells them, `name` itself included when sent.
   * The list may be shared (the empty one, a repeated question): callers only read it.
   */
  spellingsOf(name: string): Array<string> {
    const ptr = this.ptr;
    if (ptr == 0) {
      // No copy: read the map again (one call; only on the fallback path) and look through that
      // block the same way. A host that refuses, or sends a malformed block, has no names to give
      // (as HeaderMap#pairs answered: no list), and core's pair decoding is not compiled for this.
      const fresh = RequestHeaders.read(this.map);
      if (fresh.ptr == 0) return NO_NAMES;
      const out = fresh.spellingsOf(name);
      fresh.release();
      return out;
    }
    const spelled = this.spelledName;
    if (spelled !== null && spelled == name) return this.spellings;
    // No array for a name the client did not send (the usual case for the output headers removed
    // on every request): the shared empty one, which callers only read.
    let out = NO_NAMES;
    const key = borrowScratch(maxUtf8Size(name));
    const keyLen = writeUtf8(name, key);
    cgiNormalInPlace(key, keyLen);
    let pos = pairsDataStart(this.count);
    for (let i = 0; i < this.count; i++) {
      const nameLen = <usize>load<u32>(ptr + 4 + ((<usize>i) << 3));
      const valueLen = <usize>load<u32>(ptr + 8 + ((<usize>i) << 3));
      if (cgiNameEqualsUnsafe(ptr + pos, nameLen, key, keyLen)) {
        const n = decodeUtf8Unsafe(ptr + pos, nameLen);
        if (out === NO_NAMES) out = new Array<string>();
        if (!includesFold(out, n)) out.push(n);
      }
      pos += nameLen + 1 + valueLen + 1;
    }
    releaseScratch(key);
    this.spelledName = name;
    this.spellings = out;
    return out;
  }

  set(name: string, value: string): void {
    this.map.set(name, value);
    this.markChanged(name);
  }

  add(name: string, value: string): void {
    this.map.add(name, value);
    this.markChanged(name);
  }

  private fromHost(name: string): bool {
    if (this.ptr == 0) return true;
    const changed = this.changed;
    if (changed === null) return false;
    for (let i = 0; i < changed.length; i++) if (sameNameFold(unchecked(changed[i]), name)) return true;
    return false;
  }

  private markChanged(name: string): void {
    let changed = this.changed;
    if (changed === null) {
      changed = new Array<string>();
      this.changed = changed;
    }
    if (!changed.includes(name)) changed.push(name);
  }

  /**
   * Looks `name` up in the copy: true when present. FIRST leaves the first value in `lastValue`,
   * ALL pushes every value to `out`, AFTER_PREFIX what follows `wantedPrefix` in every value that
   * starts with it, PRESENCE decodes nothing.
   */
  private find(name: string, mode: i32, out: Array<string> | null): bool {
    const ptr = this.ptr;
    const key = borrowScratch(maxUtf8Size(name));
    const keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    let pos = pairsDataStart(this.count);
    let found = false;
    for (let i = 0; i < this.count; i++) {
      const nameLen = <usize>load<u32>(ptr + 4 + ((<usize>i) << 3));
      const valueLen = <usize>load<u32>(ptr + 8 + ((<usize>i) << 3));
      const matches = nameEqualsUnsafe(ptr + pos, nameLen, key, keyLen);
      pos += nameLen + 1;
      if (matches) {
        found = true;
        if (mode == PRESENCE) break;
        if (mode == AFTER_PREFIX) {
          const rest = afterPrefixUnsafe(ptr + pos, valueLen, wantedPrefix);
          if (rest !== null) out!.push(rest);
          pos += valueLen + 1;
          continue;
        }
        const value = decodeUtf8Unsafe(ptr + pos, valueLen);
        if (mode == FIRST) {
          lastValue = value;
          break;
        }
        out!.push(value);
      }
      pos += valueLen + 1;
    }
    releaseScratch(key);
    return found;
  }
}

const PRESENCE: i32 = 0;
const FIRST: i32 = 1;
const ALL: i32 = 2;
const AFTER_PREFIX: i32 = 3;

/** The value found by the last single-value `find` (saves a result object per lookup). */
let lastValue: string = "";
/** The prefix of the current AFTER_PREFIX `find`. */
let wantedPrefix: string = "";

/** What spellingsOf answers when the client sent no spelling of the name (never written to). */
const NO_NAMES = new Array<string>(0);

/** The value after `prefix` (compared case-insensitively: RFC 9110 auth schemes), trimmed; null if absent. */
export function afterPrefix(value: string, prefix: string): string | null {
  if (!asciiStartsWithFold(value, prefix)) return null;
  return trimOws(value, prefix.length);
}

/** `s` from `start` on, without leading and trailing spaces and tabs. */
export function trimOws(s: string, start: i32 = 0): string {
  let end = s.length;
  while (start < end && isOws(s.charCodeAt(start))) start++;
  while (end > start && isOws(s.charCodeAt(end - 1))) end--;
  return s.substring(start, end);
}

function isOws(c: i32): bool {
  return c == 0x20 || c == 0x09;
}

/**
 * afterPrefix of the value `ptr[0..size)`, decoding only what follows the prefix when the value is
 * ASCII (the prefix then matches byte for character, and trimming bytes trims characters). A byte
 * over 0x7f anywhere sends the whole value through the text path, so the answer is afterPrefix's.
 */
function afterPrefixUnsafe(ptr: usize, size: usize, prefix: string): string | null {
  const n = prefix.length;
  if (size < <usize>n) return afterPrefixOfText(ptr, size, prefix);
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(ptr + <usize>i);
    if (c >= 0x80) return afterPrefixOfText(ptr, size, prefix);
    if (asciiLower(c) != asciiLower(prefix.charCodeAt(i))) return null;
  }
  let start = <usize>n;
  let end = size;
  while (start < end && isOws(<i32>load<u8>(ptr + start))) start++;
  while (end > start && isOws(<i32>load<u8>(ptr + end - 1))) end--;
  const rest = decodeAsciiUnsafe(ptr + start, end - start);
  return rest !== null ? rest : afterPrefixOfText(ptr, size, prefix);
}

/** The text path: the whole value decoded, then afterPrefix. */
function afterPrefixOfText(ptr: usize, size: usize, prefix: string): string | null {
  return afterPrefix(decodeUtf8Unsafe(ptr, size), prefix);
}

/** A-Z as a-z, nothing else folded (asciiStartsWithFold's rule). */
// @ts-ignore: decorator
@inline function asciiLower(c: i32): i32 {
  return <u32>(c - 0x41) < 26 ? c | 0x20 : c;
}

/** `_` read as `-`, ASCII upper case as lower: the name CGI-style upstreams see, in `-` form. */
function cgiNormalInPlace(ptr: usize, size: usize): void {
  for (let i: usize = 0; i < size; i++) {
    store<u8>(ptr + i, <u8>cgiChar(load<u8>(ptr + i)));
  }
}

/** A name in the block against a key already in normal form (cgiNormalInPlace). */
@unsafe function cgiNameEqualsUnsafe(namePtr: usize, nameLen: usize, keyPtr: usize, keyLen: usize): bool {
  if (nameLen != keyLen) return false;
  for (let i: usize = 0; i < nameLen; i++) {
    if (cgiChar(load<u8>(namePtr + i)) != <i32>load<u8>(keyPtr + i)) return false;
  }
  return true;
}

/** One character of the CGI normal form: ASCII upper case as lower, `_` as `-`. */
// @ts-ignore: decorator
@inline function cgiChar(c: i32): i32 {
  if (<u32>(c - 0x41) < 26) return c | 0x20;
  return c == 0x5f ? 0x2d : c;
}

function includesFold(list: Array<string>, name: string): bool {
  for (let i = 0; i < list.length; i++) if (sameNameFold(unchecked(list[i]), name)) return true;
  return false;
}

/** ASCII case-insensitive equality of two header names. */
function sameNameFold(a: string, b: string): bool {
  return a.length == b.length && asciiStartsWithFold(a, b);
}
