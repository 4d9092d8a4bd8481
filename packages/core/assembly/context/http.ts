// SPDX-License-Identifier: Apache-2.0
// The HTTP stream context base class: one per request, created by the root context, no-op defaults.
import { BaseContext } from "./base";
import { RootContext } from "./root";
import { Action, Status, StreamType, GRPC_STATUS_NONE } from "../abi/enums";
import { setLastStatus, statusName } from "../abi/status";
import { logError } from "../hostcalls/log";
import { HeaderMap } from "../headers/header_map";
import { HeaderPair } from "../headers/pair";
import { requestHeaders, responseHeaders, requestTrailers, responseTrailers } from "../hostcalls/headers";
import { continueStream, closeStream } from "../hostcalls/stream";
import { sendLocalResponse } from "../hostcalls/local_response";
import { HttpCallCallback, startHttpCall } from "./callouts";
import { HttpCallResult } from "../hostcalls/http_call";

/**
 * Base class for per-request logic. Envoy's order for one stream:
 * onRequestHeaders -> onRequestBody* -> onRequestTrailers? -> onResponseHeaders -> onResponseBody*
 * -> onResponseTrailers? -> onLog -> onDone -> onDelete. Body and trailer callbacks only happen when
 * the message has them. Return `Action.Pause` to hold the stream until `continueRequest()` /
 * `continueResponse()` (e.g. from a callout callback) or `sendLocalResponse()`.
 */
export class HttpContext extends BaseContext {
  /** True once this stream was answered with `sendLocalResponse` (continue calls become no-ops). */
  localResponseSent: bool = false;
  /** Set while the current callback sent a local response; the dispatcher then returns Pause. */
  localResponseInCallback: bool = false;

  constructor(id: u32, public readonly root: RootContext) {
    super(id);
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action { return Action.Continue; }
  onRequestBody(bodySize: u32, endOfStream: bool): Action { return Action.Continue; }
  onRequestTrailers(numTrailers: u32): Action { return Action.Continue; }
  /** May also run for this plugin's own local response (Envoy sends it through the filter chain). */
  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action { return Action.Continue; }
  onResponseBody(bodySize: u32, endOfStream: bool): Action { return Action.Continue; }
  onResponseTrailers(numTrailers: u32): Action { return Action.Continue; }
  /** Access-log phase: request and response headers are still readable. */
  onLog(): void {}
  /** Stream finished. Return value is ignored for streams (kept for the ABI). */
  onDone(): bool { return true; }
  /** Last call; the dispatcher forgets this context afterwards. */
  onDelete(): void {}

  // ---- Header maps of this stream: each valid in its own callback (and while paused there) and in
  // onLog; Envoy forgets request headers once onRequestHeaders continues, so keep copies of what
  // response callbacks need. ----
  get requestHeaders(): HeaderMap { return requestHeaders; }
  get responseHeaders(): HeaderMap { return responseHeaders; }
  get requestTrailers(): HeaderMap { return requestTrailers; }
  get responseTrailers(): HeaderMap { return responseTrailers; }

  /**
   * Resumes a paused request. Deferred by the host until the current callback returns. A no-op
   * returning BadArgument after `sendLocalResponse` (continuing an answered stream is a bug).
   */
  continueRequest(): Status {
    if (this.localResponseSent) return setLastStatus(Status.BadArgument);
    return continueStream(StreamType.HttpRequest);
  }

  /** Resumes a paused response; same rules as `continueRequest`. */
  continueResponse(): Status {
    if (this.localResponseSent) return setLastStatus(Status.BadArgument);
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
   * this callback, and later continue calls are refused. From a callout callback it just answers the
   * originating stream (the dispatcher made it the effective context). `lastStatus()` holds the
   * host's result. `grpcStatus` -1 means none.
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
      // Rare (e.g. after response headers were sent). Say so: the stream stays paused.
      logError("sendLocalResponse(" + statusCode.toString() + ") failed: " + statusName(status));
      setLastStatus(status);
    }
    return Action.Pause;
  }

  /**
   * Starts an HTTP callout to an Envoy cluster. `headers` must include `:method`, `:path` and
   * `:authority`. `callback(origin, response)` runs once with this context as `origin` (cast it to
   * your class), after the dispatcher made this stream the effective context, so it may call
   * `continueRequest()` or `sendLocalResponse()`. If the stream is gone by then, the reply is dropped.
   * Typical use: return `Action.Pause` from the callback that started the call.
   */
  httpCall(
    cluster: string,
    headers: HeaderPair[],
    body: Uint8Array | null,
    trailers: HeaderPair[] | null,
    timeoutMilliseconds: u32,
    callback: HttpCallCallback,
  ): HttpCallResult {
    return startHttpCall(this, this.root.id, cluster, headers, body, trailers, timeoutMilliseconds, callback);
  }
}
