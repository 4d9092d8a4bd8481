// SPDX-License-Identifier: Apache-2.0
// Assembles the import object for one VM from the per-area host calls, enforcing restricted phases on every call.
import { Status } from "./enums.js";
import { HostTrap } from "./host_trap.js";
import type { GuestVm } from "./guest_vm.js";
import type { WasiSet } from "./registry.js";
import { PROXY_IMPORTS, OTHER_ENV_IMPORTS, WASI_STABLE, WASI_HEAD_EXTRA, WASI_MODULES } from "./registry.js";
import { logImports, type LogVm } from "./logs.js";
import { clockImports, type ClockVm } from "./clock.js";
import { metricImports, type MetricVm } from "./metrics.js";
import { sharedDataImports, type SharedDataVm } from "./shared_data.js";
import { queueImports, type QueueVm } from "./queues.js";
import { propertyImports, type PropertyVm } from "./properties.js";
import { headerImports, type HeaderVm } from "./header_calls.js";
import { bufferImports, type BufferVm } from "./buffer_calls.js";
import { streamImports, type StreamCallsVm } from "./stream_calls.js";
import { calloutImports, type CalloutVm } from "./callouts.js";
import { wasiImports, type WasiVm } from "./wasi.js";
import { utf8 } from "./memory.js";

// The wasm boundary: each host function takes its own mix of i32 (number) and i64 (bigint) arguments.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type HostFn = (...args: any[]) => number | void;

export type ForeignFunction = (args: Uint8Array, info: { worker: number }) => Uint8Array | string | number;

/** What the context, foreign-function and gRPC calls and the restricted-phase guard use of their VM. */
interface MiscVm extends GuestVm {
  /** Non-null while a restricted phase (init, allocator) runs: the allowed `module.name` set. */
  readonly restricted: ReadonlySet<string> | null;
  setEffectiveContext(id: number): Status;
  readonly core: {
    readonly clusters: ReadonlyMap<string, number>;
    readonly options: { readonly foreignFunctions: Record<string, ForeignFunction>; readonly wasi: WasiSet };
    defer(fn: () => void): void;
    /** proxy_done: the root context's on_delete, then it is gone. */
    deleteRoot(vm: HostCallVm): void;
  };
}

/** The VM as all host calls together see it (vm.ts implements it). */
export type HostCallVm = LogVm &
  ClockVm &
  MetricVm &
  SharedDataVm &
  QueueVm &
  PropertyVm &
  HeaderVm &
  BufferVm &
  StreamCallsVm &
  CalloutVm &
  WasiVm &
  MiscVm;

/**
 * gRPC is linked but not emulated. Statuses follow Envoy where they do not need a real call: an
 * unknown cluster is PARSE_FAILURE (0.1.x compatibility), a known one UNIMPLEMENTED here; since no
 * call ever exists, tokens of the right kind (low bits 1 = call, 2 = stream) are NOT_FOUND, others
 * BAD_ARGUMENT.
 */
function grpcImports(vm: MiscVm): Record<string, HostFn> {
  const start = (servicePtr: number, serviceSize: number): number => {
    const service = vm.mem.readString(servicePtr, serviceSize);
    if (service === null) return Status.InvalidMemoryAccess;
    return vm.core.clusters.has(service) ? Status.Unimplemented : Status.ParseFailure;
  };
  const isCall = (t: number) => (t & 3) === 1;
  const isStream = (t: number) => (t & 3) === 2;
  return {
    proxy_grpc_call: start,
    proxy_grpc_stream: start,
    proxy_grpc_send: (token: number) => (isStream(token) ? Status.NotFound : Status.BadArgument),
    proxy_grpc_cancel: (token: number) => (isCall(token) || isStream(token) ? Status.NotFound : Status.BadArgument),
    proxy_grpc_close: (token: number) => (isCall(token) || isStream(token) ? Status.NotFound : Status.BadArgument),
  };
}

/** Context and foreign-function calls. */
function miscImports(vm: HostCallVm): Record<string, HostFn> {
  const core = vm.core;
  return {
    proxy_set_effective_context: (id: number) => vm.setEffectiveContext(id),
    /** Only a root context whose on_done returned false may call proxy_done; its on_delete follows. */
    proxy_done(): number {
      const ctx = vm.context();
      if (!ctx || ctx.kind !== "root" || !ctx.pendingDone) return Status.NotFound;
      ctx.pendingDone = false;
      core.defer(() => core.deleteRoot(vm));
      return Status.Ok;
    },
    proxy_call_foreign_function(
      namePtr: number,
      nameSize: number,
      argsPtr: number,
      argsSize: number,
      outPtrPtr: number,
      outSizePtr: number,
    ): number {
      const name = vm.mem.readString(namePtr, nameSize);
      const args = vm.mem.read(argsPtr, argsSize);
      if (name === null || args === null) return Status.InvalidMemoryAccess;
      // Own keys only: a guest naming "hasOwnProperty" or "constructor" must get NotFound, not Object.prototype's function.
      const fns = core.options.foreignFunctions;
      if (!Object.hasOwn(fns, name)) return Status.NotFound;
      const fn = fns[name]!;
      const result = fn(args, { worker: vm.worker });
      if (typeof result === "number") return result;
      return vm.copyOut(typeof result === "string" ? utf8(result) : result, outPtrPtr, outSizePtr);
    },
    pthread_equal: (a: number, b: number) => (a === b ? 1 : 0),
    emscripten_notify_memory_growth: () => undefined,
  };
}

/** Wraps a host function: restricted-phase check, then u32 view of every i32 argument (i64 stay BigInt). */
function guard(vm: MiscVm, key: string, fn: HostFn): HostFn {
  return (...args: unknown[]) => {
    // Envoy's V8 throws an Error into the guest: "Function: _initialize failed: Uncaught Error: restricted_callback".
    if (vm.restricted && !vm.restricted.has(key)) throw new HostTrap("Uncaught Error: restricted_callback");
    return fn(...args.map((a) => (typeof a === "number" ? a >>> 0 : a)));
  };
}

export function buildImports(vm: HostCallVm): Record<string, Record<string, HostFn>> {
  const env: Record<string, HostFn> = {
    ...logImports(vm),
    ...clockImports(vm),
    ...metricImports(vm),
    ...sharedDataImports(vm),
    ...queueImports(vm),
    ...propertyImports(vm),
    ...headerImports(vm),
    ...bufferImports(vm),
    ...streamImports(vm),
    ...calloutImports(vm),
    ...miscImports(vm),
    ...grpcImports(vm),
  };
  const out: Record<string, Record<string, HostFn>> = { env: {} };
  for (const name of [...Object.keys(PROXY_IMPORTS), ...Object.keys(OTHER_ENV_IMPORTS)]) {
    const fn = env[name];
    if (!fn) throw new Error(`host bug: no implementation for env.${name}`);
    out.env![name] = guard(vm, `env.${name}`, fn);
  }
  const wasi = wasiImports(vm) as Record<string, HostFn>;
  const names = [
    ...Object.keys(WASI_STABLE),
    ...(vm.core.options.wasi === "cpp-host-head" ? Object.keys(WASI_HEAD_EXTRA) : []),
  ];
  for (const module of WASI_MODULES) {
    out[module] = {};
    for (const name of names) out[module]![name] = guard(vm, `${module}.${name}`, wasi[name]!);
  }
  return out;
}
