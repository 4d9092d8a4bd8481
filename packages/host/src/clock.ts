// SPDX-License-Identifier: Apache-2.0
// Injectable time: wall clock and monotonic nanoseconds for the guest, plus proxy_get_current_time / tick-period host calls.
import { Status } from "./enums.js";
import type { GuestVm } from "./guest_vm.js";

export interface Clock {
  /** Wall-clock time in nanoseconds since the Unix epoch. */
  nowNs(): bigint;
  /** Monotonic time in nanoseconds. */
  monotonicNs(): bigint;
}

/**
 * A clock that only moves when `advance` is called; starts at `startMs` (default: the real time at
 * creation). Its monotonic time starts at the process's monotonic reading, never 0: Envoy's steady clock
 * is never 0, and the Go runtime (wasip1) refuses to start on a zero `nanotime`.
 */
export class VirtualClock implements Clock {
  private wall: bigint;
  private mono = process.hrtime.bigint();

  constructor(startMs: number = Date.now()) {
    this.wall = BigInt(Math.trunc(startMs)) * 1_000_000n;
  }

  nowNs(): bigint {
    return this.wall;
  }

  monotonicNs(): bigint {
    return this.mono;
  }

  advance(ms: number): void {
    const ns = BigInt(Math.round(ms * 1_000_000));
    this.wall += ns;
    this.mono += ns;
  }
}

/** The process clock, for the dev proxy. */
export class SystemClock implements Clock {
  nowNs(): bigint {
    return BigInt(Date.now()) * 1_000_000n;
  }
  monotonicNs(): bigint {
    return process.hrtime.bigint();
  }
}

/** What time calls use of their VM: its tick timer and the host's clock and timer time. */
export interface ClockVm extends GuestVm {
  tickPeriodMs: number;
  nextTickAtMs: number;
  readonly core: { readonly clock: Clock; readonly nowMs: number };
}

export function clockImports(vm: ClockVm) {
  const core = vm.core;
  return {
    proxy_get_current_time_nanoseconds(outPtr: number): number {
      return vm.mem.writeU64(outPtr, core.clock.nowNs()) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    /** Envoy arms one timer per VM for its root context; the first tick comes one period later, 0 disables. */
    proxy_set_tick_period_milliseconds(periodMs: number): number {
      vm.tickPeriodMs = periodMs;
      vm.nextTickAtMs = core.nowMs + periodMs;
      return Status.Ok;
    },
  };
}
