// SPDX-License-Identifier: Apache-2.0
// The module's proxy-wasm exports: ABI marker, allocator and every callback the SDK implements.
//
// A filter re-exports this file from its entry: `export * from "@getwild/core/assembly/exports";`.
// Signatures are exact (cpp-host rejects a mismatching export with "Bad function signature").
// gRPC and TCP callbacks are not exported: the SDK does not implement them, and an absent
// callback is legal (all callbacks are optional) while a present one must work.
import "./abort"; // puts coreAbort in the program so `--use abort=...coreAbort` resolves
import * as dispatcher from "./context/dispatcher";
import { Runtime } from "shared/runtime";

/**
 * With `--runtime minimal` (no shadow stack and no write barriers: the JWT filters' code is about
 * 40 % smaller than with `incremental`), core collects when the outermost callback returns: no
 * managed reference lives on the stack then, only in globals (the context registry), so a full
 * collection is safe. Envoy does not re-enter the VM from a host call, but should a host do so, the
 * depth count keeps the collection for the outermost return. Constant branches: absent from other
 * runtimes.
 *
 * A full collection marks every live object (configuration, JWKS, the verified-token cache), so it
 * does not run after every callback but once garbage has had room to build up in proportion to
 * memory, as the incremental collector paces itself: after the VM has taken memory/16 bytes from the
 * host (at least 16 KiB; headers, bodies and call responses all arrive through
 * proxy_on_memory_allocate, and per-request garbage is made from them), or after 16 callbacks per
 * page of memory (64 to 4096; garbage made without host data, e.g. a signature check), or at once
 * when memory grew since the last collection. The caps bound the garbage between two collections
 * whatever a request does.
 */
let callbackDepth: i32 = 0;
let callbacksSinceCollect: i32 = 0;
let hostBytesSinceCollect: usize = 0;
let pagesAtCollect: i32 = 0;

// @ts-ignore: decorator
@inline function enterCallback(): void {
  if (ASC_RUNTIME == Runtime.Minimal) callbackDepth++;
}

// @ts-ignore: decorator
@inline function collectAfterCallback(): void {
  if (ASC_RUNTIME == Runtime.Minimal) {
    if (--callbackDepth == 0) collectWhenDue();
  }
}

function collectWhenDue(): void {
  const pages = <i32>memory.size();
  const byteBudget = max<usize>(16 << 10, (<usize>pages) << 12);
  const callbackBudget = min(max(64, pages << 4), 4096);
  if (++callbacksSinceCollect < callbackBudget && hostBytesSinceCollect < byteBudget && pages == pagesAtCollect) return;
  __collect();
  callbacksSinceCollect = 0;
  hostBytesSinceCollect = 0;
  pagesAtCollect = pages;
}

/** ABI marker: Envoy refuses a module without it ("Missing or unknown Proxy-Wasm ABI version"). */
export function proxy_abi_version_0_2_1(): void {}

/**
 * The allocator the host uses for every value it returns. Unmanaged (TLSF `heap.alloc`): it runs
 * no GC step and calls no host function (the host allows only logging inside it); the SDK copies
 * each block into a managed object and frees it. 0 means failure to the host, but AS traps on
 * out-of-memory before that.
 */
export function proxy_on_memory_allocate(size: usize): usize {
  if (ASC_RUNTIME == Runtime.Minimal) hostBytesSinceCollect += size;
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

export function proxy_on_tick(rootContextId: u32): void {
  enterCallback();
  dispatcher.onTick(rootContextId);
  collectAfterCallback();
}

export function proxy_on_queue_ready(rootContextId: u32, queueId: u32): void {
  enterCallback();
  dispatcher.onQueueReady(rootContextId, queueId);
  collectAfterCallback();
}

export function proxy_on_request_headers(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onRequestHeaders(contextId, numHeaders, endOfStream);
  collectAfterCallback();
  return result;
}

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onRequestBody(contextId, bodySize, endOfStream);
  collectAfterCallback();
  return result;
}

export function proxy_on_request_trailers(contextId: u32, numTrailers: u32): u32 {
  enterCallback();
  const result: u32 = dispatcher.onRequestTrailers(contextId, numTrailers);
  collectAfterCallback();
  return result;
}

export function proxy_on_response_headers(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onResponseHeaders(contextId, numHeaders, endOfStream);
  collectAfterCallback();
  return result;
}

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onResponseBody(contextId, bodySize, endOfStream);
  collectAfterCallback();
  return result;
}

export function proxy_on_response_trailers(contextId: u32, numTrailers: u32): u32 {
  enterCallback();
  const result: u32 = dispatcher.onResponseTrailers(contextId, numTrailers);
  collectAfterCallback();
  return result;
}

export function proxy_on_http_call_response(
  rootContextId: u32,
  token: u32,
  numHeaders: u32,
  bodySize: u32,
  numTrailers: u32,
): void {
  enterCallback();
  dispatcher.onHttpCallResponse(rootContextId, token, numHeaders, bodySize, numTrailers);
  collectAfterCallback();
}

export function proxy_on_foreign_function(rootContextId: u32, functionId: u32, argumentsSize: u32): void {
  enterCallback();
  dispatcher.onForeignFunction(rootContextId, functionId, argumentsSize);
  collectAfterCallback();
}

export function proxy_on_log(contextId: u32): void {
  enterCallback();
  dispatcher.onLog(contextId);
  collectAfterCallback();
}

export function proxy_on_done(contextId: u32): bool {
  enterCallback();
  const result: bool = dispatcher.onDone(contextId);
  collectAfterCallback();
  return result;
}

export function proxy_on_delete(contextId: u32): void {
  enterCallback();
  dispatcher.onDelete(contextId);
  collectAfterCallback();
}
