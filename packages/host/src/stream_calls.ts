// SPDX-License-Identifier: Apache-2.0
// Stream-control host calls (continue, close, local reply): deferred until the VM call returns, silent no-ops on a root context like Envoy.
import { Status, StreamType } from "./enums.js";
import { decodePairs } from "./pairs.js";
import { makeLocalResponse } from "./local_reply.js";
import type { GuestVm } from "./guest_vm.js";

/** What stream-control calls use of their VM: the host's after-call queue. */
export interface StreamCallsVm extends GuestVm {
  readonly core: { defer(fn: () => void): void };
}

export function streamImports(vm: StreamCallsVm) {
  const core = vm.core;
  const mem = vm.mem;
  const streamOf = () => {
    const ctx = vm.context();
    return ctx && ctx.kind === "stream" ? ctx.stream : null;
  };
  return {
    /** Envoy: UNIMPLEMENTED for UPSTREAM; the resume runs after the current callback returns. */
    proxy_continue_stream(type: number): number {
      if (type === StreamType.Upstream) return Status.Unimplemented;
      if (type > StreamType.Upstream) return Status.BadArgument;
      const stream = streamOf();
      if (!stream || type === StreamType.Downstream) return Status.Ok;
      core.defer(() => stream.resume(type === StreamType.Request ? "request" : "response"));
      stream.dropRequestMaps();
      return Status.Ok;
    },
    /** Resets the HTTP stream after the callback (details "wasm_close_stream" unless already set). */
    proxy_close_stream(type: number): number {
      if (type > StreamType.Upstream) return Status.BadArgument;
      const stream = streamOf();
      if (!stream || type >= StreamType.Downstream) return Status.Ok;
      core.defer(() => stream.reset("wasm_close_stream"));
      return Status.Ok;
    },
    proxy_send_local_response(
      status: number,
      detailsPtr: number,
      detailsSize: number,
      bodyPtr: number,
      bodySize: number,
      hdrPtr: number,
      hdrSize: number,
      grpcStatus: number,
    ): number {
      const details = mem.readString(detailsPtr, detailsSize);
      const body = mem.read(bodyPtr, bodySize);
      const hdrs = mem.read(hdrPtr, hdrSize);
      if (details === null || body === null || hdrs === null) return Status.InvalidMemoryAccess;
      const stream = streamOf();
      if (!stream) return Status.Ok;
      return stream.requestLocalReply(
        makeLocalResponse(status, details, body, decodePairs(hdrs) ?? [], grpcStatus | 0),
      );
    },
  };
}
