// SPDX-License-Identifier: Apache-2.0
// The root (plugin) context base class: one per plugin per VM, with no-op defaults.
import { BaseContext } from "./base";
import { StreamContext } from "./stream";
import { HeaderPair } from "../headers/pair";
import { Result } from "../abi/result";
import { HttpCallHandler, startHttpCall } from "./callouts";

/**
 * Base class for a plugin's root context. The host creates one per plugin configuration in every
 * worker VM (plus a short-lived "canary" VM that only runs start and configure). Override what you
 * need; every default is a no-op that accepts.
 *
 * Order (Envoy): onVmStart -> onConfigure -> (per request: createHttpContext) ... onTick /
 * onQueueReady / callout replies at any time ... onDone -> onDelete.
 */
export class RootContext extends BaseContext {
  /** The plugin's root_id (Envoy `root_id`, Istio `pluginName`); "" if the host has none. */
  rootId: string = "";
  /** The registry's list of live roots (context/registry.ts); not for filters. */
  nextRoot: RootContext | null = null;

  /** VM started. Read the VM configuration with `getVmConfiguration()`. Return false to fail the VM. */
  onVmStart(vmConfigurationSize: u32): bool {
    return true;
  }

  /**
   * Plugin configured (also again on every config update). Read it with `getPluginConfiguration()`.
   * Return false to reject the configuration (Envoy refuses it / xDS NACK): validate here, loudly.
   */
  onConfigure(pluginConfigurationSize: u32): bool {
    return true;
  }

  /** Timer set by `setTickPeriodMilliseconds` fired (per worker VM). */
  onTick(): void {}

  /** A shared queue this VM registered has items. */
  onQueueReady(queueId: u32): void {}

  /** Host called a foreign function on the plugin; arguments via `getForeignFunctionArguments()`. */
  onForeignFunction(functionId: u32, argumentsSize: u32): void {}

  /**
   * Creates the context for a new HTTP stream (an HttpContext<YourRoot> made with `this`); null
   * lets the stream pass without this plugin.
   */
  createHttpContext(contextId: u32): StreamContext | null {
    return null;
  }

  /** Access-log phase for the root context (rare). */
  onLog(): void {}

  /** Host is shutting the plugin down. Return false to finish later with `pluginDone()`. */
  onDone(): bool {
    return true;
  }

  /** Last call; forget state. */
  onDelete(): void {}

  /**
   * Starts an HTTP callout from the root context (e.g. a periodic JWKS refresh from onTick); its
   * outcome reaches `handler` (see HttpCallHandler). `value` is the token when `status` is Ok.
   */
  httpCall(
    cluster: string,
    headers: HeaderPair[],
    body: Uint8Array | null,
    trailers: HeaderPair[] | null,
    timeoutMilliseconds: u32,
    handler: HttpCallHandler,
  ): Result<u32> {
    return startHttpCall(this.id, this.id, cluster, headers, body, trailers, timeoutMilliseconds, handler);
  }
}

/** Creates the root context for a plugin; registered with `registerRootContext`. */
export type RootContextFactory = (contextId: u32) => RootContext;
