// SPDX-License-Identifier: Apache-2.0
// Header-map host calls: which map each type means in the current context, and Envoy's statuses for absent maps.
import { Status } from "./enums.js";
import { encodePairs, decodePairs } from "./pairs.js";
import { decodeHeaderValue, encodeHeaderValue } from "./header_text.js";
import type { HeaderMap } from "./header_map.js";
import type { GuestVm } from "./guest_vm.js";
import type { CalloutResponse } from "./callouts.js";

/** What header calls use of their VM: the callout response being delivered (maps 6 and 7). */
export interface HeaderVm extends GuestVm {
  readonly calloutResponse: CalloutResponse | null;
}

/** The map for `type` in the effective context: null if unavailable there, undefined for an unknown type. */
export function resolveMap(vm: HeaderVm, type: number, write = false): HeaderMap | null | undefined {
  if (type > 7) return undefined;
  if (type === 6) return vm.calloutResponse?.headers ?? null;
  if (type === 7) return vm.calloutResponse?.trailers ?? null;
  const ctx = vm.context();
  if (!ctx || ctx.kind !== "stream") return null;
  return ctx.stream.headerMap(type, write);
}

export function headerImports(vm: HeaderVm) {
  const mem = vm.mem;
  /** Header bytes from the guest, kept exactly (values need not be UTF-8, as in Envoy). */
  const text = (ptr: number, size: number): string | null => {
    const bytes = mem.read(ptr, size);
    return bytes === null ? null : decodeHeaderValue(bytes);
  };
  /** A map for reading (Envoy `getConstMap`) or writing (`getMap`), or BAD_ARGUMENT when absent. */
  const mapFor = (type: number, write: boolean): HeaderMap | Status =>
    resolveMap(vm, type, write) ?? Status.BadArgument;
  const mutable = (type: number) => mapFor(type, true);
  const readable = (type: number) => mapFor(type, false);
  const inLogPhase = () => {
    const ctx = vm.context();
    return !!ctx && ctx.kind === "stream" && ctx.stream.inLogPhase;
  };
  return {
    /** An unavailable map reads as empty (OK, ptr 0, size 0), like Envoy. */
    proxy_get_header_map_pairs(type: number, outPtrPtr: number, outSizePtr: number): number {
      const map = resolveMap(vm, type);
      if (map === undefined) return Status.BadArgument;
      return vm.copyOut(map && map.count > 0 ? encodePairs(map.pairs()) : new Uint8Array(0), outPtrPtr, outSizePtr);
    },
    /** Replaces the whole map; pairs that fail cpp-host's validation count as an empty map. */
    proxy_set_header_map_pairs(type: number, ptr: number, size: number): number {
      const bytes = mem.read(ptr, size);
      if (bytes === null) return Status.InvalidMemoryAccess;
      const map = mutable(type);
      if (typeof map === "number") return map;
      map.replaceAll(decodePairs(bytes) ?? []);
      return Status.Ok;
    },
    /** Envoy answers the map's byte size (sum of key and value lengths), not the entry count. */
    /** Envoy looks the map up for writing here (`getMap`): absent in the access-log phase. */
    proxy_get_header_map_size(type: number, outSizePtr: number): number {
      const map = mutable(type);
      if (typeof map === "number") return map;
      return mem.writeU32(outSizePtr, map.byteSize) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_get_header_map_value(
      type: number,
      keyPtr: number,
      keySize: number,
      outPtrPtr: number,
      outSizePtr: number,
    ): number {
      const key = text(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const map = readable(type);
      // In the access-log phase a missing map reads as a missing key.
      if (typeof map === "number") return inLogPhase() ? Status.NotFound : map;
      const value = map.get(key);
      if (value === undefined) return Status.NotFound;
      return vm.copyOut(encodeHeaderValue(value), outPtrPtr, outSizePtr);
    },
    proxy_add_header_map_value(type: number, keyPtr: number, keySize: number, valPtr: number, valSize: number): number {
      const key = text(keyPtr, keySize);
      const value = text(valPtr, valSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      const map = mutable(type);
      if (typeof map === "number") return map;
      map.add(key, value);
      return Status.Ok;
    },
    proxy_replace_header_map_value(
      type: number,
      keyPtr: number,
      keySize: number,
      valPtr: number,
      valSize: number,
    ): number {
      const key = text(keyPtr, keySize);
      const value = text(valPtr, valSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      const map = mutable(type);
      if (typeof map === "number") return map;
      map.set(key, value);
      return Status.Ok;
    },
    proxy_remove_header_map_value(type: number, keyPtr: number, keySize: number): number {
      const key = text(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const map = mutable(type);
      if (typeof map === "number") return map;
      map.remove(key);
      return Status.Ok;
    },
  };
}
