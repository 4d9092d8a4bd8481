// SPDX-License-Identifier: Apache-2.0
// Captured plugin logs (proxy_log and WASI stdout/stderr) per level, tagged with the plugin name and the VM that wrote them.
import { LOG_LEVELS, Status, type LogLevelName } from "./enums.js";
import type { GuestVm } from "./guest_vm.js";

export interface LogRecord {
  level: LogLevelName;
  message: string;
  /** Plugin name (Envoy prints "wasm log <name> <root_id>: <message>"). */
  plugin: string;
  /** "worker 0", "canary", "base". */
  vm: string;
  /** Worker index of the VM; -1 for the base and canary VMs. */
  worker: number;
}

/** Called for every record at or above its minimum level, as the filter writes it. */
export type LogSink = (record: LogRecord) => void;

export class LogStore {
  readonly records: LogRecord[] = [];
  private readonly sinkMin: number;

  constructor(
    private readonly plugin: string,
    private readonly echo: boolean,
    private readonly sink: LogSink | null = null,
    sinkLevel: LogLevelName = "trace",
  ) {
    this.sinkMin = LOG_LEVELS.indexOf(sinkLevel);
  }

  add(level: LogLevelName, message: string, vm: string, worker: number): void {
    const record: LogRecord = { level, message, plugin: this.plugin, vm, worker };
    this.records.push(record);
    if (this.echo) console.log(`[${level}] wasm log ${this.plugin} (${vm}): ${message}`);
    if (this.sink && LOG_LEVELS.indexOf(level) >= this.sinkMin) {
      // The sink runs inside the guest's host call: an exception must not unwind through the VM.
      try {
        this.sink({ ...record });
      } catch (e) {
        console.error(`@getwild/host: the onLog sink threw: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
  }

  /** Messages at one level (or all), in order. Every level is captured whatever `logLevel` says. */
  messages(level?: LogLevelName): string[] {
    return this.records.filter((r) => level === undefined || r.level === level).map((r) => r.message);
  }
}

/** What log calls use of their VM: the host's log store and level, and the last critical log (kept for a trap). */
export interface LogVm extends GuestVm {
  lastCriticalLog: string | null;
  readonly core: { readonly logs: LogStore; readonly options: { readonly logLevel: LogLevelName } };
}

export function logImports(vm: LogVm) {
  const core = vm.core;
  return {
    proxy_log(level: number, ptr: number, size: number): number {
      const name = LOG_LEVELS[level];
      if (name === undefined) return Status.BadArgument;
      const message = vm.mem.readString(ptr, size);
      if (message === null) return Status.InvalidMemoryAccess;
      if (name === "critical") vm.lastCriticalLog = message;
      core.logs.add(name, message, vm.label, vm.worker);
      return Status.Ok;
    },
    proxy_get_log_level(outPtr: number): number {
      return vm.mem.writeU32(outPtr, LOG_LEVELS.indexOf(core.options.logLevel))
        ? Status.Ok
        : Status.InvalidMemoryAccess;
    },
  };
}
