// SPDX-License-Identifier: Apache-2.0
// Byte passing for the size-measurement entries: the host writes inputs into buffers it allocated
// with `allocate`, as a filter's JWT layer would hand decoded bytes to the crypto code.

/** A byte buffer the host can fill; kept alive in `held` until `releaseAll`. */
const held = new Array<Uint8Array>();

export function allocate(len: i32): usize {
  const b = new Uint8Array(max(len, 0));
  held.push(b);
  return b.dataStart;
}

export function releaseAll(): void {
  held.length = 0;
}

/** The buffer `allocate` returned for `ptr` (an empty one for an unknown pointer). */
export function bytesAt(ptr: usize): Uint8Array {
  for (let i = 0; i < held.length; i++) if (unchecked(held[i]).dataStart == ptr) return unchecked(held[i]);
  return new Uint8Array(0);
}
