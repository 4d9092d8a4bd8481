// SPDX-License-Identifier: Apache-2.0
// Public API of @getwild/core (re-exports only). Callbacks live in ./exports (re-export that file).
export {
  Status,
  Action,
  BufferType,
  MapType,
  StreamType,
  LogLevel,
  MetricType,
  PeerType,
  GRPC_STATUS_NONE,
} from "./abi/enums";
export { statusName } from "./abi/status";
export { Result } from "./abi/result";
export { BaseContext } from "./context/base";
export { RootContext, RootContextFactory } from "./context/root";
export { StreamContext } from "./context/stream";
export { HttpContext } from "./context/http";
export { registerRootContext } from "./context/registry";
export { HttpCallHandler, pendingHttpCallCount } from "./context/callouts";
export { HeaderPair, BytePair } from "./headers/pair";
export { HeaderMap } from "./headers/header_map";
export {
  encodePairs,
  decodePairs,
  encodeBytePairs,
  decodeBytePairs,
  countPairsUnsafe,
  decodePairsUnsafe,
  encodePairsUnsafe,
} from "./headers/serde";
export {
  isHeaderName,
  isHeaderValue,
  isToken,
  isHeaderSetByEnvoy,
  HEADER_NAME_RULE,
  MAX_HEADER_NAME_LENGTH,
} from "./headers/syntax";
export { LocalReply, GRPC_STATUS_MAX } from "./http/local_reply";
export { RequestPath, splitRequestPath, joinPathQuery } from "./http/request_path";
export * from "./hostcalls/log";
export * from "./hostcalls/headers";
export * from "./hostcalls/buffers";
export * from "./hostcalls/stream";
export * from "./hostcalls/http_call";
export * from "./hostcalls/properties";
export * from "./hostcalls/clock";
export * from "./hostcalls/metrics";
export * from "./hostcalls/shared_data";
export * from "./hostcalls/shared_queue";
export * from "./hostcalls/foreign";
export * from "./hostcalls/context";
