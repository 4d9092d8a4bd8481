// SPDX-License-Identifier: Apache-2.0
// Helpers for unsigned big integers stored as little-endian 32-bit limbs at a raw address:
// conversion from/to big-endian bytes, comparison, subtraction and doubling modulo n.

/** Writes the big-endian bytes at `src` (`len` bytes) as `limbs` little-endian u32 limbs at `dst`. */
export function limbsFromBytes(dst: usize, limbs: i32, src: usize, len: i32): void {
  memory.fill(dst, 0, <usize>limbs << 2);
  for (let i = 0; i < len; i++) {
    const byteIndex = len - 1 - i; // i counts from the least significant byte
    const limb = i >>> 2;
    if (limb >= limbs) break;
    const at = dst + (<usize>limb << 2);
    store<u32>(at, load<u32>(at) | (<u32>load<u8>(src + <usize>byteIndex) << (<u32>(i & 3) << 3)));
  }
}

/** Writes the low `len` bytes of the limb number at `src` big-endian to `dst`. */
export function bytesFromLimbs(dst: usize, len: i32, src: usize, limbs: i32): void {
  for (let i = 0; i < len; i++) {
    const limb = i >>> 2;
    const byte: u8 = limb < limbs ? <u8>(load<u32>(src + (<usize>limb << 2)) >>> (<u32>(i & 3) << 3)) : 0;
    store<u8>(dst + <usize>(len - 1 - i), byte);
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
