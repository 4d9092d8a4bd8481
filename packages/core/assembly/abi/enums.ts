// SPDX-License-Identifier: Apache-2.0
// The ABI v0.2.1 enumerations with their spec values (proxy_status_t, proxy_action_t, buffer, map,
// stream, log level, metric and peer types). Wire values; never renumber.

/** `proxy_status_t`: what every host call returns. Mapped to SDK results only in ./status.ts. */
export const enum Status {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  BadExpression = 5,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  ResultMismatch = 9,
  InternalFailure = 10,
  /** Envoy reports a failed or reset HTTP callout with this code through proxy_get_status. */
  BrokenConnection = 11,
  Unimplemented = 12,
  /** Not a host value: the host returned a code this SDK does not know. */
  Unknown = 0xffff,
}

/**
 * `proxy_action_t`: what an HTTP callback returns. Only these two are exposed (as the Go and Rust
 * SDKs do); Envoy turns `Pause` on headers into "stop headers and body until continued".
 */
export const enum Action {
  Continue = 0,
  Pause = 1,
}

/** `proxy_buffer_type_t`. */
export const enum BufferType {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  DownstreamData = 2,
  UpstreamData = 3,
  /** The body of an HTTP callout reply (the spec text says HttpResponseBody; hosts use 4). */
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,
  VmConfiguration = 6,
  PluginConfiguration = 7,
  ForeignFunctionArguments = 8,
}

/** `proxy_map_type_t`. */
export const enum MapType {
  HttpRequestHeaders = 0,
  HttpRequestTrailers = 1,
  HttpResponseHeaders = 2,
  HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

/** `proxy_stream_type_t`. */
export const enum StreamType {
  HttpRequest = 0,
  HttpResponse = 1,
  Downstream = 2,
  Upstream = 3,
}

/** `proxy_log_level_t`. */
export const enum LogLevel {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
  Critical = 5,
}

/** `proxy_metric_type_t`. */
export const enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
}

/** `proxy_peer_type_t` (TCP connection close callbacks). */
export const enum PeerType {
  Unknown = 0,
  Local = 1,
  Remote = 2,
}

/** gRPC status value meaning "no grpc-status" for proxy_send_local_response. */
// @ts-ignore: decorator
@inline export const GRPC_STATUS_NONE: i32 = -1;
