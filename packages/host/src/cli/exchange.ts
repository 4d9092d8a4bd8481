// SPDX-License-Identifier: Apache-2.0
// One client request through the filter like Envoy's HTTP connection manager: client -> request callbacks -> upstream -> response callbacks -> client.
//
// The host's HttpStream does the filter-manager work (stop/resume, buffering, local replies); this
// class moves bytes between real sockets and that stream. After every event (client data, upstream
// data, a callout reply, a tick) `pump()` looks at what has passed the filter in each direction and
// forwards what is new. Bodies stream through unless the filter stops iteration, in which case the
// host holds or buffers them; a message the filter finished before it was forwarded gets an exact
// content-length, one still in flight is sent chunked (the filter may change its size).
import http, { type IncomingMessage, type ServerResponse, type ClientRequest } from "node:http";
import { randomUUID } from "node:crypto";
import type { Host, HttpStream } from "../index.js";
import { hostnameOf, portOf, pathPrefixOf } from "../url_parts.js";
import {
  ROUTER_CONNECT_FAILURE,
  ROUTER_CONNECTION_TERMINATION,
  ROUTER_TIMEOUT,
  type RouterReply,
} from "../router_replies.js";
import { pairsFromRaw, nodeHeaders, trailerObject, headerRecord } from "./http_headers.js";
import { headerFromNode as fromWire, headerToNode as toWire } from "../header_text.js";

/** Envoy's default route timeout: no upstream response headers 15 s after the request ended. */
export const ROUTE_TIMEOUT_MS = 15_000;

export interface ExchangeEnv {
  host: Host;
  upstream: URL;
  routeTimeoutMs: number;
  /** Access log sink (one line per finished request), or null. */
  accessLog: ((line: string) => void) | null;
  /** Called once when the exchange is over (answered, reset or abandoned). */
  finished(exchange: Exchange): void;
}

const EMPTY = new Uint8Array(0);
const NO_BODY_STATUS = new Set([204, 304]);

export class Exchange {
  readonly stream: HttpStream;
  private readonly startedAt = Date.now();
  private upstreamReq: ClientRequest | null = null;
  private upstreamRes: IncomingMessage | null = null;
  private upstreamChunksSent = 0;
  private upstreamChunked = false;
  /** Bytes still owed to the upstream under a content-length (null: chunked). */
  private upstreamBytesLeft: number | null = null;
  private clientBytesLeft: number | null = null;
  private upstreamEnded = false;
  private clientHeadersSent = false;
  private clientChunksSent = 0;
  private clientChunked = false;
  private routeTimer: ReturnType<typeof setTimeout> | null = null;
  private done = false;
  private readonly method: string;

  constructor(
    private readonly env: ExchangeEnv,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.stream = env.host.newHttpStream();
    this.method = req.method ?? "GET";
  }

  /** Sends the request headers (and then the body as it arrives) into the filter. */
  start(): void {
    const { req, stream } = this;
    const path = requestPath(req.url ?? "/");
    // Envoy's codec refuses an absolute URL it cannot parse before any filter runs.
    if (path === null) return this.badRequest();
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    this.res.on("close", () => {
      if (!this.done) this.abandon("downstream_remote_disconnect");
    });
    this.guard(() => stream.sendRequestHeaders(this.requestHeaders(path), { endOfStream: !hasBody }));
    if (!hasBody) {
      req.resume();
      return;
    }
    req.on("data", (chunk: Buffer) =>
      this.guard(() => stream.sendRequestBody(new Uint8Array(chunk), { endOfStream: false })),
    );
    req.on("end", () =>
      this.guard(() => {
        if (req.rawTrailers.length > 0) stream.sendRequestTrailers(pairsFromRaw(req.rawTrailers));
        else stream.sendRequestBody(EMPTY, { endOfStream: true });
      }),
    );
  }

  /** Forwards whatever passed the filter since the last call, in both directions. */
  pump(): void {
    if (this.done) return;
    try {
      this.pumpOnce();
    } catch (e) {
      this.internalError(e as Error);
    }
  }

  private guard(step: () => unknown): void {
    if (this.done || this.stream.completed) return;
    try {
      step();
    } catch (e) {
      this.internalError(e as Error);
      return;
    }
    this.pump();
  }

  private requestHeaders(path: string): [string, string][] {
    const { req } = this;
    // node:http already answered `Expect: 100-continue`; Envoy does the same and removes the header.
    const rest = pairsFromRaw(req.rawHeaders, ["host", "expect"]);
    const pairs: [string, string][] = [
      [":authority", req.headers.host === undefined ? "localhost" : fromWire(req.headers.host)],
      [":path", path],
      [":method", this.method],
      [":scheme", "http"],
      ...rest,
    ];
    // Envoy at the edge sets the scheme the client used and a request id when there is none.
    if (!rest.some(([n]) => n === "x-forwarded-proto")) pairs.push(["x-forwarded-proto", "http"]);
    if (!rest.some(([n]) => n === "x-request-id")) pairs.push(["x-request-id", randomUUID()]);
    return pairs;
  }

  /** True once the response comes from somewhere other than the upstream (a local reply, Envoy's 413/503). */
  private get answeredLocally(): boolean {
    const s = this.stream;
    return this.upstreamRes === null && (s.response.headersSeen || s.request.closed);
  }

  private pumpOnce(): void {
    const s = this.stream;
    if (s.resetReason) return this.abort(s.resetReason);
    if (this.answeredLocally) {
      this.dropUpstream();
    } else if (s.request.out.headers) {
      if (!this.upstreamReq) this.startUpstream();
      this.forwardRequestBody();
    }
    this.forwardResponse();
  }

  // ---- towards the upstream ---------------------------------------------------------------------

  private startUpstream(): void {
    const out = this.stream.request.out;
    const h = out.headers!;
    // Host first, as Envoy writes :authority ahead of the other headers.
    const headers = headerRecord<string | string[]>();
    headers.host = toWire(h.get(":authority") ?? this.env.upstream.host);
    Object.assign(headers, nodeHeaders(h, ["content-length", "host"]));
    const framing = bodyFraming(out.complete, out.chunks, h.get("content-length"));
    if (framing.contentLength !== null) headers["content-length"] = String(framing.contentLength);
    // Envoy's router tells the upstream how long it will wait.
    headers["x-envoy-expected-rq-timeout-ms"] = String(this.env.routeTimeoutMs);
    this.upstreamChunked = framing.contentLength === null;
    this.upstreamBytesLeft = framing.contentLength;
    const upstream = this.env.upstream;
    const req = http.request({
      hostname: hostnameOf(upstream),
      port: portOf(upstream),
      method: h.get(":method") ?? this.method,
      path: pathPrefixOf(upstream) + (h.get(":path") ?? "/"),
      headers,
      setHost: false,
    });
    // node would add `connection: keep-alive`; Envoy sends no connection header (HTTP/1.1 keeps it open).
    if (!req.headersSent) req.removeHeader("connection");
    this.upstreamReq = req;
    req.on("response", (res) => this.onUpstreamResponse(res));
    req.on("error", (e) => this.onUpstreamError(e));
  }

  private forwardRequestBody(): void {
    const req = this.upstreamReq;
    const out = this.stream.request.out;
    if (!req || this.upstreamEnded) return;
    while (this.upstreamChunksSent < out.chunks.length) {
      const chunk = out.chunks[this.upstreamChunksSent++]!;
      if (this.upstreamBytesLeft !== null) this.upstreamBytesLeft -= chunk.length;
      if (chunk.length > 0) req.write(chunk);
    }
    if (
      this.upstreamBytesLeft !== null &&
      (this.upstreamBytesLeft < 0 || (out.complete && this.upstreamBytesLeft > 0))
    ) {
      return this.framingError("request", this.upstreamBytesLeft);
    }
    if (!out.complete) return;
    this.upstreamEnded = true;
    if (out.trailers && this.upstreamChunked && out.trailers.count > 0) req.addTrailers(trailerObject(out.trailers));
    req.end();
    this.routeTimer = setTimeout(() => this.onRouteTimeout(), this.env.routeTimeoutMs);
  }

  private onUpstreamResponse(res: IncomingMessage): void {
    if (this.done || this.answeredLocally || this.stream.resetReason) {
      res.resume();
      return;
    }
    this.upstreamRes = res;
    if (this.routeTimer) clearTimeout(this.routeTimer);
    const status = res.statusCode ?? 502;
    const headers: [string, string][] = [[":status", String(status)], ...pairsFromRaw(res.rawHeaders)];
    const noBody = this.method === "HEAD" || NO_BODY_STATUS.has(status) || res.headers["content-length"] === "0";
    const s = this.stream;
    s.responseCodeDetails ??= "via_upstream";
    this.guard(() => s.sendResponseHeaders(headers, { endOfStream: noBody }));
    if (noBody) {
      res.resume();
      return;
    }
    // Once the filter answered locally from a response callback, the rest of the upstream reply is dropped.
    const answered = () => s.response.closed || s.localResponse !== null;
    res.on("data", (chunk: Buffer) =>
      this.guard(() =>
        answered() ? res.destroy() : s.sendResponseBody(new Uint8Array(chunk), { endOfStream: false }),
      ),
    );
    res.on("end", () =>
      this.guard(() => {
        if (answered()) return;
        if (res.rawTrailers.length > 0) s.sendResponseTrailers(pairsFromRaw(res.rawTrailers));
        else s.sendResponseBody(EMPTY, { endOfStream: true });
      }),
    );
    res.on("aborted", () => this.upstreamReset());
    res.on("error", () => this.upstreamReset());
  }

  private upstreamReset(): void {
    if (this.done || this.stream.response.out.complete) return;
    this.stream.reset("upstream_reset_after_response_started");
    this.pump();
  }

  private onUpstreamError(e: Error): void {
    if (this.done || this.upstreamReq === null || this.answeredLocally) return;
    if (this.upstreamRes) return this.upstreamReset();
    if (this.routeTimer) clearTimeout(this.routeTimer);
    this.envoyReply(
      (e as NodeJS.ErrnoException).code === "ECONNREFUSED" ? ROUTER_CONNECT_FAILURE : ROUTER_CONNECTION_TERMINATION,
    );
  }

  private onRouteTimeout(): void {
    if (this.done || this.upstreamRes) return;
    this.dropUpstream();
    this.envoyReply(ROUTER_TIMEOUT);
  }

  private dropUpstream(): void {
    if (this.routeTimer) clearTimeout(this.routeTimer);
    const req = this.upstreamReq;
    if (req && !req.destroyed) req.destroy();
    this.upstreamRes?.resume();
  }

  /** A reply Envoy itself generates (not the plugin's); like any response it passes through the response callbacks. */
  private envoyReply({ status, body, details }: RouterReply): void {
    this.guard(() => this.stream.sendEnvoyLocalReply({ status, body, details }));
  }

  // ---- towards the client -----------------------------------------------------------------------

  private forwardResponse(): void {
    const out = this.stream.response.out;
    const res = this.res;
    if (!out.headers) return;
    if (!this.clientHeadersSent) {
      this.clientHeadersSent = true;
      const status = Number(out.headers.get(":status")) || 502;
      const headers = nodeHeaders(out.headers);
      const noBody = this.method === "HEAD" || NO_BODY_STATUS.has(status) || status < 200;
      if (!noBody) {
        delete headers["content-length"];
        const framing = bodyFraming(out.complete, out.chunks, out.headers.get("content-length"));
        // A response already complete without a body (a local reply without one) ends with its
        // headers: Envoy's codec then writes content-length: 0, not an empty chunked body.
        if (framing.contentLength === null && out.complete && out.chunks.every((c) => c.length === 0))
          framing.contentLength = 0;
        if (framing.contentLength !== null) headers["content-length"] = String(framing.contentLength);
        this.clientChunked = framing.contentLength === null;
        this.clientBytesLeft = framing.contentLength;
      }
      try {
        res.writeHead(status, headers);
      } catch (e) {
        // node refuses what HTTP/1.1 cannot carry (a status outside 100..999, CR/LF in a value...).
        return this.unsendable((e as Error).message);
      }
    }
    while (this.clientChunksSent < out.chunks.length) {
      const chunk = out.chunks[this.clientChunksSent++]!;
      if (this.clientBytesLeft !== null) this.clientBytesLeft -= chunk.length;
      if (chunk.length > 0 && this.method !== "HEAD") res.write(chunk);
    }
    if (this.clientBytesLeft !== null && (this.clientBytesLeft < 0 || (out.complete && this.clientBytesLeft > 0))) {
      return this.framingError("response", this.clientBytesLeft);
    }
    if (!out.complete) return;
    if (out.trailers && this.clientChunked && out.trailers.count > 0) res.addTrailers(trailerObject(out.trailers));
    res.end();
    this.finish();
  }

  // ---- endings ----------------------------------------------------------------------------------

  /**
   * The filter changed a body's size while it streamed under a content-length it left in place:
   * the message cannot be framed, so the stream is reset (Envoy's codec fails it the same way).
   */
  private framingError(direction: "request" | "response", bytesLeft: number): void {
    const what = bytesLeft < 0 ? `${-bytesLeft} bytes more` : `${bytesLeft} bytes fewer`;
    console.error(
      `getwild serve: ${this.method} ${this.req.url}: the filter sent ${what} than the ${direction}'s content-length; ` +
        "remove content-length in the headers callback when changing a streamed body",
    );
    this.stream.reset(`${direction}_content_length_mismatch`);
    this.abort(`${direction}_content_length_mismatch`);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.routeTimer) clearTimeout(this.routeTimer);
    const s = this.stream;
    s.complete();
    const status = Number(s.response.out.headers?.get(":status") ?? 0);
    this.env.accessLog?.(
      `${this.method} ${this.req.url} -> ${status || "reset"} ${s.responseCodeDetails ?? ""} ${Date.now() - this.startedAt}ms`,
    );
    this.env.finished(this);
  }

  /**
   * The stream was reset (by the filter, a late local reply, or an upstream reset): drop both
   * connections. Response headers that already passed the filter are sent first, as Envoy does
   * (its client sees the status and headers, then the connection closes mid-body).
   */
  private abort(reason: string): void {
    this.dropUpstream();
    const socket = this.res.socket;
    const out = this.stream.response.out;
    const bodyStarted = out.chunks.slice(0, this.clientChunksSent).some((c) => c.length > 0);
    if (this.clientHeadersSent && !bodyStarted && socket && !socket.destroyed) {
      // node holds written headers until the first body bytes: send them, then close once written.
      // Once body bytes went out the connection is dropped at once, so a client never takes a
      // mis-framed body for a whole one.
      this.res.flushHeaders();
      socket.destroySoon();
    } else if (!this.res.destroyed) {
      this.res.destroy();
    }
    this.stream.complete();
    this.done = true;
    this.env.accessLog?.(`${this.method} ${this.req.url} -> reset ${reason} ${Date.now() - this.startedAt}ms`);
    this.env.finished(this);
  }

  /** The client went away first. */
  private abandon(reason: string): void {
    if (!this.stream.completed) this.stream.reset(reason);
    this.abort(reason);
  }

  /** The request line's URL cannot be parsed: 400 without request callbacks; the stream is ended like the other early endings. */
  private badRequest(): void {
    this.res.writeHead(400, { "content-type": "text/plain", connection: "close" });
    this.res.end("Bad Request\n");
    this.stream.complete();
    this.done = true;
    this.env.accessLog?.(`${this.method} ${this.req.url} -> 400 http1.codec_error ${Date.now() - this.startedAt}ms`);
    this.env.finished(this);
  }

  /** The filter produced response headers that cannot be sent: say why, answer 502. */
  private unsendable(why: string): void {
    console.error(
      `getwild serve: ${this.method} ${this.req.url}: the response headers after the filter cannot be sent: ${why}`,
    );
    this.res.writeHead(502, { "content-type": "text/plain" });
    this.res.end(`getwild serve: the response headers after the filter cannot be sent: ${why}\n`);
    this.dropUpstream();
    if (!this.stream.completed) this.stream.complete();
    this.done = true;
    this.env.accessLog?.(
      `${this.method} ${this.req.url} -> 502 unsendable_response_headers ${Date.now() - this.startedAt}ms`,
    );
    this.env.finished(this);
  }

  /** A bug in the proxy itself: answer 500 if nothing was sent yet, otherwise drop the connection. */
  private internalError(e: Error): void {
    console.error(`getwild serve: internal error on ${this.method} ${this.req.url}: ${e.stack ?? e.message}`);
    if (!this.clientHeadersSent && !this.res.headersSent) {
      this.res.writeHead(500, { "content-type": "text/plain" });
      this.res.end("getwild serve: internal error\n");
    } else if (!this.res.destroyed) {
      this.res.destroy();
    }
    this.dropUpstream();
    if (!this.stream.completed) this.stream.complete();
    this.done = true;
    this.env.finished(this);
  }
}

/**
 * How to frame a body: a message already complete at the filter gets its exact length; one still
 * streaming keeps the content-length the filter left in its headers (as Envoy forwards it), or is
 * sent chunked when there is none.
 */
function bodyFraming(
  complete: boolean,
  chunks: Uint8Array[],
  declared: string | undefined,
): { contentLength: number | null } {
  if (complete) {
    const size = chunks.reduce((n, c) => n + c.length, 0);
    return { contentLength: size > 0 || declared !== undefined ? size : null };
  }
  const n = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : null;
  return { contentLength: n };
}

/** The `:path` of a request line: an absolute URL is reduced to path and query; null when it does not parse. */
function requestPath(target: string): string | null {
  if (!/^https?:\/\//i.test(target)) return target;
  if (!URL.canParse(target)) return null;
  const url = new URL(target);
  return url.pathname + url.search;
}
