// SPDX-License-Identifier: Apache-2.0
// HTTP callouts (spec: "HTTP calls"): starting a call and reading its reply.
//
// `dispatchHttpCall` is valid in any callback after the VM started (not in _initialize). The host
// runs the call on the ROOT context; its reply arrives as proxy_on_http_call_response on the root,
// which the dispatcher routes to the callback registered for the token (see context/callouts.ts).
// `HttpCallResponse` reads the reply; it is valid only during that callback (the host drops the
// reply buffers afterwards). Failure (reset, response too large) arrives with zero headers and
// proxy_get_status = BrokenConnection "reset"; a timeout arrives as an Envoy 504 reply.
import { Status, BufferType } from "../abi/enums";
import { fromHost, mapStatus } from "../abi/status";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_http_call, proxy_get_status } from "../abi/imports";
import {
  borrowScratch, releaseScratch, maxUtf8Size, writeUtf8, clearOut, OUT_PTR, OUT_SIZE, OUT_WORD, outWord,
  takeOutString,
} from "../abi/memory";
import { HeaderPair } from "../headers/pair";
import { encodedPairsSize, encodePairsUnsafe } from "../headers/serde";
import { httpCallResponseHeaders, httpCallResponseTrailers } from "./headers";
import { getBufferBytes } from "./buffers";

/** Result of starting a callout: `token` is meaningful only when `status` is Ok. */
export class HttpCallResult {
  constructor(public readonly status: Status, public readonly token: u32) {}

  /** True if the host accepted the call (its callback will run exactly once, unless the stream ends). */
  get started(): bool {
    return this.status == Status.Ok;
  }
}

/**
 * Starts a callout (raw: no callback bookkeeping; filters use HttpContext/RootContext.httpCall).
 * BadArgument: unknown cluster, missing `:method`/`:path`/`:authority`; InternalFailure: send failed.
 */
export function dispatchHttpCall(
  cluster: string,
  headers: HeaderPair[],
  body: Uint8Array | null,
  trailers: HeaderPair[] | null,
  timeoutMilliseconds: u32,
): HttpCallResult {
  if (initializing()) return new HttpCallResult(refuseDuringInitialize("proxy_http_call"), 0);
  let clusterMax = maxUtf8Size(cluster);
  let headersMax = encodedPairsSize(headers);
  let trailersMax: usize = trailers === null ? 0 : encodedPairsSize(trailers);
  let buffer = borrowScratch(clusterMax + headersMax + trailersMax);
  let clusterLen = writeUtf8(cluster, buffer);
  let headersPtr = buffer + clusterLen;
  let headersLen = encodePairsUnsafe(headers, headersPtr, true);
  let trailersPtr = headersPtr + headersLen;
  let trailersLen: usize = trailers === null ? 0 : encodePairsUnsafe(trailers, trailersPtr, true);
  let bodyPtr: usize = body === null ? 0 : body.dataStart;
  let bodyLen: usize = body === null ? 0 : <usize>body.byteLength;
  clearOut();
  let status = fromHost(proxy_http_call(
    buffer, clusterLen, headersPtr, headersLen, bodyPtr, bodyLen,
    trailersLen == 0 ? 0 : trailersPtr, trailersLen, timeoutMilliseconds, OUT_WORD));
  releaseScratch(buffer);
  return new HttpCallResult(status, status == Status.Ok ? outWord() : 0);
}

/** The reply to a callout, as seen inside its callback. */
export class HttpCallResponse {
  constructor(
    public readonly token: u32,
    public readonly numHeaders: u32,
    public readonly bodySize: u32,
    public readonly numTrailers: u32,
  ) {}

  /** True when no reply arrived (connection reset, reply over the buffer limit). */
  get failed(): bool {
    return this.numHeaders == 0;
  }

  /** The `:status` of the reply as a number; 0 if failed or not a number. */
  get statusCode(): u32 {
    if (this.failed) return 0;
    let text = httpCallResponseHeaders.get(":status");
    if (text === null) return 0;
    let value: u32 = 0;
    let n = text.length;
    if (n == 0 || n > 3) return 0;
    for (let i = 0; i < n; i++) {
      let c = <u32>text.charCodeAt(i) - 0x30;
      if (c > 9) return 0;
      value = value * 10 + c;
    }
    return value;
  }

  /** True for a reply with a 2xx status. Anything else (incl. Envoy's 503/504) is a failure. */
  get ok(): bool {
    let code = this.statusCode;
    return code >= 200 && code < 300;
  }

  /** First value of a reply header (lower-case names), or null. */
  header(name: string): string | null {
    return this.failed ? null : httpCallResponseHeaders.get(name);
  }

  /** All reply headers, including `:status`. */
  headers(): HeaderPair[] {
    return this.failed ? [] : httpCallResponseHeaders.pairs();
  }

  /** All reply trailers. */
  trailers(): HeaderPair[] {
    return this.numTrailers == 0 ? [] : httpCallResponseTrailers.pairs();
  }

  /** The reply body (empty if none or unavailable). */
  body(): Uint8Array {
    if (this.bodySize == 0) return new Uint8Array(0);
    let bytes = getBufferBytes(BufferType.HttpCallResponseBody, 0, this.bodySize);
    return bytes === null ? new Uint8Array(0) : bytes;
  }

  /** The reply body decoded as UTF-8. */
  bodyText(): string {
    let bytes = this.body();
    return String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.byteLength, false);
  }

  /** Why a failed call failed: the host's code (Envoy: BrokenConnection) via proxy_get_status. */
  failureCode(): Status {
    let status = getStatus();
    return status.code;
  }

  /** The host's failure message (Envoy: "reset"); "" if none. */
  failureMessage(): string {
    return getStatus().message;
  }
}

/** Result of proxy_get_status: the code and message the host recorded for the last callout. */
export class HostStatus {
  constructor(public readonly code: Status, public readonly message: string) {}
}

/** Reads proxy_get_status (valid in callout callbacks). On failure: code Unknown, message "". */
export function getStatus(): HostStatus {
  clearOut();
  let status = fromHost(proxy_get_status(OUT_WORD, OUT_PTR, OUT_SIZE));
  if (status != Status.Ok) return new HostStatus(Status.Unknown, "");
  let code = mapStatus(outWord());
  return new HostStatus(code, takeOutString());
}
