// SPDX-License-Identifier: Apache-2.0
// One HTTP stream through the plugin like Envoy's filter manager drives it: callbacks, stop/resume, buffering, local replies, resets, end of life.
import { Status, type Action } from "./enums.js";
import { HeaderMap, type HeadersInit } from "./header_map.js";
import { utf8, concatBytes } from "./memory.js";
import { StreamView } from "./stream_view.js";
import {
  Direction,
  headersStatus,
  dataStatus,
  trailersStatus,
  type DirectionKind,
  type FilterStatus,
} from "./direction.js";
import { prepareLocalReply, envoyLocalResponse, makeLocalResponse, type LocalResponse } from "./local_reply.js";
import type { BufferRef } from "./direction.js";
import { encodePropertyValue, propertyKey, type PropertyValue } from "./property_value.js";
import { defaultConnection, type ConnectionInfo, type ConnectionOptions } from "./connection.js";
import type { FailurePolicy } from "./enums.js";

export type { ClientResponse } from "./stream_view.js";

export interface SendOptions {
  endOfStream?: boolean;
}

/** A reply Envoy itself sends on a stream (see `HttpStream.sendEnvoyLocalReply`). */
export interface EnvoyLocalReply {
  status: number;
  /** Response code details, e.g. "upstream_response_timeout" (whitespace becomes "_"). */
  details: string;
  body?: string | Uint8Array;
  headers?: HeadersInit;
  /** gRPC status for gRPC clients (default: derived from the HTTP status). */
  grpcStatus?: number;
}

/** What a stream uses of the host-wide state (HostCore implements it). */
export interface StreamHost {
  readonly options: {
    readonly lifecycleOrder: "envoy" | "spec";
    readonly failurePolicy: FailurePolicy;
    readonly bufferLimitBytes: number;
    readonly localReplyThroughFilter: boolean;
  };
  readonly raw: { readonly connection?: ConnectionOptions };
  readonly clock: { nowNs(): bigint };
  nextConnectionId(): number;
  settle<T>(fn: () => T): T;
  defer(fn: () => void): void;
}

/** What a stream uses of the VM it runs on (Vm implements it). */
export interface StreamVm {
  readonly worker: number;
  readonly failed: boolean;
  readonly root: { readonly id: number } | null;
  readonly contexts: {
    set(id: number, context: { kind: "stream"; id: number; stream: HttpStream }): unknown;
    delete(id: number): unknown;
  };
  call(name: string, contextId: number, ...args: (number | bigint)[]): number | undefined;
}

type Invoked = { raw: number | null; forced: boolean } | "fail-open" | "fail-closed";

export class HttpStream extends StreamView {
  readonly startTimeNs: bigint;
  protocol = "HTTP/1.1";
  /** The downstream connection (source.*, destination.*, connection.* properties). */
  readonly connection: ConnectionInfo;
  /** The upstream host once the upstream answered (upstream.* properties); null before and for local replies. */
  upstreamAddress: string | null = null;
  completed = false;
  /** Called once when the request end has passed the filter (the router would now send it upstream). */
  onRequestForwarded: (() => void) | null = null;
  private created = false;
  private localReplySent = false;
  private streamFailed = false;
  private stopIteration = false;
  private localReplyInFlight = false;
  /** on_log is running: Envoy's access-log phase (read-only header maps). */
  private logPhase = false;

  get inLogPhase(): boolean {
    return this.logPhase;
  }

  constructor(
    readonly core: StreamHost,
    readonly vm: StreamVm,
    readonly id: number,
  ) {
    super();
    this.startTimeNs = core.clock.nowNs();
    this.connection = defaultConnection(core.nextConnectionId(), core.raw.connection ?? {});
    vm.contexts.set(id, { kind: "stream", id, stream: this });
  }

  get worker(): number {
    return this.vm.worker;
  }

  // ---- test API: what the client sends, what the upstream answers --------------------------------

  sendRequestHeaders(headers: HeadersInit, opts: SendOptions = {}): Action {
    return this.core.settle(() => this.receiveHeaders(this.request, new HeaderMap(headers), !!opts.endOfStream));
  }

  sendRequestBody(chunk: string | Uint8Array, opts: SendOptions = {}): Action {
    return this.core.settle(() => this.receiveBody(this.request, toBytes(chunk), !!opts.endOfStream));
  }

  sendRequestTrailers(trailers: HeadersInit): Action {
    return this.core.settle(() => this.receiveTrailers(this.request, new HeaderMap(trailers)));
  }

  sendResponseHeaders(headers: HeadersInit, opts: SendOptions = {}): Action {
    this.assertUpstreamMayAnswer();
    this.upstreamAddress ??= this.core.raw.connection?.upstream ?? "127.0.0.1:8080";
    return this.core.settle(() => this.receiveHeaders(this.response, new HeaderMap(headers), !!opts.endOfStream));
  }

  /** After a local reply replaced the response, further upstream data is discarded (like Envoy). */
  sendResponseBody(chunk: string | Uint8Array, opts: SendOptions = {}): Action {
    return this.core.settle(() => this.receiveBody(this.response, toBytes(chunk), !!opts.endOfStream));
  }

  sendResponseTrailers(trailers: HeadersInit): Action {
    return this.core.settle(() => this.receiveTrailers(this.response, new HeaderMap(trailers)));
  }

  /** Ends the stream: on_log → on_done → on_delete (Envoy order; `lifecycleOrder: "spec"` gives done → log → delete). */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.request.closed = this.response.closed = true;
    this.core.settle(() => {
      const vm = this.vm;
      if (!vm.failed) {
        this.ensureCreated();
        const order =
          this.core.options.lifecycleOrder === "spec" ? ["done", "log", "delete"] : ["log", "done", "delete"];
        for (const step of order) {
          this.logPhase = step === "log";
          vm.call(`proxy_on_${step}`, this.id, this.id);
          this.logPhase = false;
        }
      }
      vm.contexts.delete(this.id);
    });
  }

  /**
   * Sends Envoy's own local reply on this stream, as the router or the connection manager does
   * (503 `upstream_reset_before_response_started{connection_failure}`, 504
   * `upstream_response_timeout`, ...): for embedding code that plays the parts of Envoy the host
   * does not model. It is not the plugin's reply (`localResponse` stays as it is; the reply is
   * recorded in `envoyLocalReply`). Like any response it passes through the plugin's response
   * callbacks, whatever `localReplyThroughFilter` says; `details` becomes the response code details.
   * Once response headers reached the client the stream is reset instead, as Envoy does. Returns
   * false, doing nothing, when the stream already ended, was reset or already got its response.
   */
  sendEnvoyLocalReply(reply: EnvoyLocalReply): boolean {
    if (this.completed || this.resetReason || this.response.out.complete || this.envoyLocalReply) return false;
    const body = typeof reply.body === "string" ? utf8(reply.body) : (reply.body ?? new Uint8Array(0));
    const response = makeLocalResponse(
      reply.status,
      reply.details,
      body,
      new HeaderMap(reply.headers).pairs(),
      reply.grpcStatus ?? -1,
    );
    this.envoyLocalReply = response;
    this.localReplySent = true;
    this.core.settle(() => this.sendLocalReply(response, true));
    return true;
  }

  /** Sets a property for this stream only (dotted path or segments), overriding host properties. */
  setProperty(path: string | string[], value: PropertyValue): void {
    this.properties.set(propertyKey(path), encodePropertyValue(value));
  }

  // ---- host-call side ---------------------------------------------------------------------------

  /**
   * The map a host call may use now (Envoy `getMap`/`getConstMap`): only while the filter holds it;
   * in the access-log phase (on_log) request/response headers and response trailers are readable only.
   */
  headerMap(type: number, write: boolean): HeaderMap | null {
    const dir = type < 2 ? this.request : this.response;
    const isHeaders = type === 0 || type === 2;
    if (type > 3) return null;
    if (this.logPhase && !write) {
      if (type === 1) return null;
      return isHeaders ? dir.headers : dir.trailers;
    }
    if (isHeaders) return dir.headersVisible ? dir.headers : null;
    // Envoy adds (empty) trailers when the plugin asks for them in the last body callback.
    if (write && !dir.trailers && dir.inLastBodyCallback) {
      dir.trailers = new HeaderMap();
      dir.trailersVisible = true;
    }
    return dir.trailersVisible ? dir.trailers : null;
  }

  bodyBuffer(kind: DirectionKind): BufferRef | null {
    const dir = kind === "request" ? this.request : this.response;
    if (!dir.bufferVisible) return null;
    return { bytes: () => dir.buffer, replace: (data) => void (dir.buffer = data) };
  }

  /**
   * proxy_send_local_response: recorded now, sent after the callback; the callback's result is forced
   * to stop. A second reply on the stream answers OK and is dropped: Envoy sends the first one only
   * (differential row local-twice).
   */
  requestLocalReply(reply: LocalResponse): Status {
    if (this.completed || this.resetReason) return Status.BadArgument;
    this.stopIteration = true;
    if (this.localReplySent) return Status.Ok;
    this.localReplySent = true;
    this.localResponse = reply;
    this.core.defer(() => this.sendLocalReply(reply));
    return Status.Ok;
  }

  /** proxy_continue_stream (deferred): resume iteration where the filter stopped, delivering what Envoy held. */
  resume(kind: DirectionKind): void {
    const dir = kind === "request" ? this.request : this.response;
    if (dir.closed || this.resetReason) return;
    const at = dir.stoppedAt;
    if (at === null) return;
    dir.stoppedAt = null;
    if (at === "headers") {
      dir.forwardHeaders();
      const body = concatBytes(dir.held);
      const trailers = dir.heldTrailers;
      dir.held = [];
      dir.heldTrailers = null;
      if (dir.inputEnded && body.length === 0 && !trailers && !dir.heldEnd) return this.finish(dir);
      if (body.length > 0 || (dir.heldEnd && !trailers)) this.deliverBody(dir, body, dir.heldEnd && !trailers);
      if (trailers) {
        if (dir.stoppedAt) dir.heldTrailers = trailers;
        else this.deliverTrailers(dir, trailers);
      }
      return;
    }
    dir.forwardBuffer();
    if (at === "trailers") {
      dir.out.trailers = dir.trailers?.clone() ?? null;
      return this.finish(dir);
    }
    if (dir.heldTrailers) {
      const t = dir.heldTrailers;
      dir.heldTrailers = null;
      this.deliverTrailers(dir, t);
      return;
    }
    if (dir.inputEnded) this.finish(dir);
  }

  /**
   * Envoy's `continueStream` forgets the request maps and body as soon as it is called (for either
   * direction): later reads in the same callback already answer BAD_ARGUMENT.
   */
  dropRequestMaps(): void {
    const req = this.request;
    req.headersVisible = false;
    req.trailersVisible = false;
    if (!req.buffering) req.bufferVisible = false;
  }

  /** Resets the stream (proxy_close_stream, local reply too late, buffer overflow after headers were sent). */
  reset(reason: string): void {
    if (this.resetReason || this.completed) return;
    this.resetReason = reason;
    this.responseCodeDetails ??= reason;
    this.request.closed = this.response.closed = true;
    this.core.defer(() => this.complete());
  }

  // ---- the filter-manager model -----------------------------------------------------------------

  private assertUpstreamMayAnswer(): void {
    if (this.localReplySent || this.localReplyInFlight || this.resetReason || this.completed) {
      throw new Error("the stream was already answered locally, reset or completed: no upstream response can be sent");
    }
  }

  private ensureCreated(): void {
    if (this.created || !this.vm.root) return;
    this.created = true;
    this.vm.call("proxy_on_context_create", this.id, this.id, this.vm.root.id);
  }

  /** cpp-host CHECK_FAIL around every callback, then the call itself. */
  private invoke(fn: string, ...args: number[]): Invoked {
    const vm = this.vm;
    if (vm.failed) return this.failMode(false);
    this.ensureCreated();
    if (vm.failed) return this.failMode(true);
    this.stopIteration = false;
    const raw = vm.call(fn, this.id, this.id, ...args);
    if (vm.failed) return this.failMode(true);
    const forced = this.stopIteration;
    this.stopIteration = false;
    return { raw: raw ?? null, forced };
  }

  /**
   * How a callback on a failed VM resolves. The stream whose own callback trapped is answered 503
   * wasm_fail_stream under every policy, FAIL_OPEN included (Envoy 1.40:
   * tests/envoy/test/failure_policy.test.ts); with FAIL_OPEN the other streams skip the filter.
   */
  private failMode(trappedHere: boolean): "fail-open" | "fail-closed" {
    if (this.core.options.failurePolicy === "FAIL_OPEN" && !trappedHere && !this.streamFailed) return "fail-open";
    if (!this.streamFailed) {
      this.streamFailed = true;
      this.localReplySent = true;
      this.envoyLocalReply = envoyLocalResponse(503, "", "wasm_fail_stream", 14);
      const reply = this.envoyLocalReply;
      this.core.defer(() => this.sendLocalReply(reply));
    }
    return "fail-closed";
  }

  private record(status: FilterStatus): Action {
    this.lastStatus = status;
    this.lastAction = status === "Continue" ? "Continue" : "Pause";
    return this.lastAction;
  }

  /** Status for a callback result; a failed VM lets Envoy's own 503 pass the (dead) filter. */
  private resolve<T extends FilterStatus>(
    dir: Direction,
    r: Invoked,
    map: (raw: number) => T,
    forcedStop: T,
  ): T | "Continue" {
    if (r === "fail-open") return "Continue";
    if (r === "fail-closed") return dir.kind === "response" && this.localReplyInFlight ? "Continue" : forcedStop;
    if (r.forced) return forcedStop;
    return r.raw === null ? "Continue" : map(r.raw);
  }

  private receiveHeaders(dir: Direction, headers: HeaderMap, eos: boolean): Action {
    if (dir.headersSeen) throw new Error(`${dir.kind} headers were already sent`);
    dir.headersSeen = true;
    dir.inputEnded = eos;
    if (dir.closed) return this.record("StopAllIterationAndWatermark");
    dir.headers = headers;
    dir.headersVisible = true;
    const r = this.invoke(`proxy_on_${dir.kind}_headers`, headers.count, eos ? 1 : 0);
    const status = this.resolve(dir, r, headersStatus, "StopAllIterationAndWatermark");
    if (status === "Continue") {
      dir.headersVisible = false;
      dir.forwardHeaders();
      if (eos) this.finish(dir);
    } else {
      dir.stoppedAt = "headers";
      dir.stopStatus = status;
    }
    return this.record(status);
  }

  private receiveBody(dir: Direction, chunk: Uint8Array, eos: boolean): Action {
    if (!dir.headersSeen) throw new Error(`${dir.kind} body sent before headers`);
    if (dir.inputEnded) throw new Error(`${dir.kind} already ended`);
    dir.inputEnded = eos;
    dir.receivedBytes += chunk.length;
    if (dir.closed) return this.record("StopIterationNoBuffer");
    if (dir.stoppedAt === "headers") {
      dir.held.push(chunk);
      dir.heldEnd = eos;
      if (dir.stopStatus === "StopAllIterationAndBuffer" && dir.heldSize() > this.core.options.bufferLimitBytes) {
        this.bufferOverflow(dir);
      }
      return this.record(dir.stopStatus);
    }
    return this.deliverBody(dir, chunk, eos);
  }

  private deliverBody(dir: Direction, chunk: Uint8Array, eos: boolean): Action {
    const limit = this.core.options.bufferLimitBytes;
    if (dir.buffering) {
      // Envoy adds the chunk to its buffer before the callback; over the limit the VM is not called.
      dir.buffer = concatBytes([dir.buffer, chunk]);
      if (dir.buffer.length > limit) {
        this.bufferOverflow(dir);
        return this.record("StopIterationAndBuffer");
      }
    } else {
      if (dir.stoppedAt === "body" && dir.stopStatus === "StopIterationAndWatermark") dir.watermarked.push(dir.buffer);
      dir.buffer = chunk;
    }
    dir.bufferVisible = true;
    dir.inLastBodyCallback = eos;
    const r = this.invoke(`proxy_on_${dir.kind}_body`, dir.buffer.length, eos ? 1 : 0);
    dir.inLastBodyCallback = false;
    const status = this.resolve(dir, r, dataStatus, "StopIterationNoBuffer");
    dir.buffering = status === "StopIterationAndBuffer";
    if (status === "Continue") {
      dir.stoppedAt = null;
      dir.forwardBuffer();
      if (eos) {
        if (dir.trailers) dir.out.trailers = dir.trailers.clone();
        this.finish(dir);
      }
    } else if (status === "StopIterationNoBuffer") {
      // The filter consumed the data; Envoy keeps nothing for it.
      dir.buffer = new Uint8Array(0);
      dir.bufferVisible = false;
      dir.stoppedAt = "body";
    } else {
      dir.stoppedAt = "body";
      if (status === "StopIterationAndBuffer" && dir.buffer.length > limit) this.bufferOverflow(dir);
    }
    dir.stopStatus = status;
    return this.record(status);
  }

  private receiveTrailers(dir: Direction, trailers: HeaderMap): Action {
    if (!dir.headersSeen) throw new Error(`${dir.kind} trailers sent before headers`);
    if (dir.inputEnded) throw new Error(`${dir.kind} already ended`);
    dir.inputEnded = true;
    if (dir.closed) return this.record("StopIteration");
    if (dir.stoppedAt === "headers") {
      dir.heldTrailers = trailers;
      return this.record(dir.stopStatus);
    }
    return this.deliverTrailers(dir, trailers);
  }

  private deliverTrailers(dir: Direction, trailers: HeaderMap): Action {
    dir.trailers = trailers;
    dir.trailersVisible = true;
    const r = this.invoke(`proxy_on_${dir.kind}_trailers`, trailers.count);
    const status = this.resolve(dir, r, trailersStatus, "StopIteration");
    if (status === "Continue") {
      dir.trailersVisible = false;
      dir.stoppedAt = null;
      dir.forwardBuffer();
      dir.out.trailers = trailers.clone();
      this.finish(dir);
    } else {
      dir.stoppedAt = "trailers";
      dir.stopStatus = status;
    }
    return this.record(status);
  }

  private finish(dir: Direction): void {
    if (dir.out.complete) return;
    dir.out.complete = true;
    if (dir.kind === "request") this.onRequestForwarded?.();
    else this.localReplyInFlight = false;
  }

  /** Envoy's buffer limit: 413 for a request, 500 for a response not yet started, else a reset. */
  private bufferOverflow(dir: Direction): void {
    dir.closed = true;
    const reply =
      dir.kind === "request"
        ? envoyLocalResponse(413, "Payload Too Large", "request_payload_too_large")
        : envoyLocalResponse(500, "Internal Server Error", "response_payload_too_large");
    this.envoyLocalReply ??= reply;
    this.core.defer(() => this.sendLocalReply(reply));
  }

  /**
   * Envoy `sendLocalReply`: too late once response headers went downstream (the stream is reset); sent
   * directly to the client when the response is already inside the filter; otherwise it runs through
   * this plugin's response callbacks like any response (Envoy sends local replies through the encoder chain).
   */
  private sendLocalReply(reply: LocalResponse, fromEnvoy = false): void {
    if (this.resetReason || this.completed) return;
    const res = this.response;
    if (res.out.headers) {
      this.reset("local_reply_after_response_started");
      return;
    }
    this.responseCodeDetails = reply.details;
    this.request.closed = true;
    this.request.stoppedAt = null;
    this.request.held = [];
    const method = this.request.headers?.get(":method");
    const isGrpc = (this.request.headers?.get("content-type") ?? "").startsWith("application/grpc");
    const prepared = prepareLocalReply(reply, isGrpc, method === "HEAD");
    // localReplyThroughFilter concerns the plugin's own replies; Envoy's always pass the filter.
    if (res.headersSeen || (!fromEnvoy && !this.core.options.localReplyThroughFilter)) {
      res.headersSeen = true;
      res.headers = prepared.headers;
      res.closed = true;
      res.stoppedAt = null;
      res.out = {
        headers: prepared.headers,
        chunks: prepared.body.length ? [prepared.body] : [],
        trailers: null,
        complete: true,
      };
      return;
    }
    this.localReplyInFlight = true;
    this.receiveHeaders(res, prepared.headers, prepared.headersOnly);
    if (!prepared.headersOnly) this.receiveBody(res, prepared.body, true);
  }
}

function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === "string" ? utf8(chunk) : chunk;
}
