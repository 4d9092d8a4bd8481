// SPDX-License-Identifier: Apache-2.0
// The public test/driver API: createHost(options) → Host with streams, whole requests, callouts, time, logs, metrics, shared data and failures.
import { readFile } from "node:fs/promises";
import { HostCore, type HostOptions, type VmFailureRecord } from "./host_core.js";
import { HttpStream, type ClientResponse } from "./stream.js";
import { HeaderMap, type HeadersInit } from "./header_map.js";
import { validateModule, type ValidationResult } from "./validate.js";
import { parseWasm } from "./wasm_parser.js";
import { encodePropertyValue, propertyKey, type PropertyValue } from "./property_value.js";
import { utf8, fromUtf8 } from "./memory.js";
import type { LogLevelName } from "./enums.js";
import type { LogRecord } from "./logs.js";
import type { Metric } from "./metrics.js";
import type { PendingCall } from "./callouts.js";
import { Vm } from "./vm.js";

/** Thrown by createHost when Envoy would refuse the module or the configuration. */
export class HostLoadError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
  ) {
    super(message);
    this.name = "HostLoadError";
  }
}

export interface RequestSpec {
  method?: string;
  path?: string;
  authority?: string;
  scheme?: string;
  headers?: HeadersInit;
  /** The body, or its chunks (each delivered as one on_request_body). */
  body?: string | Uint8Array | (string | Uint8Array)[];
  trailers?: HeadersInit;
  worker?: number;
}

export interface UpstreamReply {
  status?: number;
  headers?: HeadersInit;
  body?: string | Uint8Array | (string | Uint8Array)[];
  trailers?: HeadersInit;
}

export type UpstreamRequest = HttpStream["upstreamRequest"];
export type Upstream = UpstreamReply | ((req: UpstreamRequest) => UpstreamReply | Promise<UpstreamReply>);

export interface RequestResult extends ClientResponse {
  /** The plugin's local reply, if it sent one. */
  localResponse: HttpStream["localResponse"];
  /** The request stayed paused (e.g. an http call nobody answered); the stream is left open. */
  stalled: boolean;
  upstreamRequest: UpstreamRequest | null;
  stream: HttpStream;
}

/**
 * Direct access to one worker's VM, for tests that call a module's own exports or inspect its
 * memory (codec fixtures fed exact bytes, leak probes). Calls made through `exports` bypass the
 * host: no context is current, so a guest that makes host calls there gets what cpp-host gives a
 * call outside any callback.
 */
export interface WorkerVm {
  /** Worker index (as in `newHttpStream({ worker })`). */
  readonly index: number;
  /** The VM's current instance exports (functions, memory, globals); a FAIL_RELOAD replacement has new ones. */
  readonly exports: WebAssembly.Exports;
  /** The linear memory (exported, or the one the host created for a module that imports it). */
  readonly memory: WebAssembly.Memory;
  /** The VM trapped and is not replaced yet. */
  readonly failed: boolean;
}

export class Host {
  private nextWorker = 0;

  constructor(
    private readonly core: HostCore,
    readonly validation: ValidationResult,
  ) {}

  get options() {
    return this.core.options;
  }

  get workers(): number {
    return this.core.workers.length;
  }

  /** A new HTTP stream (context) on a worker (round-robin unless given); FAIL_RELOAD replaces a failed VM first. */
  newHttpStream(opts: { worker?: number } = {}): HttpStream {
    const n = this.core.workers.length;
    const w = opts.worker ?? this.nextWorker++ % n;
    if (w < 0 || w >= n) throw new Error(`no worker ${w}`);
    let vm = this.core.workers[w]!;
    // FAIL_RELOAD waits out Envoy's back-off after the failure; until then streams get the 503.
    if (
      vm.failed &&
      this.core.options.failurePolicy === "FAIL_RELOAD" &&
      this.core.nowMs - vm.failedAtMs >= this.core.options.reloadBackoffMs
    ) {
      vm = this.reload(w);
    }
    return new HttpStream(this.core, vm, vm.allocContextId());
  }

  private reload(w: number): Vm {
    const old = this.core.workers[w]!;
    for (const call of [...old.callouts.values()]) call.cancel();
    try {
      const vm = this.core.startVm(`worker ${w}`, w);
      this.core.workers[w] = vm;
      return vm;
    } catch {
      old.failedAtMs = this.core.nowMs; // the fresh VM failed to start as well: back off again
      return old;
    }
  }

  /** Drives a whole stream like Envoy: request callbacks, upstream (unless answered locally), response callbacks, end. */
  async request(req: RequestSpec = {}, upstream: Upstream = {}): Promise<RequestResult> {
    const stream = this.newHttpStream({ worker: req.worker });
    const headers = withDefaults(
      [
        [":method", req.method ?? "GET"],
        [":scheme", req.scheme ?? "http"],
        [":authority", req.authority ?? "localhost"],
        [":path", req.path ?? "/"],
      ],
      req.headers,
    );
    const chunks = toChunks(req.body);
    const hasTrailers = req.trailers !== undefined;
    stream.sendRequestHeaders(headers, { endOfStream: chunks.length === 0 && !hasTrailers });
    chunks.forEach((c, i) => stream.sendRequestBody(c, { endOfStream: i === chunks.length - 1 && !hasTrailers }));
    if (hasTrailers) stream.sendRequestTrailers(req.trailers!);
    await this.idle();
    let upstreamRequest: UpstreamRequest | null = null;
    if (
      stream.upstreamRequest.complete &&
      !stream.localResponse &&
      !stream.resetReason &&
      !stream.clientResponse.headers.has(":status")
    ) {
      upstreamRequest = stream.upstreamRequest;
      const reply = typeof upstream === "function" ? await upstream(upstreamRequest) : upstream;
      const rh = withDefaults([[":status", String(reply.status ?? 200)]], reply.headers);
      const rc = toChunks(reply.body);
      const rt = reply.trailers !== undefined;
      stream.responseCodeDetails ??= "via_upstream";
      stream.sendResponseHeaders(rh, { endOfStream: rc.length === 0 && !rt });
      rc.forEach((c, i) => stream.sendResponseBody(c, { endOfStream: i === rc.length - 1 && !rt }));
      if (rt) stream.sendResponseTrailers(reply.trailers!);
      await this.idle();
    }
    const stalled = !stream.clientResponse.complete && !stream.resetReason;
    if (!stalled) stream.complete();
    return { ...stream.clientResponse, localResponse: stream.localResponse, stalled, upstreamRequest, stream };
  }

  /** Waits until every automatically answered http call has been delivered. */
  async idle(): Promise<void> {
    while (this.core.inflight.size > 0) await Promise.all([...this.core.inflight]);
  }

  /** Pending http calls of every VM, oldest first per VM. */
  pendingCalls(): PendingCall[] {
    return this.core.workers.flatMap((vm) => [...vm.callouts.values()]);
  }

  /** Moves time forward: ticks fire per VM per period, callouts past their timeout get Envoy's 504. */
  advance(ms: number): void {
    this.core.advance(ms);
  }

  /** Tick period set by a worker's plugin (0 = none). */
  tickPeriod(worker = 0): number {
    return this.core.workers[worker]?.tickPeriodMs ?? 0;
  }

  logs(level?: LogLevelName): string[] {
    return this.core.logs.messages(level);
  }

  get logRecords(): readonly LogRecord[] {
    return this.core.logs.records;
  }

  /** Counter or gauge value by name (undefined if never defined). */
  metric(name: string): number | undefined {
    const m = this.core.metrics.byName.get(name);
    return m && m.type !== "histogram" ? Number(m.value) : undefined;
  }

  histogram(name: string): number[] {
    return (this.core.metrics.byName.get(name)?.samples ?? []).map(Number);
  }

  metrics(): Metric[] {
    return [...this.core.metrics.byName.values()];
  }

  /** Shared data of this plugin's vm_id (what every worker sees). */
  get sharedData() {
    const core = this.core;
    const vmId = core.options.vmId;
    return {
      get: (key: string) => {
        const e = core.sharedData.get(vmId, key);
        return e ? { value: e.value, text: fromUtf8(e.value), cas: e.cas } : undefined;
      },
      set: (key: string, value: string | Uint8Array, cas = 0) =>
        core.sharedData.set(vmId, key, typeof value === "string" ? utf8(value) : value, cas),
      keys: () => core.sharedData.keys(vmId),
    };
  }

  queueSize(name: string, vmId = this.core.options.vmId): number {
    const token = this.core.queues.resolve(vmId, name);
    return token === undefined ? 0 : this.core.queues.size(token);
  }

  /** Sets a host property (dotted path or segment list) for every stream. */
  setProperty(path: string | string[], value: PropertyValue): void {
    this.core.properties.set(propertyKey(path), encodePropertyValue(value));
  }

  /** Every VM failure so far (trap message like cpp-host, JS stack, last critical log). */
  get failures(): readonly VmFailureRecord[] {
    return this.core.failures;
  }

  /** The current VM of a worker has failed (and is not yet replaced). */
  isFailed(worker = 0): boolean {
    return !!this.core.workers[worker]?.failed;
  }

  /** The current VM of worker `index` (default 0): raw exports and memory; throws for a worker that does not exist. */
  worker(index = 0): WorkerVm {
    const core = this.core;
    if (!Number.isInteger(index) || !core.workers[index])
      throw new Error(`no worker ${index} (the host has ${core.workers.length})`);
    const current = () => core.workers[index]!;
    return {
      index,
      get exports() {
        return current().exports as unknown as WebAssembly.Exports;
      },
      get memory() {
        return current().memory;
      },
      get failed() {
        return current().failed;
      },
    };
  }

  /** Linear memory size of a worker's VM (for leak checks over many requests). */
  memoryBytes(worker = 0): number {
    return this.core.workers[worker]?.mem.byteLength ?? 0;
  }

  /** Plugin shutdown: per VM, root on_done then on_delete (or after proxy_done); pending calls are cancelled. */
  close(): void {
    for (const vm of this.core.workers) this.core.shutdownRoot(vm);
  }
}

/**
 * The given headers after the default pseudo-headers, every value kept in order (repeated headers
 * such as two `accept` or `set-cookie` lines stay separate entries, as in Envoy's header map). A
 * pseudo-header given explicitly replaces its default.
 */
function withDefaults(defaults: [string, string][], given: HeadersInit | undefined): HeaderMap {
  const extra = new HeaderMap(given).pairs();
  const overridden = new Set(extra.map(([k]) => k).filter((k) => k.startsWith(":")));
  const map = new HeaderMap(defaults.filter(([k]) => !overridden.has(k)));
  for (const [k, v] of extra) map.add(k, v);
  return map;
}

function toChunks(body: RequestSpec["body"]): Uint8Array[] {
  if (body === undefined) return [];
  const list = Array.isArray(body) ? body : [body];
  return list.map((c) => (typeof c === "string" ? utf8(c) : c)).filter((c, i, all) => c.length > 0 || all.length === 1);
}

/** Loads, validates and starts a plugin like Envoy: base VM, canary, then one VM per worker. */
export async function createHost(options: HostOptions): Promise<Host> {
  const bytes =
    typeof options.wasm === "string"
      ? new Uint8Array(await readFile(options.wasm))
      : options.wasm instanceof Uint8Array
        ? options.wasm
        : new Uint8Array(options.wasm);
  const validation = validateModule(bytes, { wasi: options.wasi });
  if (!validation.ok) throw new HostLoadError(validation.errors[0]!, validation.errors);
  const core = new HostCore(options, new WebAssembly.Module(bytes as BufferSource), parseWasm(bytes));
  try {
    const base = new Vm(core, "base", -1, core.module);
    base.start();
    if (base.failure)
      throw new Error(`Unable to create Wasm HTTP filter ${core.options.name}: ${base.failure.message}`);
    if (core.options.canary) {
      const canary = core.startVm("canary", -1);
      for (const call of [...canary.callouts.values()]) call.cancel();
    }
    for (let i = 0; i < core.options.workers; i++) core.workers.push(core.startVm(`worker ${i}`, i));
  } catch (e) {
    throw new HostLoadError((e as Error).message, [(e as Error).message]);
  }
  return new Host(core, validation);
}
