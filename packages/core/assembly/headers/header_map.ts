// SPDX-License-Identifier: Apache-2.0
// A host header map (request/response headers or trailers, callout reply headers) as an object.
//
// Names are case-insensitive: the SDK lower-cases ASCII letters of every name it sends, as Envoy
// stores names lower-case (and an emulator might not). Pseudo-headers (`:method`, `:path`,
// `:authority`, `:scheme` in requests, `:status` in responses) are ordinary entries. Single-value
// calls encode their arguments in reusable scratch memory, and each read method refills its own
// Result (../abi/result.ts: one per method, shared by all maps), so `get`/`set`/`add` allocate only
// the returned string.
// Reads return a Result (NotFound: absent; BadArgument: the map is not available in this callback;
// ParseFailure: a malformed pairs buffer); writes return a Status.
import { MapType, Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import {
  proxy_get_header_map_value,
  proxy_add_header_map_value,
  proxy_replace_header_map_value,
  proxy_remove_header_map_value,
  proxy_get_header_map_pairs,
  proxy_set_header_map_pairs,
  proxy_get_header_map_size,
} from "../abi/imports";
import {
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  OUT_WORD,
  outPtr,
  outSize,
  outWord,
  takeOutString,
  takeOutBytes,
  freeOutBlock,
  isHostBlock,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
  lowerAsciiInPlace,
  decodeUtf8Unsafe,
} from "../abi/memory";
import { HeaderPair } from "./pair";
import {
  countPairsUnsafe,
  decodePairsUnsafe,
  encodedPairsSize,
  encodePairsUnsafe,
  nameEqualsUnsafe,
  pairsDataStart,
} from "./serde";

// The Results of the read methods (lazy: only the reads a filter uses are in its module).
// @ts-ignore: decorator
@lazy const textRead = new Result<string>(Status.NotFound, "");
// @ts-ignore: decorator
@lazy const bytesRead = new Result<Uint8Array>(Status.NotFound, new Uint8Array(0));
// @ts-ignore: decorator
@lazy const flagRead = new Result<bool>(Status.NotFound, false);
// @ts-ignore: decorator
@lazy const listRead = new Result<string[]>(Status.NotFound, []);
// @ts-ignore: decorator
@lazy const pairsRead = new Result<HeaderPair[]>(Status.NotFound, []);
// @ts-ignore: decorator
@lazy const sizeRead = new Result<u32>(Status.NotFound, 0);

export class HeaderMap {
  constructor(public readonly mapType: MapType) {}

  /** Asks the host for the first value of `name`; on Ok the value is in the out-params. */
  private lookup(name: string): Status {
    let key = borrowScratch(maxUtf8Size(name));
    let keyLen = writeUtf8(name, key);
    lowerAsciiInPlace(key, keyLen);
    clearOut();
    let status = fromHost(proxy_get_header_map_value(this.mapType, key, keyLen, OUT_PTR, OUT_SIZE));
    releaseScratch(key);
    return status;
  }

  /** First value of `name` ("" unless Ok; NotFound: absent). */
  get(name: string): Result<string> {
    let status = this.lookup(name);
    let read = textRead;
    return read.fill(status, status == Status.Ok ? takeOutString() : "");
  }

  /** First value of `name` as exact bytes (values may hold bytes that are not UTF-8). */
  getBytes(name: string): Result<Uint8Array> {
    let status = this.lookup(name);
    let read = bytesRead;
    return read.fill(status, status == Status.Ok ? takeOutBytes() : new Uint8Array(0));
  }

  /** Whether `name` is present: `value` true when Ok, false when NotFound (or the map is unavailable). */
  has(name: string): Result<bool> {
    let status = this.lookup(name);
    if (status == Status.Ok) freeOutBlock();
    let read = flagRead;
    return read.fill(status, status == Status.Ok);
  }

  /** Every value of `name`, in order (Ok with an empty list when absent). */
  getAll(name: string): Result<string[]> {
    let values = new Array<string>();
    let status = this.readPairs();
    if (status == Status.Ok) {
      let ptr = outPtr();
      let size = outSize();
      let count = countPairsUnsafe(ptr, size);
      if (count < 0) status = Status.ParseFailure;
      else {
        let key = borrowScratch(maxUtf8Size(name));
        let keyLen = writeUtf8(name, key);
        lowerAsciiInPlace(key, keyLen);
        let pos = pairsDataStart(count);
        for (let i = 0; i < count; i++) {
          let nameLen = <usize>load<u32>(ptr + 4 + ((<usize>i) << 3));
          let valueLen = <usize>load<u32>(ptr + 8 + ((<usize>i) << 3));
          let matches = nameEqualsUnsafe(ptr + pos, nameLen, key, keyLen);
          pos += nameLen + 1;
          if (matches) values.push(decodeUtf8Unsafe(ptr + pos, valueLen));
          pos += valueLen + 1;
        }
        releaseScratch(key);
      }
      heap.free(ptr);
    }
    // An empty map (no block) reads as Ok with no values.
    return listRead.fill(status == Status.Empty ? Status.Ok : status, values);
  }

  /**
   * Asks the host for the whole map. Ok: a non-empty block of ours is in the out-params (the
   * caller frees it). Empty: the map has no pairs (no block, a 0-byte block, freed here, or one
   * that is not ours, read as empty and left alone). Else the host's status.
   */
  private readPairs(): Status {
    clearOut();
    let status = fromHost(proxy_get_header_map_pairs(this.mapType, OUT_PTR, OUT_SIZE));
    if (status != Status.Ok) return status;
    let size = outSize();
    if (size == 0 || !isHostBlock(outPtr(), size)) {
      freeOutBlock();
      return Status.Empty;
    }
    return Status.Ok;
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
    let present = this.lookup(name);
    if (present != Status.Ok) return present;
    freeOutBlock();
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

  /** All entries in order (empty unless Ok; ParseFailure: the host's buffer was malformed). */
  pairs(): Result<HeaderPair[]> {
    let status = this.readPairs();
    let pairs: HeaderPair[] | null = [];
    if (status == Status.Ok) {
      let ptr = outPtr();
      pairs = decodePairsUnsafe(ptr, outSize());
      heap.free(ptr);
    }
    if (pairs === null) return pairsRead.fill(Status.ParseFailure, []);
    return pairsRead.fill(status == Status.Empty ? Status.Ok : status, pairs);
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

  /** The host's size figure for this map: Envoy reports the serialized byte size, not a count. */
  byteSize(): Result<u32> {
    let read = sizeRead;
    clearOut();
    let status = fromHost(proxy_get_header_map_size(this.mapType, OUT_WORD));
    return read.fill(status, status == Status.Ok ? outWord() : 0);
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
