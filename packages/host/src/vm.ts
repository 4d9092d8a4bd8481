// SPDX-License-Identifier: Apache-2.0
// One wasm VM (a worker's instance): calls into the guest with cpp-host's context save/restore, restricted phases, trap capture and allocation.
import { GuestMemory } from "./memory.js";
import { Status } from "./enums.js";
import type { PendingCall, CalloutResponse } from "./callouts.js";
import { buildImports, type HostCallVm } from "./imports.js";
import { WASI_MODULES, type WasiSet } from "./registry.js";
import { HostTrap } from "./host_trap.js";
import type { Context, RootContext } from "./contexts.js";
import type { ParsedImport } from "./wasm_parser.js";

/**
 * What a VM uses of the host-wide state (HostCore implements it): what its host calls use, plus the
 * memories to create, the WASI set, the timer time and where to report a failure.
 */
export type VmHost = HostCallVm["core"] & {
  readonly memoryImports: readonly ParsedImport[];
  readonly options: { readonly wasi: WasiSet };
  readonly nowMs: number;
  onVmFailed(vm: Vm): void;
};

export interface VmFailure {
  /** "Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable" (cpp-host wording). */
  message: string;
  function: string;
  /** JS stack of the trap, with wasm function names when the module has a name section. */
  stack: string;
  /** The last critical-level log of this VM before the trap (what core's abort handler writes). */
  criticalLog: string | null;
}

const wasiNames = (...names: string[]) => WASI_MODULES.flatMap((m) => names.map((n) => `${m}.${n}`));

/** Host calls allowed while `_initialize`/`main` run (cpp-host `startVm`, since #306). */
export const INIT_ALLOWED = new Set([
  "env.proxy_log",
  "env.emscripten_notify_memory_growth",
  ...wasiNames("fd_write", "args_get", "args_sizes_get", "environ_get", "environ_sizes_get"),
  ...wasiNames("clock_time_get", "random_get", "fd_prestat_get", "fd_prestat_dir_name"),
]);

/**
 * With `wasi: "cpp-host-head"` (cpp-host#427 and #533, in Envoy 1.40): the Go runtime's start-up calls
 * too, which modules built by Go's wasip1 target (the Go SDK) make from `_initialize`. #533 also allows
 * the rest of its new WASI set there (fd_advise … sock_shutdown); the host does not link those (a
 * module importing one is refused on load), so listing them here would change nothing.
 */
export const INIT_ALLOWED_HEAD = new Set([
  ...INIT_ALLOWED,
  ...wasiNames("clock_res_get", "poll_oneoff", "fd_fdstat_get", "fd_fdstat_set_flags"),
]);

/** Host calls allowed while the guest allocator runs (cpp-host `allocMemory`). */
export const ALLOC_ALLOWED = new Set(["env.proxy_log", ...wasiNames("fd_write", "clock_time_get", "poll_oneoff")]);

/** cpp-host `PROXY_WASM_HOST_MAX_WASM_MEMORY_SIZE_BYTES`. */
export const MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

function isTrap(e: unknown): e is Error {
  // A wasm stack overflow surfaces as RangeError in V8; Envoy's V8 reports it as a trap too.
  return e instanceof WebAssembly.RuntimeError || e instanceof HostTrap || e instanceof RangeError;
}

export class Vm implements HostCallVm {
  readonly exports: Record<string, (...args: (number | bigint)[]) => number | undefined>;
  readonly mem = new GuestMemory();
  /** The instance's linear memory (exported or host-created). */
  readonly memory: WebAssembly.Memory;
  readonly contexts = new Map<number, Context>();
  root: RootContext | null = null;
  failure: VmFailure | null = null;
  /** Host time (ms) of the failure; FAIL_RELOAD's back-off counts from here. */
  failedAtMs = 0;
  /** Non-null while a restricted phase (init, allocator) runs: the allowed `module.name` set. */
  restricted: Set<string> | null = null;
  /** Actions cpp-host/Envoy run after the current VM call returns (continue, close, local reply). */
  readonly deferred: (() => void)[] = [];
  /** True only while proxy_on_configure runs: the plugin configuration buffer exists then. */
  inConfigure = false;
  /** Set only while proxy_on_http_call_response runs (buffer 4, maps 6 and 7). */
  calloutResponse: CalloutResponse | null = null;
  /** Last status for proxy_get_status (set by callout completions). */
  status = { code: 0, message: "" };
  tickPeriodMs = 0;
  nextTickAtMs = 0;
  private nextHttpCallToken = 0;
  readonly callouts = new Map<number, PendingCall>();
  readonly metricIds = new Map<number, { type: number; name: string }>();
  /** Last id handed out per type; Envoy's first ids are 4, 5, 6 (differential row metrics). */
  private readonly lastMetricId = [0, 1, 2];
  lastCriticalLog: string | null = null;
  private nextContextId = 1;
  private currentContextId = 0;
  private effectiveContextId = 0;

  constructor(
    readonly core: VmHost,
    /** "base", "canary" or "worker N". */
    readonly label: string,
    /** Worker index; -1 for the base and canary VMs. */
    readonly worker: number,
    module: WebAssembly.Module,
  ) {
    const imports = buildImports(this) as Record<string, Record<string, unknown>>;
    // cpp-host creates the memory a module imports (any module/name), with the module's limits.
    for (const imp of core.memoryImports) {
      imports[imp.module] ??= {};
      imports[imp.module]![imp.name] = new WebAssembly.Memory({ initial: imp.limits!.min, maximum: imp.limits!.max });
    }
    const instance = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
    this.exports = instance.exports as unknown as Vm["exports"];
    const imported = core.memoryImports[0];
    const memory = imported ? imports[imported.module]![imported.name] : instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error("Wasm module has no memory");
    this.memory = memory;
    this.mem.bind(memory);
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  has(name: string): boolean {
    return typeof this.exports[name] === "function";
  }

  /**
   * Calls an export as cpp-host does: the current context is `contextId`, the effective context is
   * reset for the duration and restored afterwards; a trap marks the VM failed and yields undefined.
   * Returns undefined as well when the export is absent or the VM already failed.
   */
  call(name: string, contextId: number, ...args: (number | bigint)[]): number | undefined {
    const fn = this.exports[name];
    if (typeof fn !== "function" || this.failure) return undefined;
    const saved = [this.currentContextId, this.effectiveContextId] as const;
    this.currentContextId = contextId;
    this.effectiveContextId = 0;
    try {
      const r = fn(...args);
      if (this.mem.byteLength > MAX_MEMORY_BYTES) {
        // Envoy's V8 refuses to grow past 1 GiB (the guest then traps on out-of-memory); Node allows
        // more, so the limit is checked when the call returns.
        this.fail(name, new HostTrap(`memory limit exceeded: ${this.mem.byteLength} bytes > 1 GiB`));
        return undefined;
      }
      return typeof r === "number" ? r >>> 0 : 0;
    } catch (e) {
      if (!isTrap(e)) throw e;
      this.fail(name, e);
      return undefined;
    } finally {
      [this.currentContextId, this.effectiveContextId] = saved;
    }
  }

  /** Runs `_initialize` (then `main`/`__main_void`) or `_start` under the restricted-callback allowlist. */
  start(): void {
    this.restricted = this.core.options.wasi === "cpp-host-head" ? INIT_ALLOWED_HEAD : INIT_ALLOWED;
    try {
      if (this.has("_initialize")) {
        this.call("_initialize", 0);
        if (this.has("main")) this.call("main", 0, 0, 0);
        else if (this.has("__main_void")) this.call("__main_void", 0);
      } else if (this.has("_start")) {
        this.call("_start", 0);
      }
    } finally {
      this.restricted = null;
    }
  }

  fail(fn: string, e: Error): void {
    const message = `Function: ${fn} failed: ${e instanceof HostTrap ? e.message : `Uncaught ${e.name}: ${e.message}`}`;
    this.failure = { message, function: fn, stack: e.stack ?? "", criticalLog: this.lastCriticalLog };
    this.failedAtMs = this.core.nowMs;
    this.tickPeriodMs = 0;
    this.core.onVmFailed(this);
  }

  allocContextId(): number {
    while (this.contexts.has(this.nextContextId) || this.nextContextId === 0) this.nextContextId++;
    return this.nextContextId++;
  }

  /** The context host calls act on: the effective context if one was set, else the current one. */
  context(): Context | undefined {
    return this.contexts.get(this.effectiveContextId || this.currentContextId);
  }

  /** The root context of whatever context is effective (http calls, ticks and queues live there). */
  rootOfContext(): RootContext | null {
    return this.root;
  }

  setEffectiveContext(id: number): Status {
    if (!this.contexts.has(id)) return Status.BadArgument;
    this.effectiveContextId = id;
    return Status.Ok;
  }

  /**
   * Calls the guest allocator under the allocator allowlist; 0 means allocation failed. A trap in the
   * allocator (a restricted host call included) fails the VM as cpp-host does, but does not unwind the
   * callback that asked for the memory: its host call answers InvalidMemoryAccess and the callback
   * runs on (Envoy 1.40: tests/envoy/test/alloc_restricted.test.ts).
   */
  allocate(size: number): number {
    const name = this.has("malloc") ? "malloc" : "proxy_on_memory_allocate";
    const fn = this.exports[name];
    if (typeof fn !== "function" || this.failure) return 0;
    const saved = this.restricted;
    this.restricted = ALLOC_ALLOWED;
    try {
      const r = fn(size);
      return typeof r === "number" ? r >>> 0 : 0;
    } catch (e) {
      if (!isTrap(e)) throw e;
      this.fail(name, e);
      return 0;
    } finally {
      this.restricted = saved;
    }
  }

  /** cpp-host `copyToPointerSize`: allocate in the guest (not for empty data), copy, write ptr and size. */
  copyOut(data: Uint8Array, ptrPtr: number, sizePtr: number): Status {
    let ptr = 0;
    if (data.length > 0) {
      ptr = this.allocate(data.length);
      if (ptr === 0 || !this.mem.write(ptr, data)) return Status.InvalidMemoryAccess;
    }
    if (!this.mem.writeU32(ptrPtr, ptr) || !this.mem.writeU32(sizePtr, data.length)) {
      return Status.InvalidMemoryAccess;
    }
    return Status.Ok;
  }

  /** cpp-host `nextHttpCallId`: per VM, step 4, low two bits 0 for HTTP calls (4, 8, 12, …). */
  nextHttpToken(): number {
    this.nextHttpCallToken = (this.nextHttpCallToken + 4) >>> 0;
    if (this.nextHttpCallToken === 0) this.nextHttpCallToken = 4;
    return this.nextHttpCallToken;
  }

  /** Envoy's metric ids: the type in the low two bits, advancing by 4 before each definition (4, 8, …; 5, 9, …). */
  nextMetric(type: number): number {
    const id = this.lastMetricId[type]! + 4;
    this.lastMetricId[type] = id;
    return id;
  }
}
