// SPDX-License-Identifier: Apache-2.0
// The context registry: root-context factories by root_id, and the live root and stream contexts.
//
// Filters register factories at module top level (runs in _initialize, where no host call other
// than logging is allowed, so registration only stores the factory). The dispatcher creates
// contexts when the host announces them and forgets them on proxy_on_delete. A VM holds one root
// context per plugin sharing it (almost always one), so factories and roots live in short lists
// (less code than a Map or more Array instances in every module); streams, one per in-flight
// request, live in a StreamTable.
import { RootContext, RootContextFactory } from "./root";
import { StreamContext } from "./stream";
import { StreamTable } from "./stream_table";

/** One registered factory; the registrations form a short list (usually one entry). */
class Registration {
  constructor(
    public readonly rootId: string,
    public factory: RootContextFactory,
    public readonly next: Registration | null,
  ) {}
}

let registrations: Registration | null = null;
let roots: RootContext | null = null;
const streams = new StreamTable();

/**
 * Registers the root context factory for a plugin `rootId` (Envoy `root_id`, Istio `pluginName`).
 * "" is the default, used when no factory matches the host's root id. Call at module top level.
 * Registering the same id again replaces the factory.
 */
export function registerRootContext(factory: RootContextFactory, rootId: string = ""): void {
  let known = registrationOf(rootId);
  if (known !== null) known.factory = factory;
  else registrations = new Registration(rootId, factory, registrations);
}

function registrationOf(rootId: string): Registration | null {
  let entry = registrations;
  while (entry !== null && entry.rootId != rootId) entry = entry.next;
  return entry;
}

/**
 * The factory for `rootId`, else the "" factory, else null. When the host could not tell the root
 * id (`rootIdKnown` false: no plugin_root_id property), a lone registered factory is used.
 */
export function findRootFactory(rootId: string, rootIdKnown: bool = true): RootContextFactory | null {
  let found = registrationOf(rootId);
  if (found === null) found = registrationOf("");
  let only = registrations;
  if (found === null && !rootIdKnown && only !== null && only.next === null) found = only;
  return found === null ? null : found.factory;
}

export function addRoot(context: RootContext): void {
  removeRoot(context.id);
  context.nextRoot = roots;
  roots = context;
}

export function addStream(context: StreamContext): void {
  streams.add(context);
}

export function findRoot(id: u32): RootContext | null {
  let root = roots;
  while (root !== null && root.id != id) root = root.nextRoot;
  return root;
}

export function findStream(id: u32): StreamContext | null {
  return streams.find(id);
}

export function removeRoot(id: u32): void {
  let previous: RootContext | null = null;
  let root = roots;
  while (root !== null) {
    if (root.id == id) {
      if (previous === null) roots = root.nextRoot;
      else previous.nextRoot = root.nextRoot;
      return;
    }
    previous = root;
    root = root.nextRoot;
  }
}

export function removeStream(id: u32): void {
  streams.remove(id);
}

/** Number of live stream contexts (tests use it to check that streams are forgotten). */
export function liveStreamCount(): i32 {
  return streams.size;
}
