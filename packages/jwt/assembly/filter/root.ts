// SPDX-License-Identifier: Apache-2.0
// JwtAuthn root context: configuration, JWKS sources, verified-token cache, and the requests paused
// while keys are fetched. A paused request is decided again when its source's fetch ends (here, or
// in another worker: seen on the tick) or when its deadline passes, so it is always resumed or
// answered.
import {
  RootContext, HttpContext, Status, getPluginConfigurationText, getCurrentTimeMilliseconds,
  setTickPeriodMilliseconds, setEffectiveContext, logError, logInfo, registerRootContext, Action,
} from "@getwild/core/assembly";
import { JwksListener, JwksSource } from "../cache/jwks_source";
import { ConfigResult, parseFilterConfig } from "./config";
import { FilterConfig } from "./model";
import { FilterMetrics } from "./metrics";
import { TokenCache } from "./token_cache";
import { JwtAuthnStream } from "./stream";

class Listener extends JwksListener {
  constructor(public root: JwtAuthnRoot) { super(); }
  jwksSettled(source: JwksSource, fetchSucceeded: bool): void {
    this.root.settled(source);
  }
}

export class JwtAuthnRoot extends RootContext {
  config: FilterConfig = new FilterConfig();
  metrics: FilterMetrics | null = null;
  cache: TokenCache = new TokenCache(0);
  waiting: Map<u32, JwtAuthnStream> = new Map<u32, JwtAuthnStream>();
  private seenSuccess: i32 = 0;
  private seenFailed: i32 = 0;
  private seenForced: i32 = 0;
  private firstTick: bool = true;

  /**
   * The configuration to run with: by default the plugin configuration parsed as JSON. Override to
   * build it in code (e.g. `new ConfigResult(FilterConfig.single(firebase("my-project")), "")`).
   */
  buildConfig(pluginConfiguration: string): ConfigResult {
    return parseFilterConfig(pluginConfiguration);
  }

  onConfigure(size: u32): bool {
    const parsed = this.buildConfig(getPluginConfigurationText());
    const config = parsed.config;
    if (config === null) {
      logError("jwt_authn: configuration refused: " + parsed.error);
      return false;
    }
    this.config = config;
    this.metrics = new FilterMetrics(config.statPrefix);
    this.cache = new TokenCache(config.tokenCacheSize, config.tokenCacheBytes);
    const listener = new Listener(this);
    let remote = false;
    for (let i = 0; i < config.providers.length; i++) {
      const source = unchecked(config.providers[i]).source;
      source.listener = listener;
      if (source.isRemote) {
        remote = true;
        source.prepareLease();
        source.syncFromShared();
      }
    }
    // The first fetch starts on the first tick, shortly after start: Envoy's canary VM is configured
    // and destroyed at once, and a fetch started there would be cancelled while holding the lease.
    if (remote) setTickPeriodMilliseconds(50);
    logInfo("jwt_authn: " + config.providers.length.toString() + " providers, " + config.rules.length.toString() + " rules");
    return true;
  }

  onTick(): void {
    const now = <i64>getCurrentTimeMilliseconds();
    if (this.firstTick) {
      this.firstTick = false;
      setTickPeriodMilliseconds(this.config.tickMs);
    }
    const providers = this.config.providers;
    for (let i = 0; i < providers.length; i++) {
      const source = unchecked(providers[i]).source;
      let wanted = false;
      const streams = this.waiting.values();
      for (let j = 0; j < streams.length; j++) if (unchecked(streams[j]).waitOn === source) wanted = true;
      source.tick(this, now, wanted);
    }
    this.countFetches();
    // Requests whose wait outlived its deadline are decided now without keys.
    const streams = this.waiting.values();
    for (let j = 0; j < streams.length; j++) {
      const s = unchecked(streams[j]);
      if (now >= s.waitDeadlineMs) this.resume(s);
    }
  }

  /** A source's fetch ended or new shared keys arrived: decide the requests waiting on it. */
  settled(source: JwksSource): void {
    this.countFetches();
    const streams = this.waiting.values();
    for (let j = 0; j < streams.length; j++) {
      const s = unchecked(streams[j]);
      if (s.waitOn === source) this.resume(s);
    }
  }

  private resume(s: JwtAuthnStream): void {
    this.waiting.delete(s.id);
    s.waitOn = null;
    if (setEffectiveContext(s.id) != Status.Ok) return; // the stream has gone
    const action = s.run(true);
    // Decided now: the header block kept during the wait is not needed any more.
    s.releaseHeadersIfDecided();
    if (action == Action.Continue) s.continueRequest();
  }

  /** Moves the sources' fetch counters into metrics. */
  countFetches(): void {
    const m = this.metrics;
    if (m === null) return;
    let success = 0, failed = 0, forced = 0;
    const providers = this.config.providers;
    for (let i = 0; i < providers.length; i++) {
      const s = unchecked(providers[i]).source;
      // Providers may share nothing but each source counts once.
      success += s.fetchSuccesses;
      failed += s.fetchFailures;
      forced += s.forcedRefetches;
    }
    if (success > this.seenSuccess) m.fetchSuccess.increment(<u64>(success - this.seenSuccess));
    if (failed > this.seenFailed) m.fetchFailed.increment(<u64>(failed - this.seenFailed));
    if (forced > this.seenForced) m.refetchUnknownKid.increment(<u64>(forced - this.seenForced));
    this.seenSuccess = success;
    this.seenFailed = failed;
    this.seenForced = forced;
  }

  /** Called for every allowed request (after headers are set): a hook for filters built on this one. */
  onAllowed(stream: JwtAuthnStream): void {}

  createHttpContext(contextId: u32): HttpContext | null {
    return new JwtAuthnStream(contextId, this);
  }
}

/** Registers JwtAuthn as the root context for `rootId` (Envoy's root_id). */
export function registerJwtAuthn(rootId: string = "jwt_authn"): void {
  registerRootContext((id: u32): RootContext => new JwtAuthnRoot(id), rootId);
}
