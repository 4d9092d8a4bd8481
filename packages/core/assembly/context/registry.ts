// SPDX-License-Identifier: Apache-2.0
// The context registry: root-context factories by root_id, and the live root and stream contexts.
//
// Filters register factories at module top level (runs in _initialize, where no host call other
// than logging is allowed, so registration only stores the factory). The dispatcher creates
// contexts when the host announces them and forgets them on proxy_on_delete.
import { RootContext, RootContextFactory } from "./root";
import { HttpContext } from "./http";

const factories = new Map<string, RootContextFactory>();
const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();

/**
 * Registers the root context factory for a plugin `rootId` (Envoy `root_id`, Istio `pluginName`).
 * "" is the default, used when no factory matches the host's root id. Call at module top level.
 */
export function registerRootContext(factory: RootContextFactory, rootId: string = ""): void {
  factories.set(rootId, factory);
}

/** The factory for `rootId`, else the "" factory, else null. */
export function findRootFactory(rootId: string): RootContextFactory | null {
  if (factories.has(rootId)) return factories.get(rootId);
  if (factories.has("")) return factories.get("");
  return null;
}

export function addRoot(context: RootContext): void { roots.set(context.id, context); }
export function addStream(context: HttpContext): void { streams.set(context.id, context); }

export function findRoot(id: u32): RootContext | null {
  return roots.has(id) ? roots.get(id) : null;
}

export function findStream(id: u32): HttpContext | null {
  return streams.has(id) ? streams.get(id) : null;
}

export function removeRoot(id: u32): void { roots.delete(id); }
export function removeStream(id: u32): void { streams.delete(id); }

/** Number of live stream contexts (tests use it to check that streams are forgotten). */
export function liveStreamCount(): i32 { return streams.size; }
