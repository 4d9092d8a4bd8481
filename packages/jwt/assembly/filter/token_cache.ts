// SPDX-License-Identifier: Apache-2.0
// Verified-token cache (per worker VM): a repeated token skips the signature check. Bounded twice:
// by entries (`jwt_cache_size`) and by the memory the entries hold (`jwt_cache_bytes`), because
// an entry count alone lets large tokens fill a VM (Envoy's V8 VMs stop at 1 GiB and the worker
// then answers 503). Tokens over 4 KiB are not cached at all (as Envoy). Keyed by a 64-bit hash of
// the token and the provider (tokenHash); the token itself is kept to rule out collisions. An entry
// counts until the token's `exp`, and only while the key set it was verified against is current
// (a key taken out of the JWKS must stop vouching for cached tokens). When a bound is reached the
// oldest entries go first.
import { JsonValue } from "@getwild/json/assembly";
import { KeySet } from "../jose/jwks/jwks";
import { Confirmation } from "./binding";

/** Longest token cached, in characters (Envoy's `jwt_max_token_size` default). */
export const CACHE_MAX_TOKEN_LENGTH: i32 = 4096;

export class VerifiedToken {
  /** Estimated bytes this entry keeps alive (see `entryCost`). */
  cost: i32 = 0;
  /**
   * The provider's output headers, made once when the token is verified so that a cache hit reads
   * no JSON and builds no string: `forward_payload_header`'s value ("" when not configured), then
   * one value per `claim_to_headers` entry (null: the claim is absent or unfit for a header).
   */
  payloadHeaderValue: string = "";
  claimHeaderValues: Array<string | null> = [];
  /** The token's `cnf` (binding.ts), read at its first check so that a cache hit reads no JSON for it. */
  confirmation: Confirmation | null = null;
  /** tokenHash(token, provider), set when the entry is cached: where it sits in the cache's table. */
  hash: u64 = 0;
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

/**
 * What an entry keeps alive, rounded up: the token (UTF-16, 2 bytes a character), the payload
 * bytes, the decoded claims (their strings again in UTF-16 plus a node per value: about four times
 * the payload), and the fixed objects (entry, table slot, order slot). Measured through the compiled
 * filter: 4,004-character tokens with 2,970-byte payloads grew the VM by ~22 KB each; this gives 23 KB.
 */
export function entryCost(tokenLength: i32, payloadLength: i32): i32 {
  return 256 + 2 * tokenLength + 5 * payloadLength;
}

/** What the ready output header values add to an entry: their UTF-16 text plus a string header each. */
function outputsCost(e: VerifiedToken): i32 {
  let cost = 2 * e.payloadHeaderValue.length;
  for (let i = 0; i < e.claimHeaderValues.length; i++) {
    const v = unchecked(e.claimHeaderValues[i]);
    cost += 24 + (v === null ? 0 : 2 * v.length);
  }
  return cost;
}

/**
 * 64-bit hash of the token's text and the provider, 8 bytes (4 UTF-16 units) a step: a multiply by
 * an odd 64-bit constant and a shift-xor that folds the high bits back, so a ~900-character token
 * takes ~225 steps instead of 900 dependent multiplies. A hit still compares the token itself, so a
 * collision costs a cache miss, never a wrong answer.
 */
export function tokenHash(token: string, provider: i32): u64 {
  let h: u64 = 0xcbf29ce484222325 ^ (<u64>provider);
  const p = changetype<usize>(token);
  const n = (<usize>token.length) << 1;
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    h = (h ^ load<u64>(p + i)) * 0x9e3779b97f4a7c15;
    h ^= h >> 32;
  }
  for (; i < n; i += 2) {
    h = (h ^ (<u64>load<u16>(p + i))) * 0x100000001b3;
  }
  return h;
}

/**
 * Whether two strings hold the same text, 8 bytes a step: a cache hit compares the whole token, and
 * the standard library's `==` goes one UTF-16 unit a step in a `shrinkLevel` 2 build.
 */
function sameText(a: string, b: string): bool {
  const n = (<usize>a.length) << 1;
  if (n != (<usize>b.length) << 1) return false;
  const pa = changetype<usize>(a);
  const pb = changetype<usize>(b);
  let i: usize = 0;
  for (; i + 8 <= n; i += 8) {
    if (load<u64>(pa + i) != load<u64>(pb + i)) return false;
  }
  for (; i < n; i += 2) {
    if (load<u16>(pa + i) != load<u16>(pb + i)) return false;
  }
  return true;
}

/** The table slot a hash starts probing at (the high half folded in: tokenHash's tail steps mix upwards). */
// @ts-ignore: decorator
@inline function slotOf(h: u64, mask: i32): i32 {
  return (<i32>(h ^ (h >> 32))) & mask;
}

export class TokenCache {
  /**
   * The entries by hash: open addressing with linear probing in a power-of-two table kept at most
   * half full (deletion shifts the entries after a freed slot back, so no tombstones). Its own
   * table instead of a Map<u64, VerifiedToken>: less code (the Map's hashing, buckets and rehash),
   * and a hit is one probe sequence instead of a Map#has then a Map#get.
   */
  private slots: StaticArray<VerifiedToken | null> = new StaticArray<VerifiedToken | null>(8);
  private count: i32 = 0;
  /** Hashes in insertion order from `head` on; slots before `head` are spent. */
  private order: Array<u64> = [];
  private head: i32 = 0;
  /** Sum of the costs of the entries in the table. */
  bytes: i32 = 0;

  constructor(
    public capacity: i32,
    public maxBytes: i32 = 1 << 20,
  ) {}

  get size(): i32 {
    return this.count;
  }

  /** The entry for `token`, if it is unexpired and was verified against `keys` (the current set). */
  get(token: string, provider: i32, keys: KeySet | null, nowSeconds: i64): VerifiedToken | null {
    if (this.capacity <= 0) return null;
    const e = unchecked(this.slots[this.probe(tokenHash(token, provider))]);
    if (e === null || e.provider != provider || !sameText(e.token, token) || e.keys !== keys) return null;
    // An expired entry is left for eviction, which goes by age.
    if (nowSeconds >= e.expiresAtSeconds) return null;
    return e;
  }

  put(entry: VerifiedToken, nowSeconds: i64): void {
    if (this.capacity <= 0 || entry.expiresAtSeconds <= nowSeconds) return;
    if (entry.token.length > CACHE_MAX_TOKEN_LENGTH) return;
    entry.cost = entryCost(entry.token.length, entry.payload.length) + outputsCost(entry);
    if (entry.cost > this.maxBytes) return;
    const h = tokenHash(entry.token, entry.provider);
    entry.hash = h;
    if ((this.count + 1) << 1 > this.slots.length) this.grow();
    const slots = this.slots;
    const i = this.probe(h);
    const old = unchecked(slots[i]);
    if (old !== null) {
      // The same token verified again (a new key set): it takes the old entry's place in the order,
      // so every entry keeps exactly one slot and `order` never outgrows the table.
      this.bytes -= old.cost;
    } else {
      this.order.push(h);
      this.count++;
    }
    unchecked((slots[i] = entry));
    this.bytes += entry.cost;
    while (this.count > this.capacity || this.bytes > this.maxBytes) {
      if (!this.evictOldest()) break;
    }
  }

  /** The slot holding the entry with hash `h`, else the empty slot where its probe ends. */
  private probe(h: u64): i32 {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = slotOf(h, mask);
    let e = unchecked(slots[i]);
    while (e !== null && e.hash != h) {
      i = (i + 1) & mask;
      e = unchecked(slots[i]);
    }
    return i;
  }

  /** Doubles the table, placing every entry anew. */
  private grow(): void {
    const old = this.slots;
    const slots = new StaticArray<VerifiedToken | null>(old.length << 1);
    const mask = slots.length - 1;
    for (let k = 0; k < old.length; k++) {
      const e = unchecked(old[k]);
      if (e === null) continue;
      let i = slotOf(e.hash, mask);
      while (unchecked(slots[i]) !== null) i = (i + 1) & mask;
      unchecked((slots[i] = e));
    }
    this.slots = slots;
  }

  /**
   * Takes the entry with hash `h` out of the table; false when there is none. The entries probed
   * after it that could sit in the freed slot move back into it, so every lookup still finds them.
   */
  private remove(h: u64): bool {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = this.probe(h);
    const e = unchecked(slots[i]);
    if (e === null) return false;
    this.bytes -= e.cost;
    this.count--;
    let j = i;
    while (true) {
      j = (j + 1) & mask;
      const next = unchecked(slots[j]);
      if (next === null) break;
      // `next` may move to the hole at `i` unless its home slot lies cyclically in (i, j].
      const home = slotOf(next.hash, mask);
      if (((home - i - 1) & mask) < ((j - i) & mask)) continue;
      unchecked((slots[i] = next));
      i = j;
    }
    unchecked((slots[i] = null));
    return true;
  }

  /** Drops the oldest entry; false when there is none. */
  private evictOldest(): bool {
    const order = this.order;
    let evicted = false;
    while (!evicted && this.head < order.length) {
      const h = unchecked(order[this.head]);
      this.head++;
      evicted = this.remove(h);
    }
    // Spent slots are cut off once they are half the array, so `order` stays within 2 × capacity.
    if (this.head > 64 && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
    return evicted;
  }
}
