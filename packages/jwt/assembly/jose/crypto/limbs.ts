// SPDX-License-Identifier: Apache-2.0
// Fixed-width unsigned integers as little-endian arrays of 32-bit limbs in linear memory: the
// byte conversions, comparisons and carries that the ECDSA field and scalar code share (RSA, whose
// limbs may hold 28 bits, has its own conversions in rsa/bignum.ts and compares with limbsCompare).
// Every function takes raw pointers and a limb count; callers own the bounds.

/** Allocates `count` zeroed limbs owned by the GC; keep the returned array alive while using its pointer. */
export function newLimbs(count: i32): StaticArray<u32> {
  return new StaticArray<u32>(count);
}

/** The address of the first limb. */
// @ts-ignore: decorator
@inline export function limbsPtr(a: StaticArray<u32>): usize {
  return changetype<usize>(a);
}

/**
 * Reads `len` big-endian bytes at `src` into `limbs` limbs at `dst` (zero-extended).
 * The caller guarantees `len <= 4 * limbs`.
 */
export function limbsFromBytesBE(dst: usize, src: usize, len: i32, limbs: i32): void {
  memory.fill(dst, 0, (<usize>limbs) << 2);
  for (let i = 0; i < len; i++) {
    // Byte i from the end lands in limb i/4 at bit 8*(i%4).
    const byte = <u32>load<u8>(src + <usize>(len - 1 - i));
    const at = dst + ((<usize>(i >>> 2)) << 2);
    store<u32>(at, load<u32>(at) | (byte << ((i & 3) << 3)));
  }
}

/** Writes the low `len` bytes of the number at `src` big-endian to `dst`. */
export function limbsToBytesBE(dst: usize, src: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const limb = load<u32>(src + ((<usize>(i >>> 2)) << 2));
    store<u8>(dst + <usize>(len - 1 - i), <u8>(limb >>> ((i & 3) << 3)));
  }
}

/** -1, 0 or 1 as a <, =, > b. */
export function limbsCompare(a: usize, b: usize, limbs: i32): i32 {
  for (let i = limbs - 1; i >= 0; i--) {
    const x = load<u32>(a + ((<usize>i) << 2));
    const y = load<u32>(b + ((<usize>i) << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

export function limbsIsZero(a: usize, limbs: i32): bool {
  let acc: u32 = 0;
  for (let i = 0; i < limbs; i++) acc |= load<u32>(a + ((<usize>i) << 2));
  return acc == 0;
}

export function limbsEqual(a: usize, b: usize, limbs: i32): bool {
  let acc: u32 = 0;
  for (let i = 0; i < limbs; i++) acc |= load<u32>(a + ((<usize>i) << 2)) ^ load<u32>(b + ((<usize>i) << 2));
  return acc == 0;
}

// @ts-ignore: decorator
@inline export function limbsCopy(dst: usize, src: usize, limbs: i32): void {
  memory.copy(dst, src, (<usize>limbs) << 2);
}

/** out = a + b; returns the carry out of the top limb. out may alias a or b. */
export function limbsAdd(out: usize, a: usize, b: usize, limbs: i32): u32 {
  let carry: u64 = 0;
  for (let i = 0; i < limbs; i++) {
    const off = (<usize>i) << 2;
    carry += <u64>load<u32>(a + off) + <u64>load<u32>(b + off);
    store<u32>(out + off, <u32>carry);
    carry >>= 32;
  }
  return <u32>carry;
}

/** out = a - b; returns 1 when it borrowed (a < b). out may alias a or b. */
export function limbsSub(out: usize, a: usize, b: usize, limbs: i32): u32 {
  let borrow: i64 = 0;
  for (let i = 0; i < limbs; i++) {
    const off = (<usize>i) << 2;
    borrow += <i64>load<u32>(a + off) - <i64>load<u32>(b + off);
    store<u32>(out + off, <u32>borrow);
    borrow >>= 32; // arithmetic shift: 0 or -1
  }
  return <u32>(borrow & 1);
}

/** Bit `i` of the number at `a` (i below 32 * limbs). */
// @ts-ignore: decorator
@inline export function limbsBit(a: usize, i: i32): u32 {
  return (load<u32>(a + ((<usize>(i >>> 5)) << 2)) >>> (i & 31)) & 1;
}
