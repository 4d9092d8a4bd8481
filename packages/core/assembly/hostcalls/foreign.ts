// SPDX-License-Identifier: Apache-2.0
// Foreign functions (spec: "Foreign function interface"): host extensions called by name.
//
// Valid in any callback after _initialize. Host-specific: Envoy registers e.g. `verify_signature`,
// `compress`, `uncompress`, `clear_route_cache`, `set_envoy_filter_state` (not on every version);
// an unregistered name is NotFound, so a caller can fall back to pure AssemblyScript code.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_call_foreign_function } from "../abi/imports";
import {
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  takeOutBytes,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
} from "../abi/memory";

// @ts-ignore: decorator
@lazy const foreignResult = new Result<Uint8Array>(Status.NotFound, new Uint8Array(0));

/** The function's result bytes (NotFound: no such function, or the function's own error). */
export function callForeignFunction(name: string, args: Uint8Array): Result<Uint8Array> {
  if (initializing())
    return foreignResult.fill(refuseDuringInitialize("proxy_call_foreign_function"), new Uint8Array(0));
  let buffer = borrowScratch(maxUtf8Size(name));
  let len = writeUtf8(name, buffer);
  clearOut();
  let status = fromHost(
    proxy_call_foreign_function(buffer, len, args.dataStart, <usize>args.byteLength, OUT_PTR, OUT_SIZE),
  );
  releaseScratch(buffer);
  return foreignResult.fill(status, status == Status.Ok ? takeOutBytes() : new Uint8Array(0));
}
