// SPDX-License-Identifier: Apache-2.0
// The WASI subset cpp-host links (stable set + optional newer additions), with Envoy's behaviour: stdout/stderr become logs, proc_exit does not stop.
import { randomFillSync } from "node:crypto";
import type { GuestVm } from "./guest_vm.js";
import type { LogStore } from "./logs.js";
import type { Clock } from "./clock.js";
import { utf8, fromUtf8 } from "./memory.js";

const SUCCESS = 0,
  BADF = 8,
  FAULT = 21,
  INVAL = 28,
  NOENT = 44,
  NOSYS = 52,
  NOTSUP = 58;

/** What WASI calls use of their VM: the environment, the log store (stdout/stderr) and the clock. */
export interface WasiVm extends GuestVm {
  readonly core: {
    readonly options: { readonly env: Record<string, string> };
    readonly logs: LogStore;
    readonly clock: Clock;
  };
}

export function wasiImports(vm: WasiVm) {
  const core = vm.core;
  const mem = vm.mem;
  const env = Object.entries(core.options.env).map(([k, v]) => utf8(`${k}=${v}\0`));
  const writeU64 = (ptr: number, v: bigint) => (mem.writeU64(ptr, v) ? SUCCESS : FAULT);
  return {
    /** fd 1 → info log, fd 2 → error log, one trailing newline stripped; other fds EBADF. */
    fd_write(fd: number, iovs: number, iovsLen: number, nwrittenPtr: number): number {
      if (fd !== 1 && fd !== 2) return BADF;
      const parts: Uint8Array[] = [];
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const base = mem.readU32(iovs + i * 8);
        const len = mem.readU32(iovs + i * 8 + 4);
        if (base === null || len === null) return FAULT;
        const chunk = mem.read(base, len);
        if (chunk === null) return FAULT;
        parts.push(chunk);
        total += len;
      }
      if (!mem.writeU32(nwrittenPtr, total)) return FAULT;
      let text = parts.map((p) => fromUtf8(p)).join("");
      if (text.endsWith("\n")) text = text.slice(0, -1);
      core.logs.add(fd === 1 ? "info" : "error", text, vm.label, vm.worker);
      return SUCCESS;
    },
    fd_read: () => NOSYS,
    /** cpp-host's stubs answer success without doing anything (differential row wasi). */
    fd_seek: () => SUCCESS,
    fd_close: () => SUCCESS,
    /** cpp-host's answer for stdout/stderr: filetype and flags 0, rights_base FD_WRITE (64), inheriting 0. */
    fd_fdstat_get(fd: number, statPtr: number): number {
      if (fd !== 1 && fd !== 2) return BADF;
      const stat = new Uint8Array(24);
      stat[8] = 64;
      return mem.write(statPtr, stat) ? SUCCESS : FAULT;
    },
    environ_sizes_get(countPtr: number, sizePtr: number): number {
      const size = env.reduce((n, e) => n + e.length, 0);
      return mem.writeU32(countPtr, env.length) && mem.writeU32(sizePtr, size) ? SUCCESS : FAULT;
    },
    environ_get(ptrsPtr: number, bufPtr: number): number {
      let at = bufPtr;
      for (let i = 0; i < env.length; i++) {
        if (!mem.writeU32(ptrsPtr + i * 4, at) || !mem.write(at, env[i]!)) return FAULT;
        at += env[i]!.length;
      }
      return SUCCESS;
    },
    args_sizes_get(countPtr: number, sizePtr: number): number {
      return mem.writeU32(countPtr, 0) && mem.writeU32(sizePtr, 0) ? SUCCESS : FAULT;
    },
    args_get: () => SUCCESS,
    clock_time_get(id: number, _precision: bigint, outPtr: number): number {
      if (id === 0) return writeU64(outPtr, core.clock.nowNs());
      if (id === 1) return writeU64(outPtr, core.clock.monotonicNs());
      return NOTSUP;
    },
    random_get(ptr: number, len: number): number {
      if (len > 65536) return INVAL;
      const bytes = new Uint8Array(len);
      randomFillSync(bytes);
      return mem.write(ptr, bytes) ? SUCCESS : FAULT;
    },
    /** Envoy only trace-logs proc_exit; execution continues in the guest. */
    proc_exit: (_code: number): void => {},
    path_open: () => NOENT,
    fd_prestat_get: () => BADF,
    fd_prestat_dir_name: () => NOSYS,
    fd_fdstat_set_flags: () => NOSYS,
    sched_yield: () => SUCCESS,
    /**
     * cpp-host#533: no event is polled, nevents is set to 0 and the call succeeds (the Go runtime treats
     * any error here as fatal, and calls it from `_initialize` and the allocator).
     */
    poll_oneoff(_in: number, _out: number, _subscriptions: number, neventsPtr: number): number {
      return mem.writeU32(neventsPtr, 0) ? SUCCESS : FAULT;
    },
    clock_res_get(id: number, outPtr: number): number {
      return id === 0 || id === 1 ? writeU64(outPtr, 1n) : NOTSUP;
    },
  };
}
