// SPDX-License-Identifier: Apache-2.0
// Verified-token cache (per worker VM, bounded): a repeated token skips the signature check.
// Keyed by a 64-bit FNV-1a hash of the token and the provider; the token itself is kept to rule
// out collisions. Entries end at the token's `exp`, or sooner when the provider's key set is
// replaced (a refresh or a rotation: a key taken out of the JWKS must stop vouching for cached
// tokens); when full, expired entries go first, then the oldest one.
import { JsonValue } from "../encoding/json";
import { KeySet } from "../jwks/jwks";

export class VerifiedToken {
  constructor(
    public token: string,
    public provider: i32,
    public expiresAtSeconds: i64,
    public claims: JsonValue,
    public payload: Uint8Array,
    /** The key set the signature was checked against; the entry counts only while it is current. */
    public keys: KeySet,
  ) {}
}

export function tokenHash(token: string, provider: i32): u64 {
  let h: u64 = 0xcbf29ce484222325 ^ <u64>provider;
  const p = changetype<usize>(token);
  const n = <usize>token.length << 1;
  for (let i: usize = 0; i < n; i += 2) {
    h = (h ^ <u64>load<u16>(p + i)) * 0x100000001b3;
  }
  return h;
}

export class TokenCache {
  private map: Map<u64, VerifiedToken> = new Map<u64, VerifiedToken>();
  private order: Array<u64> = [];
  hits: i32 = 0;
  misses: i32 = 0;

  constructor(public capacity: i32) {}

  get size(): i32 {
    return this.map.size;
  }

  /** The entry for `token`, if it is unexpired and was verified against `keys` (the current set). */
  get(token: string, provider: i32, keys: KeySet | null, nowSeconds: i64): VerifiedToken | null {
    if (this.capacity <= 0) return null;
    const h = tokenHash(token, provider);
    if (!this.map.has(h)) return null;
    const e = this.map.get(h);
    if (e.provider != provider || e.token != token || e.keys !== keys) return null;
    // An expired entry is left for evict(): deleting it here would leave its hash in `order`, and
    // a stream of expiring tokens that never fills the map would grow `order` without bound.
    if (nowSeconds >= e.expiresAtSeconds) return null;
    return e;
  }

  put(entry: VerifiedToken, nowSeconds: i64): void {
    if (this.capacity <= 0 || entry.expiresAtSeconds <= nowSeconds) return;
    const h = tokenHash(entry.token, entry.provider);
    if (!this.map.has(h)) {
      if (this.map.size >= this.capacity) this.evict(nowSeconds);
      this.order.push(h);
    }
    this.map.set(h, entry);
  }

  private evict(nowSeconds: i64): void {
    // Drop expired entries and stale order slots; if nothing expired, drop the oldest.
    const kept = new Array<u64>();
    for (let i = 0; i < this.order.length; i++) {
      const h = unchecked(this.order[i]);
      if (!this.map.has(h)) continue;
      if (this.map.get(h).expiresAtSeconds <= nowSeconds) this.map.delete(h);
      else kept.push(h);
    }
    if (kept.length >= this.capacity && kept.length > 0) {
      this.map.delete(kept[0]);
      kept.shift();
    }
    this.order = kept;
  }
}
