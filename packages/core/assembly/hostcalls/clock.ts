// SPDX-License-Identifier: Apache-2.0
// Time and timers (spec: "Clocks" and "Timers").
//
// Core's one time unit is the millisecond: the current time, the tick period and callout timeouts
// are all milliseconds, and every name that carries a time says so (`...Milliseconds`,
// `timeoutMilliseconds`). The host's nanosecond clock is divided once, here.
//
// Valid in any callback after _initialize. The tick period applies to the calling root context (in
// a stream or callout callback: that stream's root); Envoy runs one timer per worker VM, so every
// worker gets its own onTick. The first tick comes one period after setting; 0 stops the timer.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_get_current_time_nanoseconds, proxy_set_tick_period_milliseconds } from "../abi/imports";
import { clearOut, OUT_WORD, outWord64 } from "../abi/memory";

// @ts-ignore: decorator
@lazy const timeResult = new Result<u64>(Status.NotFound, 0);

/**
 * Wall-clock time in milliseconds since the Unix epoch (Envoy freezes it for the length of a
 * callback). 0 unless Ok. Reads of it share one Result (../abi/result.ts).
 */
export function getCurrentTimeMilliseconds(): Result<u64> {
  let status = initializing() ? refuseDuringInitialize("proxy_get_current_time_nanoseconds") : Status.Ok;
  if (status == Status.Ok) {
    clearOut();
    status = fromHost(proxy_get_current_time_nanoseconds(OUT_WORD));
  }
  return timeResult.fill(status, status == Status.Ok ? outWord64() / 1_000_000 : 0);
}

/** Sets the onTick period of the current root context (0 disables). */
export function setTickPeriodMilliseconds(periodMilliseconds: u32): Status {
  if (initializing()) return refuseDuringInitialize("proxy_set_tick_period_milliseconds");
  return fromHost(proxy_set_tick_period_milliseconds(periodMilliseconds));
}
