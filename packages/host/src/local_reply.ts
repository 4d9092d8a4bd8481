// SPDX-License-Identifier: Apache-2.0
// Local replies: what the plugin asked for, and the response Envoy builds from it (`Utility::prepareLocalReply`).
import { HeaderMap } from "./header_map.js";
import { utf8 } from "./memory.js";
import type { Pair } from "./pairs.js";

export interface LocalResponse {
  status: number;
  /** Response code details; Envoy replaces whitespace with "_". */
  details: string;
  body: Uint8Array;
  bodyText: string;
  headers: Pair[];
  /** gRPC status, or null when the plugin passed a value outside 0..16 (e.g. -1 for "none"). */
  grpcStatus: number | null;
}

export function makeLocalResponse(
  status: number,
  details: string,
  body: Uint8Array,
  headers: Pair[],
  grpc: number,
): LocalResponse {
  const grpcStatus = grpc >= 0 && grpc <= 16 ? grpc : null;
  return {
    status,
    details: details.replace(/\s/g, "_"),
    body,
    bodyText: new TextDecoder().decode(body),
    headers,
    grpcStatus,
  };
}

/** Envoy's `Grpc::Utility::httpToGrpcStatus`. */
function httpToGrpcStatus(code: number): number {
  switch (code) {
    case 400:
      return 13;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return 14;
    default:
      return 2;
  }
}

/**
 * Envoy's `grpc-message` encoding (gRPC's percent-encoding): the UTF-8 bytes of the message, with
 * bytes outside printable ASCII (0x20..0x7e) and '%' written as %XX; spaces, '/', '?' stay as they are.
 */
export function grpcMessageEncode(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    out +=
      b < 0x20 || b > 0x7e || b === 0x25 ? `%${b.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(b);
  }
  return out;
}

export interface PreparedReply {
  headers: HeaderMap;
  body: Uint8Array;
  /** True when the response ends with the headers (gRPC trailers-only, HEAD, or empty body). */
  headersOnly: boolean;
}

/**
 * Builds the reply headers: `:status`, the plugin's headers added (addCopy), then content-length and a
 * default `content-type: text/plain` for a non-empty body, or neither for an empty one. gRPC requests
 * get a trailers-only response (status 200, grpc-status, grpc-message); HEAD requests get no body.
 */
export function prepareLocalReply(r: LocalResponse, isGrpc: boolean, isHead: boolean): PreparedReply {
  const headers = new HeaderMap([[":status", String(r.status)]]);
  for (const [k, v] of r.headers) headers.add(k, v);
  if (isGrpc) {
    headers.set(":status", "200");
    headers.set("content-type", "application/grpc");
    if (!headers.has("grpc-status")) headers.set("grpc-status", String(r.grpcStatus ?? httpToGrpcStatus(r.status)));
    if (r.body.length > 0 && !isHead) headers.set("grpc-message", grpcMessageEncode(r.body));
    headers.remove("content-length");
    return { headers, body: new Uint8Array(0), headersOnly: true };
  }
  if (r.body.length > 0) {
    headers.set("content-length", String(r.body.length));
    if (!headers.has("content-type")) headers.set("content-type", "text/plain");
  } else {
    headers.remove("content-length");
    headers.remove("content-type");
  }
  return { headers, body: isHead ? new Uint8Array(0) : r.body, headersOnly: isHead || r.body.length === 0 };
}

/** Envoy's own local replies (buffer overflow, failed VM), sent through the same machinery. */
export function envoyLocalResponse(status: number, body: string, details: string, grpc = -1): LocalResponse {
  return makeLocalResponse(status, details, utf8(body), [], grpc);
}
