// SPDX-License-Identifier: Apache-2.0
// JwtAuthn root context: configuration, JWKS sources and the tick that refreshes them. What the
// streams need (configuration, metrics, token cache, parked requests) lives in a FilterState the
// root fills and hands to each stream. A parked request is decided again when its source's fetch
// ends (here, or in another worker: seen on the tick) or when its deadline passes, so it is always
// resumed or answered.
import {
  RootContext,
  StreamContext,
  getPluginConfigurationText,
  getCurrentTimeMilliseconds,
  setTickPeriodMilliseconds,
  logError,
  logInfo,
  registerRootContext,
} from "@getwild/core/assembly";
import { ConfigResult, parseFilterConfig } from "./config";
import { FilterMetrics } from "./metrics";
import { FilterState } from "./state";
import { TokenCache } from "./token_cache";
import { AllowedHook, JwtAuthnStream } from "./stream";
import { prepareReplayStore } from "./dpop_replay";
import { COMPILED_FEATURES, FEATURE_DPOP } from "./features";

/** Passes each allowed request to the root's overridable `onAllowed`. */
class RootAllowedHook extends AllowedHook {
  constructor(private readonly root: JwtAuthnRoot) {
    super();
  }
  allowed(stream: JwtAuthnStream): void {
    this.root.onAllowed(stream);
  }
}

export class JwtAuthnRoot extends RootContext {
  /** Configuration, metrics, token cache and parked requests, shared with this root's streams. */
  readonly state: FilterState = new FilterState();
  private readonly hook: RootAllowedHook = new RootAllowedHook(this);
  private firstTick: bool = true;

  /**
   * The configuration to run with: by default the plugin configuration parsed as JSON. Override to
   * build it in code (e.g. `new ConfigResult(FilterConfig.single(firebase("my-project")), "")`).
   */
  buildConfig(pluginConfiguration: string): ConfigResult {
    return parseFilterConfig(pluginConfiguration);
  }

  onConfigure(size: u32): bool {
    const parsed = this.buildConfig(getPluginConfigurationText().value);
    const config = parsed.config;
    if (config === null) {
      logError("jwt_authn: configuration refused: " + parsed.error);
      return false;
    }
    const state = this.state;
    state.config = config;
    state.metrics = new FilterMetrics(config.statPrefix);
    state.cache = new TokenCache(config.tokenCacheSize, config.tokenCacheBytes);
    let remote = false;
    for (let i = 0; i < config.providers.length; i++) {
      const provider = unchecked(config.providers[i]);
      // DPoP proofs used anywhere are remembered proxy-wide; a provider_and_audiences variant uses
      // its provider's store, so a proof taken by one is a replay for the other.
      const dpop = provider.dpop;
      if (COMPILED_FEATURES & FEATURE_DPOP && dpop !== null) {
        const owner = provider.variantOf >= 0 ? unchecked(config.providers[provider.variantOf]) : provider;
        prepareReplayStore(dpop, config.statPrefix, owner.name);
      }
      if (provider.variantOf >= 0) continue; // shares its provider's source (provider_and_audiences)
      const source = provider.source;
      source.listener = state;
      if (source.isRemote) {
        remote = true;
        source.prepareLease();
        source.syncFromShared();
      }
    }
    // The first fetch starts on the first tick, shortly after start: Envoy's canary VM is configured
    // and destroyed at once, and a fetch started there would be cancelled while holding the lease.
    if (remote) setTickPeriodMilliseconds(50);
    logInfo(
      "jwt_authn: " + config.providers.length.toString() + " providers, " + config.rules.length.toString() + " rules",
    );
    return true;
  }

  onTick(): void {
    const state = this.state;
    const now = <i64>getCurrentTimeMilliseconds().value;
    if (this.firstTick) {
      this.firstTick = false;
      setTickPeriodMilliseconds(state.config.tickMs);
    }
    const providers = state.config.providers;
    for (let i = 0; i < providers.length; i++) {
      const provider = unchecked(providers[i]);
      if (provider.variantOf >= 0) continue; // shares its provider's source (provider_and_audiences)
      const source = provider.source;
      source.tick(this, now, state.waiters.waitingFor(source));
    }
    state.countFetches();
    // Requests whose wait outlived its deadline are decided now without keys.
    state.waiters.wakeExpired(now);
  }

  /** Called for every allowed request (after headers are set): a hook for filters built on this one. */
  onAllowed(stream: JwtAuthnStream): void {}

  createHttpContext(contextId: u32): StreamContext | null {
    return new JwtAuthnStream(contextId, this, this.state, this.hook);
  }
}

/** Registers JwtAuthn as the root context for `rootId` (Envoy's root_id). */
export function registerJwtAuthn(rootId: string = "jwt_authn"): void {
  registerRootContext((id: u32): RootContext => new JwtAuthnRoot(id), rootId);
}
