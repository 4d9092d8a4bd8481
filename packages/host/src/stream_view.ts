// SPDX-License-Identifier: Apache-2.0
// What a test can read from an HTTP stream: headers and bodies as the filter left them, what reached the upstream and the client.
import { HeaderMap } from "./header_map.js";
import { fromUtf8, concatBytes } from "./memory.js";
import { Direction, type FilterStatus } from "./direction.js";
import type { LocalResponse } from "./local_reply.js";
import type { Action } from "./enums.js";

export interface ClientResponse {
  status: number;
  headers: HeaderMap;
  body: Uint8Array;
  bodyText: string;
  trailers: HeaderMap | null;
  complete: boolean;
  /** Set when the stream was reset instead of answered. */
  reset: string | null;
}

export class StreamView {
  readonly request = new Direction("request");
  readonly response = new Direction("response");
  /** The local reply the plugin asked for (recorded when proxy_send_local_response is called). */
  localResponse: LocalResponse | null = null;
  /**
   * Envoy's own local reply on this stream, if one was sent: from the embedding code
   * (`sendEnvoyLocalReply`: upstream connect failure, route timeout) or from the host (buffer
   * limit 413/500, failed VM 503). Never the plugin's reply.
   */
  envoyLocalReply: LocalResponse | null = null;
  /** Response code details (local reply details, "via_upstream", "wasm_fail_stream", …). */
  responseCodeDetails: string | null = null;
  resetReason: string | null = null;
  /** What the last callback meant for the chain ("Continue" or "Pause") and Envoy's exact status. */
  lastAction: Action = "Continue";
  lastStatus: FilterStatus = "Continue";
  /** Filter state written by proxy_set_property ("wasm.<path>"). */
  readonly filterState = new Map<string, Uint8Array>();
  /** Per-stream property overrides set by the test (NUL-joined path → encoded value). */
  readonly properties = new Map<string, Uint8Array>();

  // ---- inspection -----------------------------------------------------------------------------

  get requestHeaders(): HeaderMap {
    return this.request.headers ?? new HeaderMap();
  }
  get requestTrailers(): HeaderMap | null {
    return this.request.trailers;
  }
  get requestBody(): Uint8Array {
    return this.request.body();
  }
  get requestBodyText(): string {
    return fromUtf8(this.request.body());
  }
  get responseHeaders(): HeaderMap {
    return this.response.headers ?? new HeaderMap();
  }
  get responseTrailers(): HeaderMap | null {
    return this.response.trailers;
  }
  get responseBody(): Uint8Array {
    return this.response.body();
  }
  get responseBodyText(): string {
    return fromUtf8(this.response.body());
  }
  get requestPaused(): boolean {
    return this.request.stoppedAt !== null;
  }
  get responsePaused(): boolean {
    return this.response.stoppedAt !== null;
  }

  /** What reached the upstream (router) so far. */
  get upstreamRequest() {
    const o = this.request.out;
    return { headers: o.headers, body: concatBytes(o.chunks), trailers: o.trailers, complete: o.complete };
  }

  /** What the downstream client has received so far. */
  get clientResponse(): ClientResponse {
    const o = this.response.out;
    const body = concatBytes(o.chunks);
    return {
      status: Number(o.headers?.get(":status") ?? 0),
      headers: o.headers ?? new HeaderMap(),
      body,
      bodyText: fromUtf8(body),
      trailers: o.trailers,
      complete: o.complete,
      reset: this.resetReason,
    };
  }
}
