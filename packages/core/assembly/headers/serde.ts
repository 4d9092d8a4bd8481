// SPDX-License-Identifier: Apache-2.0
// The proxy-wasm "pairs" wire format (header maps, callout headers, map properties), both directions.
//
// Layout (little-endian): u32 count; count × (u32 name_len, u32 value_len); then count × (name, 0x00,
// value, 0x00). Parsing is exactly as strict as proxy-wasm-cpp-host's PairsUtil::toPairs: fewer than
// 4 bytes, more than 1024 pairs, more than 1 MiB, a length running past the end, a missing NUL, or
// trailing bytes reject the whole buffer. Rejection is a value (null / -1), never a trap. A 0-byte
// buffer is the host's "empty map" and parses to no pairs.
import { HeaderPair, BytePair } from "./pair";
import { decodeUtf8Unsafe, lowerAsciiInPlace, writeUtf8 } from "../abi/memory";

/** cpp-host PROXY_WASM_HOST_PAIRS_MAX_COUNT. */
// @ts-ignore: decorator
@inline export const PAIRS_MAX_COUNT: u32 = 1024;
/** cpp-host PROXY_WASM_HOST_PAIRS_MAX_BYTES (1 MiB). */
// @ts-ignore: decorator
@inline export const PAIRS_MAX_BYTES: usize = 0x100000;

/**
 * Validates a pairs buffer at [ptr, ptr+size). Returns the number of pairs, or -1 if cpp-host would
 * reject it. Reads only inside the range.
 */
// @ts-ignore: decorator
@unsafe export function countPairsUnsafe(ptr: usize, size: usize): i32 {
  if (size == 0) return 0;
  if (size < 4 || size > PAIRS_MAX_BYTES) return -1;
  let count = load<u32>(ptr);
  if (count > PAIRS_MAX_COUNT) return -1;
  let pos: usize = 4 + ((<usize>count) << 3);
  if (pos > size) return -1;
  for (let i: usize = 0; i < <usize>count; i++) {
    let nameLen = <u64>load<u32>(ptr + 4 + (i << 3));
    let valueLen = <u64>load<u32>(ptr + 8 + (i << 3));
    if (nameLen + 1 > <u64>(size - pos)) return -1;
    pos += <usize>nameLen;
    if (load<u8>(ptr + pos) != 0) return -1;
    pos++;
    if (valueLen + 1 > <u64>(size - pos)) return -1;
    pos += <usize>valueLen;
    if (load<u8>(ptr + pos) != 0) return -1;
    pos++;
  }
  return pos == size ? <i32>count : -1;
}

/** Offset of the first name byte of a validated buffer holding `count` pairs. */
// @ts-ignore: decorator
@inline export function pairsDataStart(count: i32): usize {
  return 4 + ((<usize>count) << 3);
}

/** Decodes a pairs buffer into text pairs (UTF-8); null if malformed. */
// @ts-ignore: decorator
@unsafe export function decodePairsUnsafe(ptr: usize, size: usize): HeaderPair[] | null {
  let count = countPairsUnsafe(ptr, size);
  if (count < 0) return null;
  let pairs = new Array<HeaderPair>(count);
  let pos = pairsDataStart(count);
  for (let i = 0; i < count; i++) {
    let nameLen = <usize>load<u32>(ptr + 4 + ((<usize>i) << 3));
    let valueLen = <usize>load<u32>(ptr + 8 + ((<usize>i) << 3));
    let name = decodeUtf8Unsafe(ptr + pos, nameLen);
    pos += nameLen + 1;
    let value = decodeUtf8Unsafe(ptr + pos, valueLen);
    pos += valueLen + 1;
    unchecked((pairs[i] = new HeaderPair(name, value)));
  }
  return pairs;
}

/** Decodes a pairs buffer into text pairs (UTF-8); null if malformed. */
export function decodePairs(bytes: Uint8Array): HeaderPair[] | null {
  return decodePairsUnsafe(bytes.dataStart, <usize>bytes.byteLength);
}

/** Decodes a pairs buffer into exact byte pairs; null if malformed. */
export function decodeBytePairs(bytes: Uint8Array): BytePair[] | null {
  let ptr = bytes.dataStart;
  let count = countPairsUnsafe(ptr, <usize>bytes.byteLength);
  if (count < 0) return null;
  let pairs = new Array<BytePair>(count);
  let pos = pairsDataStart(count);
  for (let i = 0; i < count; i++) {
    let nameLen = <i32>load<u32>(ptr + 4 + ((<usize>i) << 3));
    let valueLen = <i32>load<u32>(ptr + 8 + ((<usize>i) << 3));
    let name = bytes.slice(<i32>pos, <i32>pos + nameLen);
    pos += <usize>nameLen + 1;
    let value = bytes.slice(<i32>pos, <i32>pos + valueLen);
    pos += <usize>valueLen + 1;
    unchecked((pairs[i] = new BytePair(name, value)));
  }
  return pairs;
}

/** Size in bytes of the encoding of `pairs` (header plus NUL-terminated strings). */
export function encodedPairsSize(pairs: HeaderPair[]): usize {
  let size: usize = 4 + ((<usize>pairs.length) << 3);
  for (let i = 0, n = pairs.length; i < n; i++) {
    let pair = unchecked(pairs[i]);
    size += <usize>String.UTF8.byteLength(pair.name) + <usize>String.UTF8.byteLength(pair.value) + 2;
  }
  return size;
}

/**
 * Encodes `pairs` at `dst`, which must hold `encodedPairsSize(pairs)` bytes. With `lowerCaseNames`
 * ASCII letters in names are lower-cased (what Envoy does to header names). Returns bytes written.
 */
// @ts-ignore: decorator
@unsafe export function encodePairsUnsafe(pairs: HeaderPair[], dst: usize, lowerCaseNames: bool = false): usize {
  let count = pairs.length;
  store<u32>(dst, <u32>count);
  let pos: usize = 4 + ((<usize>count) << 3);
  for (let i = 0; i < count; i++) {
    let pair = unchecked(pairs[i]);
    let nameLen = writeUtf8(pair.name, dst + pos);
    if (lowerCaseNames) lowerAsciiInPlace(dst + pos, nameLen);
    pos += nameLen;
    store<u8>(dst + pos++, 0);
    let valueLen = writeUtf8(pair.value, dst + pos);
    pos += valueLen;
    store<u8>(dst + pos++, 0);
    store<u32>(dst + 4 + ((<usize>i) << 3), <u32>nameLen);
    store<u32>(dst + 8 + ((<usize>i) << 3), <u32>valueLen);
  }
  return pos;
}

/** Encodes text pairs (UTF-8) into a new buffer. */
export function encodePairs(pairs: HeaderPair[], lowerCaseNames: bool = false): Uint8Array {
  let out = new Uint8Array(<i32>encodedPairsSize(pairs));
  encodePairsUnsafe(pairs, out.dataStart, lowerCaseNames);
  return out;
}

/** Encodes byte pairs exactly into a new buffer. */
export function encodeBytePairs(pairs: BytePair[]): Uint8Array {
  let count = pairs.length;
  let size: usize = 4 + ((<usize>count) << 3);
  for (let i = 0; i < count; i++) {
    let pair = unchecked(pairs[i]);
    size += <usize>pair.name.byteLength + <usize>pair.value.byteLength + 2;
  }
  let out = new Uint8Array(<i32>size);
  let dst = out.dataStart;
  store<u32>(dst, <u32>count);
  let pos: usize = 4 + ((<usize>count) << 3);
  for (let i = 0; i < count; i++) {
    let pair = unchecked(pairs[i]);
    let nameLen = <usize>pair.name.byteLength;
    let valueLen = <usize>pair.value.byteLength;
    store<u32>(dst + 4 + ((<usize>i) << 3), <u32>nameLen);
    store<u32>(dst + 8 + ((<usize>i) << 3), <u32>valueLen);
    memory.copy(dst + pos, pair.name.dataStart, nameLen);
    pos += nameLen + 1; // the NUL is already there: Uint8Array starts zeroed
    memory.copy(dst + pos, pair.value.dataStart, valueLen);
    pos += valueLen + 1;
  }
  return out;
}

/**
 * Compares the name of the pair whose name starts at `namePtr` with the (already lower-case) `key`
 * ignoring ASCII case.
 */
// @ts-ignore: decorator
@unsafe export function nameEqualsUnsafe(namePtr: usize, nameLen: usize, keyPtr: usize, keyLen: usize): bool {
  if (nameLen != keyLen) return false;
  for (let i: usize = 0; i < nameLen; i++) {
    let c = load<u8>(namePtr + i);
    if (<u32>(c - 0x41) < 26) c |= 0x20;
    if (c != load<u8>(keyPtr + i)) return false;
  }
  return true;
}
