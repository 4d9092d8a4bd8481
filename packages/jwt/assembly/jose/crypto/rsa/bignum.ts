// SPDX-License-Identifier: Apache-2.0
// Unsigned big integers as little-endian limbs (one u32 each) at a raw address: conversion from/to
// big-endian bytes, subtraction and doubling modulo n (comparison is ../limbs.ts's). A limb holds LIMB_BITS bits:
// 32 for the portable Montgomery code, 28 for the SIMD code (so that sums of 2^56-bounded products
// need no carries; see montgomery_simd.ts).

import { limbsCompare } from "../limbs";

/** Bits per limb, fixed at compile time by whether the SIMD Montgomery code is built. */
export const LIMB_BITS: i32 = ASC_FEATURE_SIMD ? 28 : 32;
// @ts-ignore: decorator
@inline export const LIMB_MASK: u64 = ((<u64>1) << <u64>LIMB_BITS) - 1;

/** Limbs needed for `len` bytes, rounded up to a multiple of 4 (the SIMD code steps by 4). */
export function limbCount(len: i32): i32 {
  const limbs = (len * 8 + LIMB_BITS - 1) / LIMB_BITS;
  return (limbs + 3) & ~3;
}

/** Writes the big-endian bytes at `src` (`len` bytes) as `limbs` limbs at `dst` (extra bytes dropped). */
export function limbsFromBytes(dst: usize, limbs: i32, src: usize, len: i32): void {
  memory.fill(dst, 0, (<usize>limbs) << 2);
  let acc: u64 = 0;
  let accBits = 0;
  let limb = 0;
  for (let i = len - 1; i >= 0 && limb < limbs; i--) {
    acc |= (<u64>load<u8>(src + <usize>i)) << <u64>accBits;
    accBits += 8;
    if (accBits >= LIMB_BITS) {
      store<u32>(dst + ((<usize>limb) << 2), <u32>(acc & LIMB_MASK));
      limb++;
      acc >>>= <u64>LIMB_BITS;
      accBits -= LIMB_BITS;
    }
  }
  if (accBits > 0 && limb < limbs) store<u32>(dst + ((<usize>limb) << 2), <u32>acc);
}

/** Writes the low `len` bytes of the number in `limbs` limbs at `src` big-endian to `dst`. */
export function bytesFromLimbs(dst: usize, len: i32, src: usize, limbs: i32): void {
  let acc: u64 = 0;
  let accBits = 0;
  let limb = 0;
  for (let i = len - 1; i >= 0; i--) {
    if (accBits < 8) {
      const v: u64 = limb < limbs ? <u64>load<u32>(src + ((<usize>limb) << 2)) : 0;
      acc |= v << <u64>accBits;
      accBits += LIMB_BITS;
      limb++;
    }
    store<u8>(dst + <usize>i, <u8>acc);
    acc >>>= 8;
    accBits -= 8;
  }
}

/** a -= b over `limbs` limbs; returns the borrow out (0 or 1). */
export function subtractLimbs(a: usize, b: usize, limbs: i32): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < limbs; i++) {
    const at = a + ((<usize>i) << 2);
    const d = <u64>load<u32>(at) - <u64>load<u32>(b + ((<usize>i) << 2)) - borrow;
    store<u32>(at, <u32>(d & LIMB_MASK));
    borrow = d >>> 63;
  }
  return <u32>borrow;
}

/** x = 2x mod n for x < n (both `limbs` long). */
export function doubleModulo(x: usize, n: usize, limbs: i32): void {
  let carry: u64 = 0;
  for (let i = 0; i < limbs; i++) {
    const at = x + ((<usize>i) << 2);
    const v = ((<u64>load<u32>(at)) << 1) | carry;
    store<u32>(at, <u32>(v & LIMB_MASK));
    carry = v >>> (<u64>LIMB_BITS);
  }
  if (carry != 0 || limbsCompare(x, n, limbs) >= 0) subtractLimbs(x, n, limbs);
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
  if (carry != 0 || limbsCompare(t, n, limbs) >= 0) subtractLimbs(t, n, limbs);
}
