// SPDX-License-Identifier: Apache-2.0
// Every proxy-wasm callback the SDK implements: a filter that re-exports this file
// (`export * from "@getwild/core/assembly/exports";`) gets them all.
//
// Why a filter may want fewer: Envoy's host (proxy-wasm-cpp-host) calls a callback only when the
// module exports it, and answers the neutral value (Continue, true) itself otherwise. A stream of
// a filter exporting everything crosses into the VM at create, request headers, each request body
// chunk, request trailers, response headers, each response body chunk, response trailers, log,
// done and delete, even when the filter only looks at request headers; each crossing costs Envoy
// CPU per request. So each callback is its own module under ./callbacks/, and a filter can
// re-export only `callbacks/required` (ABI marker, allocator, context create, VM start, configure,
// delete) plus the callbacks of the hooks it overrides, e.g.
//
//   export * from "@getwild/core/assembly/callbacks/required";
//   export * from "@getwild/core/assembly/callbacks/request_headers";
//
// A hook whose callback is not exported would never run, and the compiler would not even say so
// (it drops the override as unreachable); core's build check (transform/callback_exports.mjs, in
// asconfig.base.json) refuses such a build, naming the class, the hook and the module to re-export.
// gRPC and TCP callbacks are not exported: the SDK does not implement them.
export * from "./callbacks/required";
export * from "./callbacks/request_headers";
export * from "./callbacks/request_body";
export * from "./callbacks/request_trailers";
export * from "./callbacks/response_headers";
export * from "./callbacks/response_body";
export * from "./callbacks/response_trailers";
export * from "./callbacks/http_call_response";
export * from "./callbacks/foreign_function";
export * from "./callbacks/tick";
export * from "./callbacks/queue_ready";
export * from "./callbacks/log";
export * from "./callbacks/done";
