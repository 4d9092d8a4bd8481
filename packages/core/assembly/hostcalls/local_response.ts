// SPDX-License-Identifier: Apache-2.0
// Local responses (spec: "HTTP streams", proxy_send_local_response).
//
// Valid in request callbacks, in response callbacks before headers went downstream, and in callout
// callbacks for the originating stream. The host defers the reply until the callback returns and
// forces the stream to stop; see HttpContext.sendLocalResponse, which is the API to use (it returns
// Action.Pause and blocks later continue calls). Envoy replaces whitespace in `details` with `_`,
// adds the headers (a content-type of text/plain only for a non-empty body without one).
import { Status, GRPC_STATUS_NONE } from "../abi/enums";
import { fromHost } from "../abi/status";
import { proxy_send_local_response } from "../abi/imports";
import { borrowScratch, releaseScratch, maxUtf8Size, writeUtf8 } from "../abi/memory";
import { HeaderPair } from "../headers/pair";
import { encodedPairsSize, encodePairsUnsafe } from "../headers/serde";

/** Raw wrapper; returns the host status. Use HttpContext.sendLocalResponse in filters. */
export function sendLocalResponse(
  statusCode: u32,
  details: string,
  body: Uint8Array | null,
  headers: HeaderPair[] | null,
  grpcStatus: i32 = GRPC_STATUS_NONE,
): Status {
  let detailsMax = maxUtf8Size(details);
  let headersMax: usize = headers === null ? 0 : encodedPairsSize(headers);
  let buffer = borrowScratch(detailsMax + headersMax);
  let detailsLen = writeUtf8(details, buffer);
  let headersPtr = buffer + detailsLen;
  let headersLen: usize = headers === null ? 0 : encodePairsUnsafe(headers, headersPtr, true);
  let bodyPtr: usize = body === null ? 0 : body.dataStart;
  let bodyLen: usize = body === null ? 0 : <usize>body.byteLength;
  let raw = proxy_send_local_response(
    statusCode,
    buffer,
    detailsLen,
    bodyPtr,
    bodyLen,
    headersLen == 0 ? 0 : headersPtr,
    headersLen,
    grpcStatus,
  );
  releaseScratch(buffer);
  return fromHost(raw);
}
