// SPDX-License-Identifier: Apache-2.0
// A local reply as a value: status, headers (content-type among them), body, gRPC status and
// Envoy's response code details, built once and sent many times. The one reply type of every
// filter: the responder's rules, the Get Wild 418 and JwtAuthn's 401/403/400 answers are all these.
//
// Replies are often constant (a 418, a maintenance page), so the value keeps everything ready to
// send: the body is encoded to UTF-8 once, the headers are kept as pairs. Sending goes through the
// stream's sendLocalResponse, which returns Action.Pause (the host stops the stream whatever the
// callback returns; Pause is the honest value) and refuses later continue calls.
import { Action, GRPC_STATUS_NONE } from "../abi/enums";
import { HeaderPair } from "../headers/pair";
import { StreamContext } from "../context/stream";

/** Highest gRPC status code (UNAUTHENTICATED); Envoy ignores values outside 0..16. */
export const GRPC_STATUS_MAX: i32 = 16;

export class LocalReply {
  /** Extra response headers, in order; a name may appear more than once (multi-valued). */
  headers: HeaderPair[] = [];
  /** Response body; null for none (Envoy then sends no content-type or content-length). */
  body: Uint8Array | null = null;
  /** gRPC status for gRPC requests, or GRPC_STATUS_NONE (-1) to let Envoy derive it from the status. */
  grpcStatus: i32 = GRPC_STATUS_NONE;

  constructor(
    public status: u32 = 200,
    /** Envoy's response code details (`%RESPONSE_CODE_DETAILS%`); whitespace becomes `_` there. */
    public details: string = "",
  ) {}

  /** Adds one header value (call again with the same name for several values). */
  header(name: string, value: string): LocalReply {
    this.headers.push(new HeaderPair(name, value));
    return this;
  }

  /** Sets the content type (without one, Envoy sends `text/plain` for a non-empty body). */
  contentType(value: string): LocalReply {
    return this.header("content-type", value);
  }

  /** Sets the body from text (sent as UTF-8). An empty string means no body. */
  text(body: string): LocalReply {
    this.body = body.length == 0 ? null : Uint8Array.wrap(String.UTF8.encode(body));
    return this;
  }

  /** Sets the body bytes as given (not copied). An empty array means no body. */
  bytes(body: Uint8Array): LocalReply {
    this.body = body.length == 0 ? null : body;
    return this;
  }

  /**
   * Sets the gRPC status sent to gRPC clients (Envoy answers them with a trailers-only response).
   * Values outside 0..16 mean "none": Envoy would ignore them anyway.
   */
  grpc(code: i32): LocalReply {
    this.grpcStatus = code >= 0 && code <= GRPC_STATUS_MAX ? code : GRPC_STATUS_NONE;
    return this;
  }

  /** Sets the response code details Envoy logs for this reply. */
  withDetails(details: string): LocalReply {
    this.details = details;
    return this;
  }

  /** The body as text ("" for none); for logs and tests. */
  get bodyText(): string {
    let body = this.body;
    return body === null ? "" : String.UTF8.decodeUnsafe(body.dataStart, <usize>body.length);
  }

  /** Body length in bytes. */
  get bodySize(): i32 {
    let body = this.body;
    return body === null ? 0 : body.length;
  }

  /** A copy that can be changed without touching this one (e.g. to extend a shared ready value). */
  clone(): LocalReply {
    let copy = new LocalReply(this.status, this.details);
    copy.headers = this.headers.slice(0);
    copy.body = this.body;
    copy.grpcStatus = this.grpcStatus;
    return copy;
  }

  /**
   * Answers the request of `stream` with this reply and returns Action.Pause: write
   * `return reply.send(this);` in a request callback (or after a callout, on the origin stream).
   */
  send(stream: StreamContext): Action {
    return stream.sendLocalResponse(this.status, this.details, this.body, this.headers, this.grpcStatus);
  }
}
