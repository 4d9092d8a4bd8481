// SPDX-License-Identifier: Apache-2.0
// Knows whether the module is still in _initialize (module top level), where the host allows only
// logging: any other host call traps there ("restricted_callback") and Envoy refuses the module.
//
// The dispatcher marks the VM started at the first proxy_on_context_create, which cpp-host always
// sends before anything else. Wrappers that filters tend to call at top level (metrics, properties,
// shared data, queues, timers, callouts, foreign functions) check `initializing()` first: metrics
// define themselves later, on first use; the others log a critical hint and return an error value.
import { Status, LogLevel } from "./enums";
import { proxy_log } from "./imports";

let started = false;

/** Called by the dispatcher on the first callback after _initialize. */
export function markStarted(): void {
  started = true;
}

/** True while module top-level code runs (before the first proxy_on_context_create). */
// @ts-ignore: decorator
@inline export function initializing(): bool {
  return !started;
}

/**
 * Refuses a host call made from module top level: logs why at critical (logging is allowed there)
 * and returns the Status to hand back (InternalFailure).
 */
export function refuseDuringInitialize(what: string): Status {
  let message =
    what +
    " called at module top level (_initialize), where Envoy allows only logging; call it from onVmStart/onConfigure or later";
  let utf8 = String.UTF8.encode(message);
  proxy_log(<u32>LogLevel.Critical, changetype<usize>(utf8), <usize>utf8.byteLength);
  return Status.InternalFailure;
}
