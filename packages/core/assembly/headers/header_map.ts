// SPDX-License-Identifier: Apache-2.0
// A host header map (request/response headers or trailers, callout reply headers) as an object.
//
// Names are case-insensitive: the SDK lower-cases ASCII letters of every name it sends, as Envoy
// stores names lower-case (and an emulator might not). Pseudo-headers (`:method`, `:path`,
// `:authority`, `:scheme` in requests, `:status` in responses) are ordinary entries. Single-value
// calls encode their arguments in reusable scratch memory, so `get`/`set`/`add` allocate only the
// returned string. Failures are values: null/false/empty plus `lastStatus()`, or a returned Status.
import { MapType, Status } from "../abi/enums";
import { fromHost, setLastStatus } from "../abi/status";
import {
  proxy_get_header_map_value, proxy_add_header_map_value, proxy_replace_header_map_value,
  proxy_remove_header_map_value, proxy_get_header_map_pairs, proxy_set_header_map_pairs,
  proxy_get_header_map_size,
} from "../abi/imports";
import {
  clearOut, OUT_PTR, OUT_SIZE, OUT_WORD, outPtr, outSize, outWord, takeOutString, takeOutBytes, freeOutBlock,
  isHostBlock, borrowScratch, releaseScratch, maxUtf8Size, writeUtf8, lowerAsciiInPlace,
} from "../abi/memory";
import { HeaderPair } from "./pair";
import {
  countPairsUnsafe, decodePairsUnsafe, encodedPairsSize, encodePairsUnsafe, nameEqualsUnsafe,
  pairsDataStart,
} from "./serde";

export class HeaderMap {
  constructor(public readonly mapType: MapType) {}

  /**
   * First value of `name`, or null if absent (`lastStatus()` NotFound) or if this map is not
   * available in the current callback (BadArgument).
   */
  get(name: string): string | null {
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    clearOut();
    let status = fromHost(proxy_get_header_map_value(this.mapType, key, keyLen, OUT_PTR, OUT_SIZE));
    releaseScratch(key);
    if (status != Status.Ok) return null;
    return takeOutString();
  }

  /** First value of `name` as exact bytes (values may hold bytes that are not UTF-8), or null. */
  getBytes(name: string): Uint8Array | null {
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    clearOut();
    let status = fromHost(proxy_get_header_map_value(this.mapType, key, keyLen, OUT_PTR, OUT_SIZE));
    releaseScratch(key);
    if (status != Status.Ok) return null;
    return takeOutBytes();
  }

  /** True if `name` is present. */
  has(name: string): bool {
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    clearOut();
    let status = fromHost(proxy_get_header_map_value(this.mapType, key, keyLen, OUT_PTR, OUT_SIZE));
    releaseScratch(key);
    if (status != Status.Ok) return false;
    freeOutBlock();
    return true;
  }

  /** Every value of `name`, in order (empty if none, or if the map is unavailable/malformed). */
  getAll(name: string): string[] {
    let values = new Array<string>();
    clearOut();
    if (fromHost(proxy_get_header_map_pairs(this.mapType, OUT_PTR, OUT_SIZE)) != Status.Ok) return values;
    let ptr = outPtr();
    let size = outSize();
    if (size == 0 || !isHostBlock(ptr, size)) {
      freeOutBlock();
      return values;
    }
    let count = countPairsUnsafe(ptr, size);
    if (count < 0) {
      heap.free(ptr);
      setLastStatus(Status.ParseFailure);
      return values;
    }
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    let pos = pairsDataStart(count);
    for (let i = 0; i < count; i++) {
      let nameLen = <usize>load<u32>(ptr + 4 + (<usize>i << 3));
      let valueLen = <usize>load<u32>(ptr + 8 + (<usize>i << 3));
      let matches = nameEqualsUnsafe(ptr + pos, nameLen, key, keyLen);
      pos += nameLen + 1;
      if (matches) values.push(String.UTF8.decodeUnsafe(ptr + pos, valueLen, false));
      pos += valueLen + 1;
    }
    releaseScratch(key);
    heap.free(ptr);
    return values;
  }

  /** Sets `name` to `value`, replacing every existing value (adds it if absent). */
  set(name: string, value: string): Status {
    return this.write(name, value, true);
  }

  /** Appends a value (keeps existing values of `name`). */
  add(name: string, value: string): Status {
    return this.write(name, value, false);
  }

  /** Sets `name` only if it is already present; returns NotFound (and changes nothing) otherwise. */
  replace(name: string, value: string): Status {
    if (!this.has(name)) return setLastStatus(Status.NotFound);
    return this.write(name, value, true);
  }

  /** Removes every value of `name` (Ok even if absent). */
  remove(name: string): Status {
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    let status = fromHost(proxy_remove_header_map_value(this.mapType, key, keyLen));
    releaseScratch(key);
    return status;
  }

  /** All entries in order (empty if unavailable; `lastStatus()` ParseFailure if malformed). */
  pairs(): HeaderPair[] {
    clearOut();
    if (fromHost(proxy_get_header_map_pairs(this.mapType, OUT_PTR, OUT_SIZE)) != Status.Ok) return [];
    let ptr = outPtr();
    let size = outSize();
    if (size == 0 || !isHostBlock(ptr, size)) {
      freeOutBlock();
      return [];
    }
    let pairs = decodePairsUnsafe(ptr, size);
    heap.free(ptr);
    if (pairs === null) {
      setLastStatus(Status.ParseFailure);
      return [];
    }
    return pairs;
  }

  /** Replaces the whole map with `pairs` (names lower-cased). */
  setPairs(pairs: HeaderPair[]): Status {
    let size = encodedPairsSize(pairs);
    let buffer = borrowScratch(size);
    let written = encodePairsUnsafe(pairs, buffer, true);
    let status = fromHost(proxy_set_header_map_pairs(this.mapType, buffer, written));
    releaseScratch(buffer);
    return status;
  }

  /**
   * The host's size figure for this map: Envoy reports the serialized byte size, not a count
   * (0 with `lastStatus()` set on failure).
   */
  byteSize(): u32 {
    clearOut();
    if (fromHost(proxy_get_header_map_size(this.mapType, OUT_WORD)) != Status.Ok) return 0;
    return outWord();
  }

  private write(name: string, value: string, replaceExisting: bool): Status {
    let nameMax = maxUtf8Size(name);
    let buffer = borrowScratch(nameMax + maxUtf8Size(value));
    let keyLen = writeUtf8(name, buffer);
    lowerAsciiInPlace(buffer, keyLen);
    let valuePtr = buffer + keyLen;
    let valueLen = writeUtf8(value, valuePtr);
    let raw = replaceExisting
      ? proxy_replace_header_map_value(this.mapType, buffer, keyLen, valuePtr, valueLen)
      : proxy_add_header_map_value(this.mapType, buffer, keyLen, valuePtr, valueLen);
    releaseScratch(buffer);
    return fromHost(raw);
  }
}
