// SPDX-License-Identifier: Apache-2.0
// Bookkeeping of in-flight HTTP callouts: (root id, token) -> (origin context, callback).
//
// The host runs every callout on the root context and reports the reply to that root with the
// token. Current Envoy hands out per-VM tokens (4, 8, 12, ...); older hosts used per-context counters
// from 1, so two roots in one VM may reuse a token. Entries are therefore found by token and then
// matched on the root id (a short chain per token). They leave the table when their reply (success,
// failure or timeout) arrives, or when their root context is deleted.
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

export class PendingCall {
  next: PendingCall | null = null;
  constructor(
    public readonly rootId: u32,
    public readonly originId: u32,
    public readonly callback: HttpCallCallback,
  ) {}
}

const pending = new Map<u32, PendingCall>();
let pendingCount: i32 = 0;

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
  if (result.status == Status.Ok) {
    let call = new PendingCall(rootId, origin.id, callback);
    if (pending.has(result.token)) call.next = pending.get(result.token);
    pending.set(result.token, call);
    pendingCount++;
  }
  return result;
}

/** Removes and returns the pending call for (root, token), or null if unknown (already answered). */
export function takePendingCall(rootId: u32, token: u32): PendingCall | null {
  if (!pending.has(token)) return null;
  let previous: PendingCall | null = null;
  let call: PendingCall | null = pending.get(token);
  while (call !== null) {
    if (call.rootId == rootId) {
      let rest = call.next;
      if (previous !== null) previous.next = rest;
      else if (rest !== null) pending.set(token, rest);
      else pending.delete(token);
      pendingCount--;
      return call;
    }
    previous = call;
    call = call.next;
  }
  return null;
}

/** Forgets every call started under `rootId` (the host cancels them when the root goes away). */
export function dropPendingCalls(rootId: u32): void {
  let tokens = pending.keys();
  for (let i = 0, n = tokens.length; i < n; i++) {
    let token = unchecked(tokens[i]);
    while (takePendingCall(rootId, token) !== null) {}
  }
}

/** Number of callouts waiting for a reply (for tests and diagnostics). */
export function pendingHttpCallCount(): i32 {
  return pendingCount;
}
