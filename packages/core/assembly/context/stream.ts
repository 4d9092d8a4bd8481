// SPDX-License-Identifier: Apache-2.0
// The HTTP stream context: one per request, created by the root context, no-op defaults. Filters
// extend HttpContext<R> (./http.ts), which adds the typed root; the dispatcher and the registry
// only need this untyped part.
import { BaseContext } from "./base";
import { Action, Status, StreamType, GRPC_STATUS_NONE } from "../abi/enums";
import { statusName } from "../abi/status";
import { Result } from "../abi/result";
import { logError } from "../hostcalls/log";
import { HeaderMap } from "../headers/header_map";
import { HeaderPair } from "../headers/pair";
import { requestHeaders, responseHeaders, requestTrailers, responseTrailers } from "../hostcalls/headers";
import { continueStream, closeStream } from "../hostcalls/stream";
import { sendLocalResponse } from "../hostcalls/local_response";
import { HttpCallHandler, startHttpCall } from "./callouts";

/**
 * Per-request logic. Envoy's order for one stream:
 * onRequestHeaders -> onRequestBody* -> onRequestTrailers? -> onResponseHeaders -> onResponseBody*
 * -> onResponseTrailers? -> onLog -> onDone -> onDelete. Body and trailer callbacks only happen when
 * the message has them. Return `Action.Pause` to hold the stream until `continueRequest()` /
 * `continueResponse()` (e.g. from a callout handler) or `sendLocalResponse()`.
 */
export class StreamContext extends BaseContext {
  /** True once this stream was answered with `sendLocalResponse` (continue calls become no-ops). */
  localResponseSent: bool = false;
  /** Set while the current callback sent a local response; the dispatcher then returns Pause. */
  localResponseInCallback: bool = false;

  /** `rootContextId`: the root that created this stream (its callouts run there). */
  constructor(
    id: u32,
    public readonly rootContextId: u32,
  ) {
    super(id);
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    return Action.Continue;
  }
  onRequestBody(bodySize: u32, endOfStream: bool): Action {
    return Action.Continue;
  }
  onRequestTrailers(numTrailers: u32): Action {
    return Action.Continue;
  }
  /** May also run for this plugin's own local response (Envoy sends it through the filter chain). */
  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action {
    return Action.Continue;
  }
  onResponseBody(bodySize: u32, endOfStream: bool): Action {
    return Action.Continue;
  }
  onResponseTrailers(numTrailers: u32): Action {
    return Action.Continue;
  }
  /** Access-log phase: request and response headers are still readable. */
  onLog(): void {}
  /** Stream finished. Return value is ignored for streams (kept for the ABI). */
  onDone(): bool {
    return true;
  }
  /** Last call; the dispatcher forgets this context afterwards. */
  onDelete(): void {}

  // ---- Header maps of this stream: each valid in its own callback (and while paused there) and in
  // onLog; Envoy forgets request headers once onRequestHeaders continues, so keep copies of what
  // response callbacks need. ----
  get requestHeaders(): HeaderMap {
    return requestHeaders;
  }
  get responseHeaders(): HeaderMap {
    return responseHeaders;
  }
  get requestTrailers(): HeaderMap {
    return requestTrailers;
  }
  get responseTrailers(): HeaderMap {
    return responseTrailers;
  }

  /**
   * Resumes a paused request. Deferred by the host until the current callback returns. A no-op
   * returning BadArgument after `sendLocalResponse` (continuing an answered stream is a bug).
   */
  continueRequest(): Status {
    if (this.localResponseSent) return Status.BadArgument;
    return continueStream(StreamType.HttpRequest);
  }

  /** Resumes a paused response; same rules as `continueRequest`. */
  continueResponse(): Status {
    if (this.localResponseSent) return Status.BadArgument;
    return continueStream(StreamType.HttpResponse);
  }

  /** Resets the stream (both directions; deferred by the host). */
  closeStream(): Status {
    return closeStream(StreamType.HttpRequest);
  }

  /**
   * Answers the request without the upstream. Always returns `Action.Pause`: write
   * `return this.sendLocalResponse(...)` in a callback. The host sends the reply after the callback
   * returns and forces the stream to stop whatever is returned; the dispatcher also returns Pause for
   * this callback, and later continue calls are refused. From a callout handler it just answers the
   * originating stream (the dispatcher made it the effective context). If the host refuses (rare:
   * e.g. after response headers went out), the failure is logged and `localResponseSent` stays
   * false. `grpcStatus` -1 means none.
   */
  sendLocalResponse(
    statusCode: u32,
    details: string = "",
    body: Uint8Array | null = null,
    headers: HeaderPair[] | null = null,
    grpcStatus: i32 = GRPC_STATUS_NONE,
  ): Action {
    let status = sendLocalResponse(statusCode, details, body, headers, grpcStatus);
    if (status == Status.Ok) {
      this.localResponseSent = true;
      this.localResponseInCallback = true;
    } else {
      // Say so: the stream stays paused.
      logError("sendLocalResponse(" + statusCode.toString() + ") failed: " + statusName(status));
    }
    return Action.Pause;
  }

  /**
   * Starts an HTTP callout to an Envoy cluster; `value` is its token when `status` is Ok.
   * `headers` must include `:method`, `:path` and `:authority` (else BadArgument, as for an unknown
   * cluster). `handler.onHttpCallResponse` runs once with the outcome, this stream made effective
   * (see HttpCallHandler). Typical use: return `Action.Pause` from the callback that started it.
   */
  httpCall(
    cluster: string,
    headers: HeaderPair[],
    body: Uint8Array | null,
    trailers: HeaderPair[] | null,
    timeoutMilliseconds: u32,
    handler: HttpCallHandler,
  ): Result<u32> {
    return startHttpCall(this.id, this.rootContextId, cluster, headers, body, trailers, timeoutMilliseconds, handler);
  }
}
