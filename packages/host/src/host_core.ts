// SPDX-License-Identifier: Apache-2.0
// Host-wide state shared by every VM of one plugin: options, stores, timers, the after-call queue, VM start-up and failure policy.
import { Vm } from "./vm.js";
import { LogStore, type LogSink } from "./logs.js";
import { MetricStore } from "./metrics.js";
import { SharedDataStore } from "./shared_data.js";
import { QueueStore } from "./queues.js";
import { VirtualClock, type Clock } from "./clock.js";
import { encodePropertyValue, propertyKey, type PropertyValue } from "./property_value.js";
import type { PendingCall, HttpCallOutcome, ClusterSpec } from "./callouts.js";
import type { FailurePolicy, LogLevelName } from "./enums.js";
import { DEFAULT_WASI, type WasiSet } from "./registry.js";
import type { ParsedImport, ParsedModule } from "./wasm_parser.js";
import type { ConnectionOptions } from "./connection.js";
import type { ForeignFunction } from "./imports.js";

export type { ForeignFunction };

export interface HostOptions {
  /** Path to the .wasm file, or its bytes. */
  wasm: string | Uint8Array | ArrayBuffer;
  /** Envoy `root_id` (selects the root context; "" is allowed). */
  rootId?: string;
  /** Envoy plugin `name` (logs, `plugin_name` property); defaults to rootId, or "getwild". */
  name?: string;
  /** Envoy `vm_config.vm_id`: scope of shared data and queues. */
  vmId?: string;
  /** Plugin configuration (buffer 7); objects are passed as JSON, like Istio's WasmPlugin. */
  pluginConfig?: string | Uint8Array | object;
  /** VM configuration (buffer 6). */
  vmConfig?: string | Uint8Array;
  /** Worker threads = VMs created from the module (default 1). */
  workers?: number;
  /** Run Envoy's throw-away canary VM (create, vm_start, configure) first (default true). */
  canary?: boolean;
  failurePolicy?: FailurePolicy;
  /**
   * FAIL_RELOAD: how long after a VM failure its streams keep getting the 503 before the next stream
   * starts a fresh VM (default 1000 ms, Envoy's base back-off; measured 1.05-1.25 s in Envoy 1.40).
   * Host time: with the default clock it passes with `advance()`.
   */
  reloadBackoffMs?: number;
  /**
   * Clusters proxy_http_call may target: names, or `{ name, hosts: 0 }` for a cluster without any
   * host (Envoy's call then fails at once with INTERNAL_FAILURE and no callback).
   */
  clusters?: (string | ClusterSpec)[];
  /** Answers http calls automatically (the dev proxy); without it, tests answer via pendingCalls(). */
  httpCallHandler?: (call: PendingCall) => HttpCallOutcome | Promise<HttpCallOutcome>;
  clock?: Clock & { advance?(ms: number): void };
  /** What proxy_get_log_level reports (default "info"); every level is captured regardless. */
  logLevel?: LogLevelName;
  /** Host properties by dotted path ("node.id") or NUL-free segment list joined by "." . */
  properties?: Record<string, PropertyValue>;
  foreignFunctions?: Record<string, ForeignFunction>;
  /** Envoy per-connection buffer limit (default 1 MiB). */
  bufferLimitBytes?: number;
  wasi?: WasiSet;
  /** VM environment variables (WASI environ). */
  env?: Record<string, string>;
  /** End-of-stream callback order: Envoy's log → done → delete (default) or the spec's done → log → delete. */
  lifecycleOrder?: "envoy" | "spec";
  /** Also print captured logs to the console. */
  echoLogs?: boolean;
  /**
   * Called with each log record (level, message, plugin, vm, worker) as the filter writes it, from
   * every VM (base, canary, workers), start-up included; only records at or above `onLogLevel`.
   */
  onLog?: LogSink;
  /** Minimum level passed to `onLog` (default "trace": every record). Capture in `logRecords` is unaffected. */
  onLogLevel?: LogLevelName;
  /**
   * The downstream connection every stream reports (source/destination addresses, TLS) and the
   * upstream address; default a plaintext client on 127.0.0.1, listener 127.0.0.1:10000, upstream
   * 127.0.0.1:8080. A stream's own `connection` may be changed before its first callback.
   */
  connection?: ConnectionOptions;
  /**
   * Run the plugin's own local replies through its response callbacks, as Envoy's encoder chain does
   * (default true). false sends them straight to the client (to mimic hosts that skip the sender).
   */
  localReplyThroughFilter?: boolean;
}

export interface ResolvedOptions {
  rootId: string;
  name: string;
  vmId: string;
  pluginConfig: Uint8Array;
  vmConfig: Uint8Array;
  workers: number;
  canary: boolean;
  failurePolicy: FailurePolicy;
  reloadBackoffMs: number;
  logLevel: LogLevelName;
  foreignFunctions: Record<string, ForeignFunction>;
  bufferLimitBytes: number;
  wasi: WasiSet;
  env: Record<string, string>;
  lifecycleOrder: "envoy" | "spec";
  localReplyThroughFilter: boolean;
}

const bytesOf = (v: string | Uint8Array | object | undefined): Uint8Array =>
  v === undefined
    ? new Uint8Array(0)
    : v instanceof Uint8Array
      ? v
      : new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

export function resolveOptions(o: HostOptions): ResolvedOptions {
  const rootId = o.rootId ?? "";
  return {
    rootId,
    name: o.name ?? (rootId || "getwild"),
    vmId: o.vmId ?? "",
    pluginConfig: bytesOf(o.pluginConfig),
    vmConfig: bytesOf(o.vmConfig),
    workers: Math.max(1, o.workers ?? 1),
    canary: o.canary ?? true,
    failurePolicy: o.failurePolicy ?? "FAIL_CLOSED",
    reloadBackoffMs: Math.max(0, o.reloadBackoffMs ?? 1000),
    logLevel: o.logLevel ?? "info",
    foreignFunctions: o.foreignFunctions ?? {},
    bufferLimitBytes: o.bufferLimitBytes ?? 1024 * 1024,
    wasi: o.wasi ?? DEFAULT_WASI,
    env: o.env ?? {},
    lifecycleOrder: o.lifecycleOrder ?? "envoy",
    localReplyThroughFilter: o.localReplyThroughFilter ?? true,
  };
}

export interface VmFailureRecord {
  vm: string;
  worker: number;
  message: string;
  stack: string;
  criticalLog: string | null;
}

export class HostCore {
  readonly options: ResolvedOptions;
  readonly clock: Clock & { advance?(ms: number): void };
  /** Host timer time in ms (drives ticks and callout timeouts); moves only with advance(). */
  nowMs = 0;
  readonly logs: LogStore;
  readonly metrics = new MetricStore();
  readonly sharedData = new SharedDataStore();
  readonly queues = new QueueStore();
  readonly properties = new Map<string, Uint8Array>();
  /** Cluster name → number of hosts (Infinity when not given). */
  readonly clusters: Map<string, number>;
  readonly workers: Vm[] = [];
  readonly failures: VmFailureRecord[] = [];
  readonly inflight = new Set<Promise<void>>();
  /** Memories the module imports (the host creates them). */
  readonly memoryImports: ParsedImport[];
  private readonly queue: (() => void)[] = [];
  private lastConnectionId = 0;
  private depth = 0;

  constructor(
    readonly raw: HostOptions,
    readonly module: WebAssembly.Module,
    parsed: ParsedModule,
  ) {
    this.memoryImports = parsed.imports.filter((i) => i.kind === "memory" && i.limits);
    this.options = resolveOptions(raw);
    this.clock = raw.clock ?? new VirtualClock();
    this.logs = new LogStore(this.options.name, !!raw.echoLogs, raw.onLog ?? null, raw.onLogLevel ?? "trace");
    this.clusters = new Map(
      (raw.clusters ?? []).map((c) => (typeof c === "string" ? [c, Infinity] : [c.name, c.hosts ?? Infinity])),
    );
    for (const [path, value] of Object.entries(raw.properties ?? {}))
      this.properties.set(propertyKey(path), encodePropertyValue(value));
  }

  /** Envoy numbers connections from 1; each stream of the host gets its own connection. */
  nextConnectionId(): number {
    return ++this.lastConnectionId;
  }

  /** Queue work to run once the current VM call (and the test operation around it) has returned. */
  defer(fn: () => void): void {
    this.queue.push(fn);
    if (this.depth === 0) this.settle(() => undefined);
  }

  /** Runs `fn`, then drains the after-call queue (nested settles drain at the outermost level). */
  settle<T>(fn: () => T): T {
    this.depth++;
    try {
      return fn();
    } finally {
      if (this.depth === 1) {
        try {
          while (this.queue.length > 0) this.queue.shift()!();
        } finally {
          this.depth--;
        }
      } else {
        this.depth--;
      }
    }
  }

  onVmFailed(vm: Vm): void {
    const f = vm.failure!;
    this.failures.push({
      vm: vm.label,
      worker: vm.worker,
      message: f.message,
      stack: f.stack,
      criticalLog: f.criticalLog,
    });
  }

  onCalloutCreated(call: PendingCall): void {
    const handler = this.raw.httpCallHandler;
    if (!handler) return;
    const p: Promise<void> = Promise.resolve()
      .then(() => handler(call))
      .then(
        (outcome) => {
          if (!call.pending) return;
          if (outcome === "reset") call.fail();
          else if (outcome === "timeout") call.timeout();
          else call.respond(outcome);
        },
        () => {
          if (call.pending) call.fail();
        },
      )
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /**
   * Creates a VM, runs its start functions, root context, on_vm_start and on_configure (throws Envoy-like
   * errors). A VM that failed without its callback failing (a trap in the allocator during a host call)
   * still starts, as in cpp-host: on_configure is skipped, as cpp-host skips it on a failed VM, and the
   * failure policy answers its streams.
   */
  startVm(label: string, worker: number): Vm {
    const vm = new Vm(this, label, worker, this.module);
    const fail = (why: string) => new Error(`Unable to create Wasm HTTP filter ${this.options.name}: ${why}`);
    const failure = (): string | null => vm.failure?.message ?? null;
    vm.start();
    if (failure()) throw fail(failure()!);
    const id = vm.allocContextId();
    vm.root = { kind: "root", id, pendingDone: false };
    vm.contexts.set(id, vm.root);
    this.settle(() => {
      vm.call("proxy_on_context_create", id, id, 0);
      const started = vm.has("proxy_on_vm_start")
        ? vm.call("proxy_on_vm_start", id, id, this.options.vmConfig.length)
        : 1;
      if (started === undefined && failure()) throw fail(failure()!);
      if (started === 0) throw fail("Failed to start Wasm VM: proxy_on_vm_start returned false");
      if (vm.failed) return;
      vm.inConfigure = true;
      let configured: number | undefined;
      try {
        configured = vm.has("proxy_on_configure")
          ? vm.call("proxy_on_configure", id, id, this.options.pluginConfig.length)
          : 1;
      } finally {
        vm.inConfigure = false;
      }
      if (configured === undefined && failure()) throw fail(failure()!);
      if (configured === 0) throw fail("plugin configuration was rejected: proxy_on_configure returned false");
    });
    return vm;
  }

  /** Root shutdown: on_done, then on_delete now (true) or after proxy_done (false); its calls are cancelled. */
  shutdownRoot(vm: Vm): void {
    const root = vm.root;
    if (!root) return;
    for (const call of [...vm.callouts.values()]) call.cancel();
    if (vm.failed) return;
    this.settle(() => {
      const done = vm.call("proxy_on_done", root.id, root.id);
      if (done === 0) root.pendingDone = true;
      else this.deleteRoot(vm);
    });
  }

  deleteRoot(vm: Vm): void {
    const root = vm.root;
    if (!root) return;
    vm.call("proxy_on_delete", root.id, root.id);
    vm.contexts.delete(root.id);
    vm.root = null;
    vm.tickPeriodMs = 0;
  }

  /** Moves host time forward, firing ticks (per VM, per period) and callout timeouts in time order. */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let next = Infinity;
      let fire: (() => void) | null = null;
      for (const vm of this.workers) {
        if (vm.tickPeriodMs > 0 && vm.root && !vm.failed && vm.nextTickAtMs <= target && vm.nextTickAtMs < next) {
          next = vm.nextTickAtMs;
          fire = () => {
            vm.nextTickAtMs = next + vm.tickPeriodMs;
            vm.call("proxy_on_tick", vm.root!.id, vm.root!.id);
          };
        }
        for (const call of vm.callouts.values()) {
          if (call.deadlineMs !== null && call.deadlineMs <= target && call.deadlineMs < next) {
            next = call.deadlineMs;
            fire = () => call.timeout();
          }
        }
      }
      if (!fire) break;
      this.clock.advance?.(next - this.nowMs);
      this.nowMs = next;
      this.settle(fire);
    }
    this.clock.advance?.(target - this.nowMs);
    this.nowMs = target;
  }
}
