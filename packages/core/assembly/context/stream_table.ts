// SPDX-License-Identifier: Apache-2.0
// The live stream contexts of a VM by context id: an open-addressing table, linear probing,
// deletion by backward shift (no tombstones), at most half full.
//
// Every module carries it (the dispatcher looks a stream up in every callback), so it is written for
// little code: two StaticArrays instead of a Map. Host context ids are handed out in sequence, so
// the id itself spreads them over the slots (id & mask) and a lookup is one or two probes.
import { StreamContext } from "./stream";

// @ts-ignore: decorator
@inline const INITIAL_SLOTS: i32 = 16;

export class StreamTable {
  private ids: StaticArray<u32> = new StaticArray<u32>(INITIAL_SLOTS);
  /** null: a free slot (an id is only compared where a context is). */
  private contexts: StaticArray<StreamContext | null> = new StaticArray<StreamContext | null>(INITIAL_SLOTS);
  private count: i32 = 0;

  get size(): i32 {
    return this.count;
  }

  /** The slot holding `id`, or the free slot where it would go. */
  private slotOf(id: u32): i32 {
    let mask = this.contexts.length - 1;
    let i = (<i32>id) & mask;
    while (true) {
      let context = unchecked(this.contexts[i]);
      if (context === null || unchecked(this.ids[i]) == id) return i;
      i = (i + 1) & mask;
    }
  }

  find(id: u32): StreamContext | null {
    return unchecked(this.contexts[this.slotOf(id)]);
  }

  add(context: StreamContext): void {
    if ((this.count + 1) * 2 > this.contexts.length) this.grow();
    let i = this.slotOf(context.id);
    if (unchecked(this.contexts[i]) === null) this.count++;
    unchecked((this.ids[i] = context.id));
    unchecked((this.contexts[i] = context));
  }

  remove(id: u32): void {
    let i = this.slotOf(id);
    if (unchecked(this.contexts[i]) === null) return;
    this.count--;
    // Backward shift: move up every later entry of the run that may no longer be found past the gap.
    let mask = this.contexts.length - 1;
    let j = i;
    while (true) {
      j = (j + 1) & mask;
      let moved = unchecked(this.contexts[j]);
      if (moved === null) break;
      let home = (<i32>unchecked(this.ids[j])) & mask;
      // The entry at j stays when its home lies cyclically in (i, j].
      let stays = i <= j ? home > i && home <= j : home > i || home <= j;
      if (stays) continue;
      unchecked((this.ids[i] = this.ids[j]));
      unchecked((this.contexts[i] = moved));
      i = j;
    }
    unchecked((this.contexts[i] = null));
  }

  private grow(): void {
    let oldContexts = this.contexts;
    let n = oldContexts.length << 1;
    this.ids = new StaticArray<u32>(n);
    this.contexts = new StaticArray<StreamContext | null>(n);
    this.count = 0;
    for (let i = 0, m = oldContexts.length; i < m; i++) {
      let context = unchecked(oldContexts[i]);
      if (context !== null) this.add(context);
    }
  }
}
