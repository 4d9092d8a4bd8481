// SPDX-License-Identifier: Apache-2.0
// Routes every host callback (proxy_on_*) to the right context object.
//
// Unknown context ids (a stream the root declined, a context already deleted, a host bug) are
// answered with the neutral value (Continue / true / nothing) instead of trapping. Callout replies
// are routed by (root id, token) to the handler the calling context registered, after making that
// context effective; replies for streams that are gone are dropped.
import { Action, LogLevel, Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { proxy_set_effective_context, proxy_get_property } from "../abi/imports";
import { clearOut, OUT_PTR, OUT_SIZE, takeOutString, borrowScratch, releaseScratch, writeUtf8 } from "../abi/memory";
import { log } from "../hostcalls/log";
import { HttpCallResponse } from "../hostcalls/http_call";
import { RootContext } from "./root";
import { StreamContext } from "./stream";
import { findRootFactory, addRoot, addStream, findRoot, findStream, removeRoot, removeStream } from "./registry";
import { takePendingCall, dropPendingCalls } from "./callouts";
import { markStarted } from "../abi/phase";

/** Stands in when no factory matches the host's root id: fails configuration, loudly. */
class UnregisteredRoot extends RootContext {
  onConfigure(pluginConfigurationSize: u32): bool {
    log(LogLevel.Critical, 'no root context registered for root_id "' + this.rootId + '"');
    return false;
  }
}

/** Whether the host told the plugin's root_id (see readRootId). */
let rootIdKnown = false;

/**
 * Property `plugin_root_id`, read straight as a one-segment path (getPropertyString's path
 * encoding would be in every module); "" when the host has none (then rootIdKnown is false).
 */
function readRootId(): string {
  const PROPERTY = "plugin_root_id";
  let path = borrowScratch(<usize>PROPERTY.length);
  let len = writeUtf8(PROPERTY, path);
  clearOut();
  let status = fromHost(proxy_get_property(path, len, OUT_PTR, OUT_SIZE));
  releaseScratch(path);
  rootIdKnown = status == Status.Ok;
  return rootIdKnown ? takeOutString() : "";
}

export function onContextCreate(contextId: u32, parentContextId: u32): void {
  markStarted();
  if (parentContextId == 0) {
    let name = readRootId();
    let factory = findRootFactory(name, rootIdKnown);
    let root = factory === null ? new UnregisteredRoot(contextId) : factory(contextId);
    root.rootId = name;
    addRoot(root);
    return;
  }
  let root = findRoot(parentContextId);
  if (root === null) return;
  let stream = root.createHttpContext(contextId);
  if (stream !== null) addStream(stream);
}

export function onVmStart(rootContextId: u32, vmConfigurationSize: u32): bool {
  let root = findRoot(rootContextId);
  return root === null ? false : root.onVmStart(vmConfigurationSize);
}

export function onConfigure(rootContextId: u32, pluginConfigurationSize: u32): bool {
  let root = findRoot(rootContextId);
  return root === null ? false : root.onConfigure(pluginConfigurationSize);
}

export function onTick(rootContextId: u32): void {
  let root = findRoot(rootContextId);
  if (root !== null) root.onTick();
}

export function onQueueReady(rootContextId: u32, queueId: u32): void {
  let root = findRoot(rootContextId);
  if (root !== null) root.onQueueReady(queueId);
}

export function onForeignFunction(rootContextId: u32, functionId: u32, argumentsSize: u32): void {
  let root = findRoot(rootContextId);
  if (root !== null) root.onForeignFunction(functionId, argumentsSize);
}

/** Applies the local-response rule: a callback that sent one returns Pause, whatever it returned. */
// @ts-ignore: decorator
@inline function settle(stream: StreamContext, action: Action): u32 {
  if (stream.localResponseInCallback) {
    stream.localResponseInCallback = false;
    return <u32>Action.Pause;
  }
  return <u32>action;
}

export function onRequestHeaders(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onRequestHeaders(numHeaders, endOfStream));
}

export function onRequestBody(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onRequestBody(bodySize, endOfStream));
}

export function onRequestTrailers(contextId: u32, numTrailers: u32): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onRequestTrailers(numTrailers));
}

export function onResponseHeaders(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onResponseHeaders(numHeaders, endOfStream));
}

export function onResponseBody(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onResponseBody(bodySize, endOfStream));
}

export function onResponseTrailers(contextId: u32, numTrailers: u32): u32 {
  let stream = findStream(contextId);
  if (stream === null) return <u32>Action.Continue;
  stream.localResponseInCallback = false;
  return settle(stream, stream.onResponseTrailers(numTrailers));
}

export function onHttpCallResponse(
  rootContextId: u32,
  token: u32,
  numHeaders: u32,
  bodySize: u32,
  numTrailers: u32,
): void {
  let call = takePendingCall(rootContextId, token);
  if (call === null) return; // unknown token: not ours, or already answered
  if (call.originId == rootContextId) {
    if (findRoot(rootContextId) === null) return;
  } else {
    let stream = findStream(call.originId);
    if (stream === null) return; // the stream ended before the reply: drop it
    // Stream operations in the handler must act on the originating stream, not on the root.
    if (fromHost(proxy_set_effective_context(call.originId)) != Status.Ok) return;
    stream.localResponseInCallback = false;
  }
  call.handler.onHttpCallResponse(new HttpCallResponse(token, numHeaders, bodySize, numTrailers));
}

export function onLog(contextId: u32): void {
  let stream = findStream(contextId);
  if (stream !== null) {
    stream.onLog();
    return;
  }
  let root = findRoot(contextId);
  if (root !== null) root.onLog();
}

export function onDone(contextId: u32): bool {
  let stream = findStream(contextId);
  if (stream !== null) return stream.onDone();
  let root = findRoot(contextId);
  return root === null ? true : root.onDone();
}

export function onDelete(contextId: u32): void {
  let stream = findStream(contextId);
  if (stream !== null) {
    stream.onDelete();
    removeStream(contextId);
    return;
  }
  let root = findRoot(contextId);
  if (root !== null) {
    root.onDelete();
    removeRoot(contextId);
    dropPendingCalls(contextId);
  }
}
