// SPDX-License-Identifier: Apache-2.0
// Time and timers (spec: "Clocks" and "Timers").
//
// Valid in any callback after _initialize. The tick period applies to the calling root context (in
// a stream or callout callback: that stream's root); Envoy runs one timer per worker VM, so every
// worker gets its own onTick. The first tick comes one period after setting; 0 stops the timer.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_get_current_time_nanoseconds, proxy_set_tick_period_milliseconds } from "../abi/imports";
import { clearOut, OUT_WORD, outWord64 } from "../abi/memory";

/** Wall-clock time in nanoseconds since the Unix epoch (the host may freeze it); 0 on failure. */
export function getCurrentTimeNanoseconds(): u64 {
  if (initializing()) {
    refuseDuringInitialize("proxy_get_current_time_nanoseconds");
    return 0;
  }
  clearOut();
  if (fromHost(proxy_get_current_time_nanoseconds(OUT_WORD)) != Status.Ok) return 0;
  return outWord64();
}

/** Wall-clock time in whole seconds since the Unix epoch (what JWT `exp`/`nbf` compare with). */
export function getCurrentTimeSeconds(): u64 {
  return getCurrentTimeNanoseconds() / 1_000_000_000;
}

/** Wall-clock time in milliseconds since the Unix epoch. */
export function getCurrentTimeMilliseconds(): u64 {
  return getCurrentTimeNanoseconds() / 1_000_000;
}

/** Sets the onTick period of the current root context (0 disables). */
export function setTickPeriodMilliseconds(periodMilliseconds: u32): Status {
  if (initializing()) return refuseDuringInitialize("proxy_set_tick_period_milliseconds");
  return fromHost(proxy_set_tick_period_milliseconds(periodMilliseconds));
}
