// SPDX-License-Identifier: Apache-2.0
// Every proxy-wasm ABI v0.2.1 host function (module "env"), declared with its exact wasm types.
//
// Pointers and sizes are i32 on wasm32 (`usize`/`u32` here); metric values are i64. asc only emits
// an import that is actually referenced, so declaring the whole set costs nothing, and a filter
// never imports a name Envoy lacks (0.1.0-only calls such as proxy_get_configuration are absent on
// purpose: a 0.2.1 module importing them fails to link). Grouped in the order of the spec sections.
// Use the wrappers in ../hostcalls; these are the raw calls.

// ---- Logging ----
@external("env", "proxy_log")
export declare function proxy_log(level: u32, messagePtr: usize, messageSize: usize): u32;
@external("env", "proxy_get_log_level")
export declare function proxy_get_log_level(outLevelPtr: usize): u32;

// ---- Clocks and timers ----
@external("env", "proxy_get_current_time_nanoseconds")
export declare function proxy_get_current_time_nanoseconds(outTimePtr: usize): u32;
@external("env", "proxy_set_tick_period_milliseconds")
export declare function proxy_set_tick_period_milliseconds(periodMs: u32): u32;

// ---- Buffers ----
@external("env", "proxy_get_buffer_status")
export declare function proxy_get_buffer_status(bufferType: u32, outSizePtr: usize, outFlagsPtr: usize): u32;
@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(
  bufferType: u32,
  start: u32,
  maxSize: u32,
  outPtrPtr: usize,
  outSizePtr: usize,
): u32;
@external("env", "proxy_set_buffer_bytes")
export declare function proxy_set_buffer_bytes(
  bufferType: u32,
  start: u32,
  size: u32,
  dataPtr: usize,
  dataSize: usize,
): u32;

// ---- Header maps ----
@external("env", "proxy_get_header_map_pairs")
export declare function proxy_get_header_map_pairs(mapType: u32, outPtrPtr: usize, outSizePtr: usize): u32;
@external("env", "proxy_set_header_map_pairs")
export declare function proxy_set_header_map_pairs(mapType: u32, pairsPtr: usize, pairsSize: usize): u32;
@external("env", "proxy_get_header_map_size")
export declare function proxy_get_header_map_size(mapType: u32, outSizePtr: usize): u32;
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  outPtrPtr: usize,
  outSizePtr: usize,
): u32;
@external("env", "proxy_add_header_map_value")
export declare function proxy_add_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;
@external("env", "proxy_replace_header_map_value")
export declare function proxy_replace_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;
@external("env", "proxy_remove_header_map_value")
export declare function proxy_remove_header_map_value(mapType: u32, keyPtr: usize, keySize: usize): u32;

// ---- Stream control and local responses ----
@external("env", "proxy_continue_stream")
export declare function proxy_continue_stream(streamType: u32): u32;
@external("env", "proxy_close_stream")
export declare function proxy_close_stream(streamType: u32): u32;
@external("env", "proxy_send_local_response")
export declare function proxy_send_local_response(
  statusCode: u32,
  detailsPtr: usize,
  detailsSize: usize,
  bodyPtr: usize,
  bodySize: usize,
  headersPtr: usize,
  headersSize: usize,
  grpcStatus: i32,
): u32;

// ---- HTTP callouts ----
@external("env", "proxy_http_call")
export declare function proxy_http_call(
  upstreamPtr: usize,
  upstreamSize: usize,
  headersPtr: usize,
  headersSize: usize,
  bodyPtr: usize,
  bodySize: usize,
  trailersPtr: usize,
  trailersSize: usize,
  timeoutMs: u32,
  outTokenPtr: usize,
): u32;

// ---- gRPC callouts (declared for completeness; the SDK has no gRPC wrappers yet) ----
@external("env", "proxy_grpc_call")
export declare function proxy_grpc_call(
  upstreamPtr: usize,
  upstreamSize: usize,
  servicePtr: usize,
  serviceSize: usize,
  methodPtr: usize,
  methodSize: usize,
  metadataPtr: usize,
  metadataSize: usize,
  messagePtr: usize,
  messageSize: usize,
  timeoutMs: u32,
  outTokenPtr: usize,
): u32;
@external("env", "proxy_grpc_stream")
export declare function proxy_grpc_stream(
  upstreamPtr: usize,
  upstreamSize: usize,
  servicePtr: usize,
  serviceSize: usize,
  methodPtr: usize,
  methodSize: usize,
  metadataPtr: usize,
  metadataSize: usize,
  outTokenPtr: usize,
): u32;
@external("env", "proxy_grpc_send")
export declare function proxy_grpc_send(token: u32, messagePtr: usize, messageSize: usize, endOfStream: bool): u32;
@external("env", "proxy_grpc_cancel")
export declare function proxy_grpc_cancel(token: u32): u32;
@external("env", "proxy_grpc_close")
export declare function proxy_grpc_close(token: u32): u32;

// ---- Status of the last callout, effective context, done ----
@external("env", "proxy_get_status")
export declare function proxy_get_status(outCodePtr: usize, outMessagePtrPtr: usize, outMessageSizePtr: usize): u32;
@external("env", "proxy_set_effective_context")
export declare function proxy_set_effective_context(contextId: u32): u32;
@external("env", "proxy_done")
export declare function proxy_done(): u32;

// ---- Shared data ----
@external("env", "proxy_get_shared_data")
export declare function proxy_get_shared_data(
  keyPtr: usize,
  keySize: usize,
  outValuePtrPtr: usize,
  outValueSizePtr: usize,
  outCasPtr: usize,
): u32;
@external("env", "proxy_set_shared_data")
export declare function proxy_set_shared_data(
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
  cas: u32,
): u32;

// ---- Shared queues ----
@external("env", "proxy_register_shared_queue")
export declare function proxy_register_shared_queue(namePtr: usize, nameSize: usize, outQueueIdPtr: usize): u32;
@external("env", "proxy_resolve_shared_queue")
export declare function proxy_resolve_shared_queue(
  vmIdPtr: usize,
  vmIdSize: usize,
  namePtr: usize,
  nameSize: usize,
  outQueueIdPtr: usize,
): u32;
@external("env", "proxy_enqueue_shared_queue")
export declare function proxy_enqueue_shared_queue(queueId: u32, valuePtr: usize, valueSize: usize): u32;
@external("env", "proxy_dequeue_shared_queue")
export declare function proxy_dequeue_shared_queue(queueId: u32, outValuePtrPtr: usize, outValueSizePtr: usize): u32;

// ---- Metrics (values are i64 on the wire) ----
@external("env", "proxy_define_metric")
export declare function proxy_define_metric(
  metricType: u32,
  namePtr: usize,
  nameSize: usize,
  outMetricIdPtr: usize,
): u32;
@external("env", "proxy_increment_metric")
export declare function proxy_increment_metric(metricId: u32, delta: i64): u32;
@external("env", "proxy_record_metric")
export declare function proxy_record_metric(metricId: u32, value: i64): u32;
@external("env", "proxy_get_metric")
export declare function proxy_get_metric(metricId: u32, outValuePtr: usize): u32;

// ---- Properties ----
@external("env", "proxy_get_property")
export declare function proxy_get_property(
  pathPtr: usize,
  pathSize: usize,
  outValuePtrPtr: usize,
  outValueSizePtr: usize,
): u32;
@external("env", "proxy_set_property")
export declare function proxy_set_property(pathPtr: usize, pathSize: usize, valuePtr: usize, valueSize: usize): u32;

// ---- Foreign functions ----
@external("env", "proxy_call_foreign_function")
export declare function proxy_call_foreign_function(
  namePtr: usize,
  nameSize: usize,
  argsPtr: usize,
  argsSize: usize,
  outResultPtrPtr: usize,
  outResultSizePtr: usize,
): u32;
