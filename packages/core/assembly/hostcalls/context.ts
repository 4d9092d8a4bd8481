// SPDX-License-Identifier: Apache-2.0
// Context control (spec: "Context management"): effective context and deferred plugin shutdown.
//
// The dispatcher already sets the effective context before a callout callback runs; call
// `setEffectiveContext` yourself only to act on another live stream (e.g. from onTick or
// onQueueReady, to resume streams your plugin parked). It lasts until the current callback
// returns. BadArgument: no such context (the stream is gone) — the usual, harmless case.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { proxy_set_effective_context, proxy_done } from "../abi/imports";

/** Makes `contextId` the target of stream/header calls until the current callback returns. */
export function setEffectiveContext(contextId: u32): Status {
  return fromHost(proxy_set_effective_context(contextId));
}

/** Completes a shutdown the root context deferred by returning false from onDone (NotFound otherwise). */
export function pluginDone(): Status {
  return fromHost(proxy_done());
}
