// SPDX-License-Identifier: Apache-2.0
// Buffer host calls: bodies, configurations and callout bodies, with current Envoy's `Buffer::copyFrom` rules for writes.
import { Status } from "./enums.js";
import { concatBytes } from "./memory.js";
import type { GuestVm } from "./guest_vm.js";
import type { BufferRef } from "./direction.js";

/** What buffer calls use of their VM: the configurations and the callout body being delivered. */
export interface BufferVm extends GuestVm {
  readonly inConfigure: boolean;
  readonly calloutResponse: { readonly body: Uint8Array } | null;
  readonly core: { readonly options: { readonly vmConfig: Uint8Array; readonly pluginConfig: Uint8Array } };
}

const EMPTY = new Uint8Array(0);

/**
 * Envoy's `Context::getBuffer` for a buffer that holds nothing now: bodies outside their callback
 * (`request_body_buffer_` is null, yet `buffer_.set(nullptr)` is returned, not nullptr), network
 * data, the gRPC receive buffer and the call-data scratch. Reads give OK and 0 bytes; writes reach
 * `BufferBase::copyFrom`, which answers BAD_ARGUMENT.
 */
const ABSENT: BufferRef = { bytes: () => EMPTY };

/** The buffer for `type` now: null if Envoy's getBuffer returns nullptr (NOT_FOUND), undefined for an unknown type. */
export function resolveBuffer(vm: BufferVm, type: number): BufferRef | null | undefined {
  if (type > 8) return undefined;
  const core = vm.core;
  switch (type) {
    case 0:
    case 1: {
      const ctx = vm.context();
      if (!ctx || ctx.kind !== "stream") return ABSENT;
      return ctx.stream.bodyBuffer(type === 0 ? "request" : "response") ?? ABSENT;
    }
    case 4: {
      const body = vm.calloutResponse?.body;
      return body ? { bytes: () => body } : null;
    }
    case 6:
      return { bytes: () => core.options.vmConfig };
    case 7:
      return vm.inConfigure ? { bytes: () => core.options.pluginConfig } : null;
    default:
      // 2, 3 (network data), 5 (gRPC receive buffer), 8 (call data: Envoy hands back its scratch buffer).
      return ABSENT;
  }
}

export function bufferImports(vm: BufferVm) {
  const mem = vm.mem;
  return {
    proxy_get_buffer_status(type: number, outSizePtr: number, outFlagsPtr: number): number {
      const buf = resolveBuffer(vm, type);
      if (buf === undefined) return Status.BadArgument;
      if (buf === null) return Status.NotFound;
      const ok = mem.writeU32(outSizePtr, buf.bytes().length) && mem.writeU32(outFlagsPtr, 0);
      return ok ? Status.Ok : Status.InvalidMemoryAccess;
    },
    /**
     * Clamps to the buffer (max_size 0xFFFFFFFF is fine); nothing to copy (empty buffer, start at or
     * past the end) writes ptr 0 / size 0 and answers OK, as cpp-host's `get_buffer_bytes` does.
     */
    proxy_get_buffer_bytes(
      type: number,
      start: number,
      maxSize: number,
      outPtrPtr: number,
      outSizePtr: number,
    ): number {
      const buf = resolveBuffer(vm, type);
      if (buf === undefined) return Status.BadArgument;
      if (buf === null) return Status.NotFound;
      const bytes = buf.bytes();
      if (start >= bytes.length) return vm.copyOut(EMPTY, outPtrPtr, outSizePtr);
      const end = Math.min(bytes.length, start + maxSize);
      return vm.copyOut(bytes.subarray(start, end), outPtrPtr, outSizePtr);
    },
    /** start 0: drain `size` bytes then prepend (0,0 prepends; 0,len replaces); start ≥ length: append; else BAD_ARGUMENT. */
    proxy_set_buffer_bytes(type: number, start: number, size: number, dataPtr: number, dataSize: number): number {
      const data = mem.read(dataPtr, dataSize);
      if (data === null) return Status.InvalidMemoryAccess;
      const buf = resolveBuffer(vm, type);
      if (buf === undefined) return Status.BadArgument;
      if (buf === null) return Status.NotFound;
      if (!buf.replace) return Status.BadArgument;
      const current = buf.bytes();
      if (start === 0) buf.replace(concatBytes([data, current.subarray(Math.min(size, current.length))]));
      else if (start >= current.length) buf.replace(concatBytes([current, data]));
      else return Status.BadArgument;
      return Status.Ok;
    },
  };
}
