// SPDX-License-Identifier: Apache-2.0
// The requests parked while a JWKS source fetches keys, and their wake-up.
//
// A stream that needs keys parks here (park) and returns Pause; whoever learns that the source
// settled (its fetch ended here, or new keys arrived from another worker: the JWKS listener) or
// that the wait outlived its deadline (the tick) wakes it (wakeFor / wakeExpired). Neither side
// writes the other's fields: the stream gives a Parked object that knows how to decide it again,
// the waiters keep it until it is woken or the stream goes away (cancel).
import { JwksSource } from "../cache/jwks_source";

/** One parked request: what it waits for, until when, and how to decide it again. */
export abstract class Parked {
  /** Set when the request went away: the next wake-up drops the entry without deciding it. */
  cancelled: bool = false;

  constructor(
    public readonly source: JwksSource,
    public readonly deadlineMs: i64,
  ) {}

  /** Decides the request again (it has left the waiters by then, and may park again elsewhere). */
  abstract wake(): void;
}

/**
 * The parked requests of one root, in arrival order. A short list: only requests that arrived
 * while keys were missing park, and they leave when the fetch ends (less code than a Map).
 */
export class Waiters {
  private parked: Array<Parked> = [];

  /** Parks a request until its source settles or its deadline passes. */
  park(entry: Parked): void {
    this.parked.push(entry);
  }

  /** Forgets a request that went away while parked (O(1): the next wake-up drops the entry). */
  cancel(entry: Parked): void {
    entry.cancelled = true;
  }

  /** True when some request waits for `source` (a fetch for it is then worth starting). */
  waitingFor(source: JwksSource): bool {
    const parked = this.parked;
    for (let i = 0; i < parked.length; i++) {
      const entry = unchecked(parked[i]);
      if (!entry.cancelled && entry.source === source) return true;
    }
    return false;
  }

  /** Wakes every request waiting for `source` (its fetch ended, or its keys changed). */
  wakeFor(source: JwksSource): void {
    this.wake(source, 0);
  }

  /** Wakes every request whose deadline has passed: it is decided without keys. */
  wakeExpired(nowMs: i64): void {
    this.wake(null, nowMs);
  }

  private wake(source: JwksSource | null, nowMs: i64): void {
    // The list is swapped out first: waking decides a request, which may park it again.
    const all = this.parked;
    if (all.length == 0) return;
    this.parked = [];
    for (let i = 0; i < all.length; i++) {
      const entry = unchecked(all[i]);
      if (entry.cancelled) continue;
      const due = source !== null ? entry.source === source : nowMs >= entry.deadlineMs;
      if (due) entry.wake();
      else this.parked.push(entry);
    }
  }
}
