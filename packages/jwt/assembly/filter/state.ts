// SPDX-License-Identifier: Apache-2.0
// What a JwtAuthn root shares with its streams: the configuration, metrics, the verified-token
// cache and the parked requests. The root owns one, fills it on configure and hands it to each
// stream, so streams never reach back into the root (no root <-> stream import cycle). It is also
// every JWKS source's listener: a settled fetch wakes the requests parked on that source.
import { JwksListener, JwksSource } from "../cache/jwks_source";
import { FilterConfig } from "./model";
import { FilterMetrics } from "./metrics";
import { TokenCache } from "./token_cache";
import { Waiters } from "./waiters";

export class FilterState extends JwksListener {
  config: FilterConfig = new FilterConfig();
  /** Made on configure (with the configured stat prefix); streams exist only after that. */
  metrics: FilterMetrics | null = null;
  cache: TokenCache = new TokenCache(0);
  waiters: Waiters = new Waiters();
  private seenSuccess: i32 = 0;
  private seenFailed: i32 = 0;
  private seenForced: i32 = 0;

  /** A source's fetch ended or new shared keys arrived: count it, then decide the requests waiting on it. */
  jwksSettled(source: JwksSource, fetchSucceeded: bool): void {
    this.countFetches();
    this.waiters.wakeFor(source);
  }

  /** Moves the sources' fetch counters into metrics. */
  countFetches(): void {
    const m = this.metrics;
    if (m === null) return;
    let success = 0,
      failed = 0,
      forced = 0;
    const providers = this.config.providers;
    for (let i = 0; i < providers.length; i++) {
      const p = unchecked(providers[i]);
      if (p.variantOf >= 0) continue; // a provider_and_audiences variant shares its provider's source
      const s = p.source;
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
}
