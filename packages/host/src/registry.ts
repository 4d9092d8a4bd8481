// SPDX-License-Identifier: Apache-2.0
// The host's link registry: every import a v0.2.1 module may use and every callback export cpp-host looks up, with wasm signatures.
import type { FuncType, ValType } from "./wasm_parser.js";

function sig(params: string, results = "i32"): FuncType {
  const list = (s: string) => (s === "" ? [] : (s.split(" ") as ValType[]));
  return { params: list(params), results: list(results) };
}
const i32x = (n: number, results = "i32") => sig(Array(n).fill("i32").join(" "), results);

/** `env.proxy_*` host functions linked for an ABI 0.2.x module (cpp-host `registerCallbacks`). */
export const PROXY_IMPORTS: Record<string, FuncType> = {
  proxy_log: i32x(3),
  proxy_get_log_level: i32x(1),
  proxy_get_current_time_nanoseconds: i32x(1),
  proxy_set_tick_period_milliseconds: i32x(1),
  proxy_get_buffer_status: i32x(3),
  proxy_get_buffer_bytes: i32x(5),
  proxy_set_buffer_bytes: i32x(5),
  proxy_get_header_map_pairs: i32x(3),
  proxy_set_header_map_pairs: i32x(3),
  proxy_get_header_map_size: i32x(2),
  proxy_get_header_map_value: i32x(5),
  proxy_add_header_map_value: i32x(5),
  proxy_replace_header_map_value: i32x(5),
  proxy_remove_header_map_value: i32x(3),
  proxy_continue_stream: i32x(1),
  proxy_close_stream: i32x(1),
  proxy_send_local_response: i32x(8),
  proxy_http_call: i32x(10),
  proxy_get_status: i32x(3),
  proxy_set_effective_context: i32x(1),
  proxy_done: i32x(0),
  proxy_get_shared_data: i32x(5),
  proxy_set_shared_data: i32x(5),
  proxy_register_shared_queue: i32x(3),
  proxy_resolve_shared_queue: i32x(5),
  proxy_enqueue_shared_queue: i32x(3),
  proxy_dequeue_shared_queue: i32x(3),
  proxy_define_metric: i32x(4),
  proxy_increment_metric: sig("i32 i64"),
  proxy_record_metric: sig("i32 i64"),
  proxy_get_metric: i32x(2),
  proxy_get_property: i32x(4),
  proxy_set_property: i32x(4),
  proxy_grpc_call: i32x(12),
  proxy_grpc_stream: i32x(9),
  proxy_grpc_send: i32x(4),
  proxy_grpc_cancel: i32x(1),
  proxy_grpc_close: i32x(1),
  proxy_call_foreign_function: i32x(6),
};

/** Other `env` functions cpp-host links for Emscripten-built modules. */
export const OTHER_ENV_IMPORTS: Record<string, FuncType> = {
  pthread_equal: i32x(2),
  emscripten_notify_memory_growth: i32x(1, ""),
};

/** WASI functions present in cpp-host since 2022 (what Envoy/Istio in the field provide). */
export const WASI_STABLE: Record<string, FuncType> = {
  fd_write: i32x(4),
  fd_read: i32x(4),
  fd_seek: sig("i32 i64 i32 i32"),
  fd_close: i32x(1),
  fd_fdstat_get: i32x(2),
  environ_get: i32x(2),
  environ_sizes_get: i32x(2),
  args_get: i32x(2),
  args_sizes_get: i32x(2),
  clock_time_get: sig("i32 i64 i32"),
  random_get: i32x(2),
  proc_exit: i32x(1, ""),
  path_open: sig("i32 i32 i32 i32 i32 i64 i64 i32 i32"),
  fd_prestat_get: i32x(2),
  fd_prestat_dir_name: i32x(3),
};

/** Additions of cpp-host#427 (Dec 2024); only linked when `wasi: "cpp-host-head"` is chosen. */
export const WASI_HEAD_EXTRA: Record<string, FuncType> = {
  fd_fdstat_set_flags: i32x(2),
  sched_yield: i32x(0),
  poll_oneoff: i32x(4),
  clock_res_get: i32x(2),
};

export const WASI_MODULES = ["wasi_snapshot_preview1", "wasi_unstable"] as const;

/**
 * Which WASI functions (and start-up rules) the host links, by the Envoy it stands for:
 * "cpp-host-head" is cpp-host with #427 and #533, what Envoy 1.40 (the Envoy tests/envoy runs) links
 * and the default; "stable" is the 2022 set of Envoy before 1.33 (Istio before 1.25), which refuses
 * modules built by Go's wasip1 target (proxy-wasm-go-sdk: missing sched_yield, poll_oneoff ...).
 */
export type WasiSet = "stable" | "cpp-host-head";

/** The WASI set of the Envoy the host is checked against (1.40). */
export const DEFAULT_WASI: WasiSet = "cpp-host-head";

/** Looks up the host's signature for `module.name`, or undefined when the host does not provide it. */
export function hostImportType(module: string, name: string, wasi: WasiSet = DEFAULT_WASI): FuncType | undefined {
  if (module === "env") return PROXY_IMPORTS[name] ?? OTHER_ENV_IMPORTS[name];
  if ((WASI_MODULES as readonly string[]).includes(module)) {
    return WASI_STABLE[name] ?? (wasi === "cpp-host-head" ? WASI_HEAD_EXTRA[name] : undefined);
  }
  return undefined;
}

/**
 * Exports cpp-host looks up, in its `getFunctions` order, with the signatures it requires.
 * A present export with another signature fails the load ("Bad function signature for: X").
 */
export const KNOWN_EXPORTS: [string, FuncType][] = [
  ["_initialize", i32x(0, "")],
  ["_start", i32x(0, "")],
  ["main", i32x(2)],
  ["__main_void", i32x(0)],
  ["malloc", i32x(1)],
  ["proxy_on_memory_allocate", i32x(1)],
  ["proxy_validate_configuration", i32x(2)],
  ["proxy_on_vm_start", i32x(2)],
  ["proxy_on_configure", i32x(2)],
  ["proxy_on_tick", i32x(1, "")],
  ["proxy_on_context_create", i32x(2, "")],
  ["proxy_on_new_connection", i32x(1)],
  ["proxy_on_downstream_data", i32x(3)],
  ["proxy_on_upstream_data", i32x(3)],
  ["proxy_on_downstream_connection_close", i32x(2, "")],
  ["proxy_on_upstream_connection_close", i32x(2, "")],
  ["proxy_on_request_headers", i32x(3)],
  ["proxy_on_request_body", i32x(3)],
  ["proxy_on_request_trailers", i32x(2)],
  ["proxy_on_request_metadata", i32x(2)],
  ["proxy_on_response_headers", i32x(3)],
  ["proxy_on_response_body", i32x(3)],
  ["proxy_on_response_trailers", i32x(2)],
  ["proxy_on_response_metadata", i32x(2)],
  ["proxy_on_http_call_response", i32x(5, "")],
  ["proxy_on_grpc_receive", i32x(3, "")],
  ["proxy_on_grpc_close", i32x(3, "")],
  ["proxy_on_grpc_receive_initial_metadata", i32x(3, "")],
  ["proxy_on_grpc_receive_trailing_metadata", i32x(3, "")],
  ["proxy_on_queue_ready", i32x(2, "")],
  ["proxy_on_foreign_function", i32x(3, "")],
  ["proxy_on_done", i32x(1)],
  ["proxy_on_log", i32x(1, "")],
  ["proxy_on_delete", i32x(1, "")],
];

/** ABI markers cpp-host recognises (`BytecodeUtil::getAbiVersion`). */
export const ABI_MARKERS = {
  proxy_abi_version_0_1_0: "0.1.0",
  proxy_abi_version_0_2_0: "0.2.0",
  proxy_abi_version_0_2_1: "0.2.1",
} as const;
