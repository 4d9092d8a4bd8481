// SPDX-License-Identifier: Apache-2.0
// Foreign functions (spec: "Foreign function interface"): host extensions called by name.
//
// Valid in any callback after _initialize. Host-specific: Envoy registers e.g. `verify_signature`,
// `compress`, `uncompress`, `clear_route_cache`, `set_envoy_filter_state` (not on every version);
// an unregistered name is NotFound, so a caller can fall back to pure AssemblyScript code.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_call_foreign_function } from "../abi/imports";
import { clearOut, OUT_PTR, OUT_SIZE, takeOutBytes, borrowScratch, releaseScratch, maxUtf8Size, writeUtf8 } from "../abi/memory";

/** The result bytes, or null (`lastStatus()`: NotFound = no such function, or the function's error). */
export function callForeignFunction(name: string, args: Uint8Array): Uint8Array | null {
  if (initializing()) {
    refuseDuringInitialize("proxy_call_foreign_function");
    return null;
  }
  let buffer = borrowScratch(maxUtf8Size(name));
  let len = writeUtf8(name, buffer);
  clearOut();
  let status = fromHost(proxy_call_foreign_function(buffer, len, args.dataStart, <usize>args.byteLength, OUT_PTR, OUT_SIZE));
  releaseScratch(buffer);
  if (status != Status.Ok) return null;
  return takeOutBytes();
}
