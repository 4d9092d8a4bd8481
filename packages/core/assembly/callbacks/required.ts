// SPDX-License-Identifier: Apache-2.0
// The exports every filter needs: ABI marker, allocator, context creation, VM start, configuration
// and context deletion (the SDK forgets a context there, so it is never optional).
//
// Signatures are exact (cpp-host rejects a mismatching export with "Bad function signature").
import "../abort"; // puts coreAbort in the program so `--use abort=...coreAbort` resolves
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback, countHostBytes } from "./pacing";

/** ABI marker: Envoy refuses a module without it ("Missing or unknown Proxy-Wasm ABI version"). */
export function proxy_abi_version_0_2_1(): void {}

/**
 * The allocator the host uses for every value it returns. Unmanaged (TLSF `heap.alloc`): it runs
 * no GC step and calls no host function (the host allows only logging inside it); the SDK copies
 * each block into a managed object and frees it. 0 means failure to the host, but AS traps on
 * out-of-memory before that.
 */
export function proxy_on_memory_allocate(size: usize): usize {
  countHostBytes(size);
  return heap.alloc(size);
}

export function proxy_on_context_create(contextId: u32, parentContextId: u32): void {
  enterCallback();
  dispatcher.onContextCreate(contextId, parentContextId);
  collectAfterCallback();
}

export function proxy_on_vm_start(rootContextId: u32, vmConfigurationSize: u32): bool {
  enterCallback();
  const result: bool = dispatcher.onVmStart(rootContextId, vmConfigurationSize);
  collectAfterCallback();
  return result;
}

export function proxy_on_configure(rootContextId: u32, pluginConfigurationSize: u32): bool {
  enterCallback();
  const result: bool = dispatcher.onConfigure(rootContextId, pluginConfigurationSize);
  collectAfterCallback();
  return result;
}

export function proxy_on_delete(contextId: u32): void {
  enterCallback();
  dispatcher.onDelete(contextId);
  collectAfterCallback();
}
