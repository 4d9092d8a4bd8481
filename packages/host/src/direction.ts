// SPDX-License-Identifier: Apache-2.0
// One direction of an HTTP stream at the filter (request or response): what the filter holds, what passed it, and how its returns map to Envoy statuses.
import { HeaderMap } from "./header_map.js";
import { concatBytes } from "./memory.js";

export type HeadersStatus = "Continue" | "StopAllIterationAndBuffer" | "StopAllIterationAndWatermark";
export type DataStatus = "Continue" | "StopIterationAndBuffer" | "StopIterationAndWatermark" | "StopIterationNoBuffer";
export type TrailersStatus = "Continue" | "StopIteration";
export type FilterStatus = HeadersStatus | DataStatus | TrailersStatus;

/** cpp-host `convertVmCallResultToFilterHeadersStatus`: 1 (Pause) stops headers AND body (watermark). */
export function headersStatus(raw: number): HeadersStatus {
  if (raw === 0 || raw === 2) return "Continue";
  if (raw === 3) return "StopAllIterationAndBuffer";
  return "StopAllIterationAndWatermark";
}

/** cpp-host `convertVmCallResultToFilterDataStatus`: 1 (Pause) buffers (subject to the buffer limit). */
export function dataStatus(raw: number): DataStatus {
  if (raw === 0) return "Continue";
  if (raw === 1) return "StopIterationAndBuffer";
  if (raw === 2) return "StopIterationAndWatermark";
  return "StopIterationNoBuffer";
}

export function trailersStatus(raw: number): TrailersStatus {
  return raw === 0 ? "Continue" : "StopIteration";
}

/** What left the filter towards the next hop (upstream for requests, the client for responses). */
export interface Forwarded {
  headers: HeaderMap | null;
  chunks: Uint8Array[];
  trailers: HeaderMap | null;
  /** The end of stream passed the filter. */
  complete: boolean;
}

export type DirectionKind = "request" | "response";

/** A buffer as host calls read and write it (the body a direction holds, a configuration, a callout body). */
export interface BufferRef {
  bytes(): Uint8Array;
  /** Absent for immutable buffers (configurations, callout body): writes are BAD_ARGUMENT. */
  replace?(data: Uint8Array): void;
}

export class Direction {
  /** Headers as the filter sees and modifies them (null until they arrive). */
  headers: HeaderMap | null = null;
  trailers: HeaderMap | null = null;
  /**
   * Envoy keeps its header/trailer map pointers only while the filter holds them: set for the
   * callback, cleared when the callback returns Continue (kept if it stopped, even after a resume).
   */
  headersVisible = false;
  trailersVisible = false;
  /** Body bytes at the filter: the current chunk plus whatever the filter asked Envoy to buffer. */
  buffer: Uint8Array = new Uint8Array(0);
  /** The body buffer exists for the plugin (during a body callback, or while buffering). */
  bufferVisible = false;
  /** The filter returned StopIterationAndBuffer: later chunks accumulate in `buffer` before its callback. */
  buffering = false;
  /** Chunks Envoy holds (watermark buffering) that the filter no longer sees. */
  watermarked: Uint8Array[] = [];
  /** Where iteration is stopped at this filter, if it is. */
  stoppedAt: "headers" | "body" | "trailers" | null = null;
  stopStatus: FilterStatus = "Continue";
  /** Data Envoy held back while headers were stopped (not yet seen by the filter). */
  held: Uint8Array[] = [];
  heldEnd = false;
  heldTrailers: HeaderMap | null = null;
  /** Body bytes the peer sent so far (Envoy's bytes received, for request.size / request.total_size). */
  receivedBytes = 0;
  /** The peer finished sending (end_of_stream on headers/body, or trailers). */
  inputEnded = false;
  headersSeen = false;
  /** No further filter processing (a local reply took over, or the stream was reset). */
  closed = false;
  /** Inside the body callback that carries end_of_stream (Envoy adds trailers on access then). */
  inLastBodyCallback = false;
  out: Forwarded = { headers: null, chunks: [], trailers: null, complete: false };

  constructor(readonly kind: DirectionKind) {}

  heldSize(): number {
    return this.held.reduce((n, c) => n + c.length, 0);
  }

  /** The body as modified so far: what passed the filter, what it buffers, what Envoy holds for it. */
  body(): Uint8Array {
    return concatBytes([
      ...this.out.chunks,
      ...this.watermarked,
      ...(this.bufferVisible ? [this.buffer] : []),
      ...this.held,
    ]);
  }

  forwardHeaders(): void {
    this.out.headers = (this.headers ?? new HeaderMap()).clone();
  }

  forwardBuffer(): void {
    this.out.chunks.push(...this.watermarked.filter((c) => c.length > 0));
    this.watermarked = [];
    if (this.buffer.length > 0) this.out.chunks.push(this.buffer);
    this.buffer = new Uint8Array(0);
    this.bufferVisible = false;
    this.buffering = false;
  }
}
