// SPDX-License-Identifier: Apache-2.0
// HTTP callouts (spec: "HTTP calls"): starting a call and reading its reply.
//
// `dispatchHttpCall` is valid in any callback after the VM started (not in _initialize). The host
// runs the call on the ROOT context; its reply arrives as proxy_on_http_call_response on the root,
// which the dispatcher routes to the handler registered for the token (see context/callouts.ts).
// `HttpCallResponse` reads the reply; it is valid only while that handler runs (the host drops the
// reply buffers afterwards). Failure (reset, response too large) arrives with zero headers and
// proxy_get_status = BrokenConnection "reset"; a timeout arrives as an Envoy 504 reply.
import { Status, BufferType } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_http_call, proxy_get_status } from "../abi/imports";
import {
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  OUT_WORD,
  outWord,
  takeOutString,
} from "../abi/memory";
import { HeaderPair } from "../headers/pair";
import { encodedPairsSize, encodePairsUnsafe } from "../headers/serde";
import { httpCallResponseHeaders, httpCallResponseTrailers } from "./headers";
import { getBufferBytes, getBufferText } from "./buffers";

// @ts-ignore: decorator
@lazy const tokenResult = new Result<u32>(Status.NotFound, 0);
// @ts-ignore: decorator
@lazy const statusResult = new Result<string>(Status.NotFound, "");

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
): Result<u32> {
  if (initializing()) return tokenResult.fill(refuseDuringInitialize("proxy_http_call"), 0);
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
  let status = fromHost(
    proxy_http_call(
      buffer,
      clusterLen,
      headersPtr,
      headersLen,
      bodyPtr,
      bodyLen,
      trailersLen == 0 ? 0 : trailersPtr,
      trailersLen,
      timeoutMilliseconds,
      OUT_WORD,
    ),
  );
  releaseScratch(buffer);
  return tokenResult.fill(status, status == Status.Ok ? outWord() : 0);
}

/**
 * The reply to a callout, as its handler sees it (see context/callouts.ts). Valid only while the
 * handler runs: the host drops the reply's headers, body and trailers afterwards. Its reads return
 * the Results of the underlying readers (the callout header map, the buffer reads).
 */
export class HttpCallResponse {
  constructor(
    public readonly token: u32,
    public readonly numHeaders: u32,
    public readonly bodySize: u32,
    public readonly numTrailers: u32,
  ) {}

  /** True when no reply arrived (connection reset, reply over the buffer limit): see `failure()`. */
  get failed(): bool {
    return this.numHeaders == 0;
  }

  /** The `:status` of the reply as a number; 0 if failed or not a number. */
  get statusCode(): u32 {
    if (this.failed) return 0;
    let text = httpCallResponseHeaders.get(":status").value;
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

  /** First value of a reply header (lower-case names). */
  header(name: string): Result<string> {
    return httpCallResponseHeaders.get(name);
  }

  /** All reply headers, including `:status`. */
  headers(): Result<HeaderPair[]> {
    return httpCallResponseHeaders.pairs();
  }

  /** All reply trailers. */
  trailers(): Result<HeaderPair[]> {
    return httpCallResponseTrailers.pairs();
  }

  /** The reply body. */
  body(): Result<Uint8Array> {
    return getBufferBytes(BufferType.HttpCallResponseBody, 0, this.bodySize);
  }

  /** The reply body decoded as UTF-8. */
  bodyText(): Result<string> {
    return getBufferText(BufferType.HttpCallResponseBody, 0, this.bodySize);
  }

  /** Why a failed call failed: `status` is the host's code (Envoy: BrokenConnection), `value` its message ("reset"). */
  failure(): Result<string> {
    return getStatus();
  }
}

/**
 * proxy_get_status (valid in callout handlers): `status` is the code the host recorded for the
 * callout, `value` its message. If the host cannot tell: status Unknown, value "".
 */
export function getStatus(): Result<string> {
  clearOut();
  if (fromHost(proxy_get_status(OUT_WORD, OUT_PTR, OUT_SIZE)) != Status.Ok)
    return statusResult.fill(Status.Unknown, "");
  let code = fromHost(outWord());
  return statusResult.fill(code, takeOutString());
}
