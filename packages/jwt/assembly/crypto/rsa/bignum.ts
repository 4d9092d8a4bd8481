// SPDX-License-Identifier: Apache-2.0
// Helpers for unsigned big integers stored as little-endian 32-bit limbs at a raw address:
// conversion from/to big-endian bytes, comparison, subtraction and doubling modulo n.

/** Writes the big-endian bytes at `src` (`len` bytes) as `limbs` little-endian u32 limbs at `dst`. */
export function limbsFromBytes(dst: usize, limbs: i32, src: usize, len: i32): void {
  memory.fill(dst, 0, <usize>limbs << 2);
  const words = min(len >>> 2, limbs);
  // Whole 4-byte groups from the end of the byte string, one load each.
  for (let i = 0; i < words; i++) {
    store<u32>(dst + (<usize>i << 2), bswap<u32>(load<u32>(src + <usize>(len - 4 - (i << 2)))));
  }
  // The 1-3 most significant bytes left over at the start.
  const rest = len & 3;
  if (rest != 0 && (len >>> 2) < limbs) {
    let v: u32 = 0;
    for (let i = 0; i < rest; i++) v = (v << 8) | <u32>load<u8>(src + <usize>i);
    store<u32>(dst + (<usize>(len >>> 2) << 2), v);
  }
}

/** Writes the low `len` bytes of the limb number at `src` big-endian to `dst`. */
export function bytesFromLimbs(dst: usize, len: i32, src: usize, limbs: i32): void {
  const words = len >>> 2;
  for (let i = 0; i < words; i++) {
    const v = i < limbs ? load<u32>(src + (<usize>i << 2)) : 0;
    store<u32>(dst + <usize>(len - 4 - (i << 2)), bswap<u32>(v));
  }
  const rest = len & 3;
  if (rest != 0) {
    const v = words < limbs ? load<u32>(src + (<usize>words << 2)) : 0;
    for (let i = 0; i < rest; i++) store<u8>(dst + <usize>(rest - 1 - i), <u8>(v >>> (<u32>i << 3)));
  }
}

/** -1, 0 or 1 as a <, = or > b, both `limbs` long. */
export function compareLimbs(a: usize, b: usize, limbs: i32): i32 {
  for (let i = limbs - 1; i >= 0; i--) {
    const x = load<u32>(a + (<usize>i << 2));
    const y = load<u32>(b + (<usize>i << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a -= b over `limbs` limbs; returns the borrow out (0 or 1). */
export function subtractLimbs(a: usize, b: usize, limbs: i32): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < limbs; i++) {
    const at = a + (<usize>i << 2);
    const d = <u64>load<u32>(at) - <u64>load<u32>(b + (<usize>i << 2)) - borrow;
    store<u32>(at, <u32>d);
    borrow = (d >>> 63) & 1;
  }
  return <u32>borrow;
}

/** x = 2x mod n for x < n (both `limbs` long). */
export function doubleModulo(x: usize, n: usize, limbs: i32): void {
  let carry: u32 = 0;
  for (let i = 0; i < limbs; i++) {
    const at = x + (<usize>i << 2);
    const v = load<u32>(at);
    store<u32>(at, (v << 1) | carry);
    carry = v >>> 31;
  }
  if (carry != 0 || compareLimbs(x, n, limbs) >= 0) subtractLimbs(x, n, limbs);
}

/** Number of significant bits in the big-endian bytes at `src`. */
export function bitLength(src: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const b = <u32>load<u8>(src + <usize>i);
    if (b != 0) return (len - i - 1) * 8 + (32 - clz<u32>(b));
  }
  return 0;
}

/** Subtracts n from the `limbs`-limb value at `t` (with `carry` as its extra top bit) if it is ≥ n. */
// @ts-ignore: decorator
@inline export function reduceOnce(t: usize, carry: u32, n: usize, limbs: i32): void {
  if (carry != 0 || compareLimbs(t, n, limbs) >= 0) subtractLimbs(t, n, limbs);
}
