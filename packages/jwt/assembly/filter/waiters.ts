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
  constructor(public readonly source: JwksSource, public readonly deadlineMs: i64) {}

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

  /** Forgets a request that went away while parked. */
  cancel(entry: Parked): void {
    const at = this.parked.indexOf(entry);
    if (at >= 0) this.parked.splice(at, 1);
  }

  /** True when some request waits for `source` (a fetch for it is then worth starting). */
  waitingFor(source: JwksSource): bool {
    const parked = this.parked;
    for (let i = 0; i < parked.length; i++) if (unchecked(parked[i]).source === source) return true;
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

  /** Number of parked requests (for tests and diagnostics). */
  get size(): i32 {
    return this.parked.length;
  }

  private wake(source: JwksSource | null, nowMs: i64): void {
    // The list is swapped out first: waking decides a request, which may park it again.
    const all = this.parked;
    this.parked = [];
    for (let i = 0; i < all.length; i++) {
      const entry = unchecked(all[i]);
      const due = source !== null ? entry.source === source : nowMs >= entry.deadlineMs;
      if (due) entry.wake();
      else this.parked.push(entry);
    }
  }
}
