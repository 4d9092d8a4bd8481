// SPDX-License-Identifier: Apache-2.0
// JwtAuthn counters: `<prefix>.allowed`, `.denied`, `.denied.<reason>`, `.cors_preflight_bypassed`,
// `.jwks_fetch_success`, `.jwks_fetch_failed`, `.jwks_refetch_unknown_kid`, `.jwt_cache_hit`, `.jwt_cache_miss`.
import { Counter } from "@getwild/core/assembly";

export class FilterMetrics {
  allowed: Counter;
  denied: Counter;
  corsBypassed: Counter;
  fetchSuccess: Counter;
  fetchFailed: Counter;
  refetchUnknownKid: Counter;
  cacheHit: Counter;
  cacheMiss: Counter;
  /**
   * `.denied.<reason>` counters, made at a reason's first refusal; `reasons[i]` names `byReason[i]`.
   * A list, not a Map: reasons are a few dozen fixed codes, and the Map<string, Counter> code
   * (hashing, rehash) cost ~500 bytes of module for this one use.
   */
  private reasons: Array<string> = [];
  private byReason: Array<Counter> = [];

  constructor(public prefix: string) {
    this.allowed = new Counter(prefix + ".allowed");
    this.denied = new Counter(prefix + ".denied");
    this.corsBypassed = new Counter(prefix + ".cors_preflight_bypassed");
    this.fetchSuccess = new Counter(prefix + ".jwks_fetch_success");
    this.fetchFailed = new Counter(prefix + ".jwks_fetch_failed");
    this.refetchUnknownKid = new Counter(prefix + ".jwks_refetch_unknown_kid");
    this.cacheHit = new Counter(prefix + ".jwt_cache_hit");
    this.cacheMiss = new Counter(prefix + ".jwt_cache_miss");
  }

  deny(reason: string): void {
    this.denied.increment();
    let i = this.reasons.indexOf(reason);
    if (i < 0) {
      i = this.reasons.length;
      this.reasons.push(reason);
      this.byReason.push(new Counter(this.prefix + ".denied." + reason));
    }
    unchecked(this.byReason[i]).increment();
  }
}
