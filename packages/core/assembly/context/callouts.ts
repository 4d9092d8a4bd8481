// SPDX-License-Identifier: Apache-2.0
// HTTP callouts delivered to the context that made them: (root id, token) -> (origin, handler).
//
// The host runs every callout on the root context and reports the reply to that root with the
// token. The SDK keeps the caller's handler object by token (as the Rust SDK's dispatcher maps a
// token to its context, and the Go SDK keeps the call's closure), so the reply reaches the code that
// asked, with its state, and no module global is needed to find it. Current Envoy hands out per-VM
// tokens (4, 8, 12, ...); older hosts used per-context counters from 1, so two roots in one VM may
// reuse a token, so an entry is found by (root id, token). A VM has a handful of callouts in
// flight, so they live in one short linked list (less code than a Map in every module, callouts or
// not). Entries leave it when their reply (success, failure or timeout) arrives, or when their
// root context is deleted.
import { Status } from "../abi/enums";
import { Result } from "../abi/result";
import { HeaderPair } from "../headers/pair";
import { HttpCallResponse, dispatchHttpCall } from "../hostcalls/http_call";

/**
 * Receives the outcome of one callout. Subclass it with the state the reply needs (the stream to
 * answer, the key source being fetched) and pass an instance to `httpCall`; `onHttpCallResponse`
 * then runs exactly once, when the reply, the failure (`response.failed`: reset, reply too large)
 * or the timeout (Envoy answers a 504) arrives. For a call made by a stream, the dispatcher made
 * that stream the effective context first, so `continueRequest()` / `sendLocalResponse()` act on
 * it; if the stream ended before the reply, the reply is dropped and the handler is not called.
 */
export abstract class HttpCallHandler {
  abstract onHttpCallResponse(response: HttpCallResponse): void;
}

export class PendingCall {
  next: PendingCall | null = null;
  constructor(
    public readonly rootId: u32,
    public readonly token: u32,
    public readonly originId: u32,
    public readonly handler: HttpCallHandler,
  ) {}
}

let pending: PendingCall | null = null;
let pendingCount: i32 = 0;

/** Starts a callout for context `originId` and registers `handler` for its token (only if the host accepted it). */
export function startHttpCall(
  originId: u32,
  rootId: u32,
  cluster: string,
  headers: HeaderPair[],
  body: Uint8Array | null,
  trailers: HeaderPair[] | null,
  timeoutMilliseconds: u32,
  handler: HttpCallHandler,
): Result<u32> {
  let result = dispatchHttpCall(cluster, headers, body, trailers, timeoutMilliseconds);
  if (result.status == Status.Ok) {
    let call = new PendingCall(rootId, result.value, originId, handler);
    call.next = pending;
    pending = call;
    pendingCount++;
  }
  return result;
}

/**
 * Removes and returns the first pending call that `matches` (root, token) — or, with `anyToken`,
 * any call of that root; null if there is none (unknown token, or already answered).
 */
function unlink(rootId: u32, token: u32, anyToken: bool): PendingCall | null {
  let previous: PendingCall | null = null;
  let call = pending;
  while (call !== null) {
    if (call.rootId == rootId && (anyToken || call.token == token)) {
      if (previous !== null) previous.next = call.next;
      else pending = call.next;
      pendingCount--;
      return call;
    }
    previous = call;
    call = call.next;
  }
  return null;
}

/** Removes and returns the pending call for (root, token), or null if unknown (already answered). */
export function takePendingCall(rootId: u32, token: u32): PendingCall | null {
  return unlink(rootId, token, false);
}

/** Forgets every call started under `rootId` (the host cancels them when the root goes away). */
export function dropPendingCalls(rootId: u32): void {
  while (unlink(rootId, 0, true) !== null) {}
}

/** Number of callouts waiting for a reply (for tests and diagnostics). */
export function pendingHttpCallCount(): i32 {
  return pendingCount;
}
