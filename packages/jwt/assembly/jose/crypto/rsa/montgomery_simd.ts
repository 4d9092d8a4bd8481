// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication and squaring with wasm SIMD (built only with `--enable simd`), on
// 28-bit limbs: a product is below 2^56, so up to 256 of them add up in a 64-bit column with no
// carry handling at all. Products are made two per instruction (i64x2.extmul_*_i32x4_u) and added
// straight into the columns; carries are settled only where Montgomery reduction needs a column's
// low 28 bits, and at the end.
//
// Bounds, with L ≤ 148 limbs (4096 bits): after the product rows a column holds at most L
// products; the columns are then normalised (each < 2^28 plus one carry), and the reduction rows
// add at most L more products, so a column stays below 149·2^56 < 2^64.
// Operands must have 4 readable zero limbs past `limbs` (the key's buffers do).
import { LIMB_MASK, reduceOnce } from "./bignum";

/** columns[j] += x[j]·s for j in [0, count), `count` a multiple of 4. */
// @ts-ignore: decorator
@inline function addMultipleRow(columns: usize, x: usize, s: u32, count: i32): void {
  const scalar = i32x4.splat(<i32>s);
  const end = x + ((<usize>count) << 2);
  let c = columns;
  for (let p = x; p < end; p += 16, c += 32) {
    const v = v128.load(p);
    v128.store(c, i64x2.add(v128.load(c), i64x2.extmul_low_i32x4_u(v, scalar)));
    v128.store(c, i64x2.add(v128.load(c, 16), i64x2.extmul_high_i32x4_u(v, scalar)), 16);
  }
}

/**
 * columns[j] += x[j]·s0 + x[j-1]·s1 for j in [0, count] (x[-1] = 0), `count` a multiple of 4:
 * rows s0 and s1 (the latter one column up) in one pass, so the columns are loaded and stored once.
 */
// @ts-ignore: decorator
@inline function addTwoMultipleRows(columns: usize, x: usize, s0: u32, s1: u32, count: i32): void {
  const scalar0 = i32x4.splat(<i32>s0);
  const scalar1 = i32x4.splat(<i32>s1);
  let carried = i64x2.splat(0); // lane 1: the s1 product that lands on the next group's first column
  const end = x + ((<usize>count) << 2);
  let c = columns;
  for (let p = x; p < end; p += 16, c += 32) {
    const v = v128.load(p);
    const b01 = i64x2.extmul_low_i32x4_u(v, scalar1);
    const b23 = i64x2.extmul_high_i32x4_u(v, scalar1);
    const first = i64x2.add(i64x2.extmul_low_i32x4_u(v, scalar0), i64x2.shuffle(carried, b01, 1, 2));
    const second = i64x2.add(i64x2.extmul_high_i32x4_u(v, scalar0), i64x2.shuffle(b01, b23, 1, 2));
    v128.store(c, i64x2.add(v128.load(c), first));
    v128.store(c, i64x2.add(v128.load(c, 16), second), 16);
    carried = b23;
  }
  store<u64>(c, load<u64>(c) + <u64>i64x2.extract_lane(carried, 1));
}

/** Carries columns [0, count) so each holds 28 bits; the last carry goes into column `count`. */
// @ts-ignore: decorator
@inline function normalizeColumns(columns: usize, count: i32): void {
  let carry: u64 = 0;
  const end = columns + ((<usize>count) << 3);
  for (let c = columns; c < end; c += 8) {
    const v = load<u64>(c) + carry;
    store<u64>(c, v & LIMB_MASK);
    carry = v >>> 28;
  }
  store<u64>(end, load<u64>(end) + carry);
}

/**
 * Montgomery reduction of the 2·limbs normalised columns, then the limbs-limb result (< n) to
 * `out`. Rows go two at a time: m1 is chosen from what column i+1 will hold once row m0 is added
 * and column i's excess moved up. A function, not inlined: multiply, square and reduce each
 * carried a copy (~400 bytes each) to save one call per modular product.
 */
function reduceColumns(out: usize, columns: usize, n: usize, negInverse: u32, limbs: i32): void {
  const n0 = <u64>load<u32>(n);
  const n1 = <u64>load<u32>(n, 4);
  for (let i = 0; i < limbs; i += 2) {
    const at = columns + ((<usize>i) << 3);
    const c0 = load<u64>(at);
    const m0 = (<u32>c0 * negInverse) & (<u32>LIMB_MASK);
    const c1 = load<u64>(at, 8) + <u64>m0 * n1 + ((c0 + <u64>m0 * n0) >>> 28);
    const m1 = (<u32>c1 * negInverse) & (<u32>LIMB_MASK);
    addTwoMultipleRows(at, n, m0, m1, limbs);
    store<u64>(at, load<u64>(at, 8) + (load<u64>(at) >>> 28), 8);
    store<u64>(at, load<u64>(at, 16) + (load<u64>(at, 8) >>> 28), 16);
  }
  // Settle the upper half into 28-bit limbs; what is left over is the result's extra top bit.
  const upper = columns + ((<usize>limbs) << 3);
  let carry: u64 = 0;
  for (let j = 0; j < limbs; j++) {
    const v = load<u64>(upper + ((<usize>j) << 3)) + carry;
    store<u32>(out + ((<usize>j) << 2), <u32>(v & LIMB_MASK));
    carry = v >>> 28;
  }
  reduceOnce(out, <u32>carry, n, limbs);
}

/** out = a·b·R⁻¹ mod n (a, b < n); `columns` is scratch of 2·limbs + 8 u64; out may alias a or b. */
export function montgomeryMultiplySimd(
  out: usize,
  a: usize,
  b: usize,
  n: usize,
  negInverse: u32,
  limbs: i32,
  columns: usize,
): void {
  memory.fill(columns, 0, (<usize>(2 * limbs + 8)) << 3);
  for (let i = 0; i < limbs; i += 2) {
    const bi = b + ((<usize>i) << 2);
    addTwoMultipleRows(columns + ((<usize>i) << 3), a, load<u32>(bi), load<u32>(bi, 4), limbs);
  }
  normalizeColumns(columns, 2 * limbs);
  reduceColumns(out, columns, n, negInverse, limbs);
}

/**
 * out = a²·R⁻¹ mod n (a < n): the products a[i]·a[j] for i < j are summed once and doubled, then
 * the squares a[i]² added, about 3/4 of the work of a general multiplication.
 */
export function montgomerySquareSimd(
  out: usize,
  a: usize,
  n: usize,
  negInverse: u32,
  limbs: i32,
  columns: usize,
): void {
  memory.fill(columns, 0, (<usize>(2 * limbs + 8)) << 3);
  for (let i = 0; i < limbs - 1; i++) {
    const count = ((limbs - 1 - i + 3) >>> 2) << 2;
    addMultipleRow(
      columns + ((<usize>(2 * i + 1)) << 3),
      a + ((<usize>(i + 1)) << 2),
      load<u32>(a + ((<usize>i) << 2)),
      count,
    );
  }
  // Double the cross products and add a[k]² to column 2k, two limbs at a time.
  const zero = i64x2.splat(0);
  const end = columns + ((<usize>(2 * limbs)) << 3);
  let p = a;
  for (let c = columns; c < end; c += 32, p += 8) {
    const v = v128.load64_zero(p);
    const sq = i64x2.extmul_low_i32x4_u(v, v);
    const c0 = v128.load(c);
    const c1 = v128.load(c, 16);
    v128.store(c, i64x2.add(i64x2.add(c0, c0), i64x2.shuffle(sq, zero, 0, 2)));
    v128.store(c, i64x2.add(i64x2.add(c1, c1), i64x2.shuffle(sq, zero, 1, 2)), 16);
  }
  normalizeColumns(columns, 2 * limbs);
  reduceColumns(out, columns, n, negInverse, limbs);
}

/** out = a·R⁻¹ mod n (a < n): leaves the Montgomery domain with only the reduction rows. */
export function montgomeryReduceSimd(
  out: usize,
  a: usize,
  n: usize,
  negInverse: u32,
  limbs: i32,
  columns: usize,
): void {
  memory.fill(columns, 0, (<usize>(2 * limbs + 8)) << 3);
  for (let i = 0; i < limbs; i++) store<u64>(columns + ((<usize>i) << 3), <u64>load<u32>(a + ((<usize>i) << 2)));
  reduceColumns(out, columns, n, negInverse, limbs);
}
