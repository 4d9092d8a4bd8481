// SPDX-License-Identifier: Apache-2.0
// Public entry of @getwild/host: an Envoy-faithful proxy-wasm v0.2.1 host for Node (validation, test API, building blocks).
export { createHost, Host, HostLoadError } from "./host.js";
export type { RequestSpec, RequestResult, UpstreamReply, Upstream, UpstreamRequest, WorkerVm } from "./host.js";
export type { HostOptions, ForeignFunction, VmFailureRecord } from "./host_core.js";
export { HttpStream } from "./stream.js";
export type { ClientResponse, SendOptions, EnvoyLocalReply } from "./stream.js";
export { HeaderMap } from "./header_map.js";
export type { HeadersInit } from "./header_map.js";
export { decodeHeaderValue, encodeHeaderValue } from "./header_text.js";
export type { ConnectionInfo, ConnectionOptions } from "./connection.js";
export { validateModule, MSG_ABI, MSG_MALLOC, MSG_CORRUPTED } from "./validate.js";
export type { ValidationResult, ValidatedImport, ValidatedExport, ValidateOptions } from "./validate.js";
export { parseWasm, formatSignature, WasmParseError } from "./wasm_parser.js";
export type { ParsedModule, FuncType, ValType } from "./wasm_parser.js";
export { encodePairs, decodePairs, decodePairsBytes, PAIRS_MAX_COUNT, PAIRS_MAX_BYTES } from "./pairs.js";
export type { Pair } from "./pairs.js";
export { PendingCall, TIMEOUT_REPLY, CONNECT_FAILURE_REPLY, CONNECTION_TERMINATION_REPLY } from "./callouts.js";
export type { HttpCallReply, HttpCallOutcome, ClusterSpec } from "./callouts.js";
export { ROUTER_CONNECT_FAILURE, ROUTER_CONNECTION_TERMINATION, ROUTER_TIMEOUT } from "./router_replies.js";
export type { RouterReply } from "./router_replies.js";
export type { LocalResponse } from "./local_reply.js";
export { VirtualClock, SystemClock } from "./clock.js";
export type { Clock } from "./clock.js";
export { Double, encodePropertyValue } from "./property_value.js";
export type { PropertyValue } from "./property_value.js";
export type { LogRecord, LogSink } from "./logs.js";
export type { Metric } from "./metrics.js";
export { hostImportType, PROXY_IMPORTS, WASI_STABLE, KNOWN_EXPORTS, DEFAULT_WASI } from "./registry.js";
export type { WasiSet } from "./registry.js";
export type { Action, FailurePolicy, LogLevelName } from "./enums.js";
export { fetchCallHandler } from "./fetch_handler.js";
export type { FetchCallOptions } from "./fetch_handler.js";
// Builds a filter project with its own asc and asconfig.json (what @getwild/host/global-setup runs before tests).
export { buildFilter, FilterBuildError } from "./build_filter.js";
export { configureVerdict } from "./configure_verdict.js";
export type { BuildFilterOptions } from "./build_filter.js";
