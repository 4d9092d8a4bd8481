// SPDX-License-Identifier: Apache-2.0
// Bookkeeping of in-flight HTTP callouts: token -> (origin context, callback).
//
// The host runs every callout on the root context and reports the reply to that root with the
// token. The key is (root id, token) so that both current Envoy (per-VM tokens 4, 8, 12, ...) and
// older hosts (per-context counters from 1) are handled. Entries leave the table when their reply
// (success, failure or timeout) arrives, or when their root context is deleted.
import { Status } from "../abi/enums";
import { HeaderPair } from "../headers/pair";
import { HttpCallResult, HttpCallResponse, dispatchHttpCall } from "../hostcalls/http_call";
import { BaseContext } from "./base";

/**
 * Runs once with the reply of a callout. `origin` is the context that started it (your HttpContext
 * or RootContext subclass: cast it). Valid reads: `response.*`; for a stream origin the stream is
 * the effective context, so continueRequest()/sendLocalResponse() act on it.
 */
export type HttpCallCallback = (origin: BaseContext, response: HttpCallResponse) => void;

class PendingCall {
  constructor(public readonly originId: u32, public readonly callback: HttpCallCallback) {}
}

const pending = new Map<u64, PendingCall>();

// @ts-ignore: decorator
@inline function callKey(rootId: u32, token: u32): u64 {
  return (<u64>rootId << 32) | <u64>token;
}

/** Starts a callout for `origin` and registers `callback` for its token (only if the host accepted it). */
export function startHttpCall(
  origin: BaseContext,
  rootId: u32,
  cluster: string,
  headers: HeaderPair[],
  body: Uint8Array | null,
  trailers: HeaderPair[] | null,
  timeoutMilliseconds: u32,
  callback: HttpCallCallback,
): HttpCallResult {
  let result = dispatchHttpCall(cluster, headers, body, trailers, timeoutMilliseconds);
  if (result.status == Status.Ok) pending.set(callKey(rootId, result.token), new PendingCall(origin.id, callback));
  return result;
}

/** Removes and returns the pending call for (root, token), or null if unknown (already answered). */
export function takePendingCall(rootId: u32, token: u32): PendingCall | null {
  let key = callKey(rootId, token);
  if (!pending.has(key)) return null;
  let call = pending.get(key);
  pending.delete(key);
  return call;
}

/** Forgets every call started under `rootId` (the host cancels them when the root goes away). */
export function dropPendingCalls(rootId: u32): void {
  let keys = pending.keys();
  for (let i = 0, n = keys.length; i < n; i++) {
    let key = unchecked(keys[i]);
    if (<u32>(key >> 32) == rootId) pending.delete(key);
  }
}

/** Number of callouts waiting for a reply (for tests and diagnostics). */
export function pendingHttpCallCount(): i32 {
  return pending.size;
}
