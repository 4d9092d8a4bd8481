// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication and squaring with wasm SIMD (built only with `--enable simd`):
// products are summed without carry propagation into 64-bit columns, two lanes at a time.
//
// Each 32×32→64 product p is split into lo(p) added to column k and hi(p) added to column k+1,
// so no column overflows (a column gains less than 2^34 per pass of two rows, from at most 128
// passes, so it stays below 2^42). Carries move only after each reduction row (column i's excess
// to column i+1, once its low 32 bits are zero) and once at the end. Operands must have 4 readable zero limbs past `limbs` (the key's buffers do).
import { reduceOnce } from "./bignum";

// @ts-ignore: decorator
@inline const LOW32: u64 = 0xffffffff;

/**
 * columns[0..count] += x[0..count) · s, for `count` a multiple of 4; column j gets lo(x[j]·s) and
 * column j+1 gets hi(x[j]·s). The one add that lands at column `count` is done last.
 */
// @ts-ignore: decorator
@inline function addMultipleRow(columns: usize, x: usize, s: u32, count: i32): void {
  const scalar = i32x4.splat(<i32>s);
  const low = i64x2.splat(<i64>LOW32);
  let carried = i64x2.splat(0); // lane 1: the high half bound for the next group's first column
  const end = x + (<usize>count << 2);
  let c = columns;
  for (let p = x; p < end; p += 16, c += 32) {
    const v = v128.load(p);
    const p01 = i64x2.extmul_low_i32x4_u(v, scalar);
    const p23 = i64x2.extmul_high_i32x4_u(v, scalar);
    const hi01 = i64x2.shr_u(p01, 32);
    const hi23 = i64x2.shr_u(p23, 32);
    // Columns j, j+1 take lo(p0), lo(p1) and hi(previous p3), hi(p0); columns j+2, j+3 take
    // lo(p2), lo(p3) and hi(p1), hi(p2).
    const first = i64x2.add(v128.and(p01, low), i64x2.shuffle(carried, hi01, 1, 2));
    const second = i64x2.add(v128.and(p23, low), i64x2.shuffle(hi01, hi23, 1, 2));
    v128.store(c, i64x2.add(v128.load(c), first));
    v128.store(c, i64x2.add(v128.load(c, 16), second), 16);
    carried = hi23;
  }
  store<u64>(c, load<u64>(c) + <u64>i64x2.extract_lane(carried, 1));
}

/**
 * columns += x·s0 + x·s1·2^32 over x[0..count), `count` a multiple of 4: two rows in one pass,
 * so the columns are loaded and stored once for both. Column j gets lo(x[j]·s0), hi(x[j-1]·s0),
 * lo(x[j-1]·s1) and hi(x[j-2]·s1); columns `count` and `count + 1` get the tail.
 */
// @ts-ignore: decorator
@inline function addTwoMultipleRows(columns: usize, x: usize, s0: u32, s1: u32, count: i32): void {
  const scalar0 = i32x4.splat(<i32>s0);
  const scalar1 = i32x4.splat(<i32>s1);
  const low = i64x2.splat(<i64>LOW32);
  let carriedMiddle = i64x2.splat(0); // lane 1 lands on the next group's first column
  let carriedHigh = i64x2.splat(0); // both lanes land on the next group's first two columns
  const end = x + (<usize>count << 2);
  let c = columns;
  for (let p = x; p < end; p += 16, c += 32) {
    const v = v128.load(p);
    const a01 = i64x2.extmul_low_i32x4_u(v, scalar0);
    const a23 = i64x2.extmul_high_i32x4_u(v, scalar0);
    const b01 = i64x2.extmul_low_i32x4_u(v, scalar1);
    const b23 = i64x2.extmul_high_i32x4_u(v, scalar1);
    // One column up: hi of the s0 products and lo of the s1 products (each < 2^32, sum < 2^33).
    const middle01 = i64x2.add(i64x2.shr_u(a01, 32), v128.and(b01, low));
    const middle23 = i64x2.add(i64x2.shr_u(a23, 32), v128.and(b23, low));
    // Two columns up: hi of the s1 products.
    const high01 = i64x2.shr_u(b01, 32);
    const high23 = i64x2.shr_u(b23, 32);
    const first = i64x2.add(i64x2.add(v128.and(a01, low), i64x2.shuffle(carriedMiddle, middle01, 1, 2)), carriedHigh);
    const second = i64x2.add(i64x2.add(v128.and(a23, low), i64x2.shuffle(middle01, middle23, 1, 2)), high01);
    v128.store(c, i64x2.add(v128.load(c), first));
    v128.store(c, i64x2.add(v128.load(c, 16), second), 16);
    carriedMiddle = middle23;
    carriedHigh = high23;
  }
  store<u64>(c, load<u64>(c) + <u64>i64x2.extract_lane(carriedMiddle, 1) + <u64>i64x2.extract_lane(carriedHigh, 0));
  store<u64>(c, load<u64>(c, 8) + <u64>i64x2.extract_lane(carriedHigh, 1), 8);
}

/**
 * Montgomery reduction of the 2·limbs columns at `columns`, then the limbs-limb result (< n) to
 * `out`: each row adds m·n with m chosen to zero column i, and pushes column i's excess up.
 */
// @ts-ignore: decorator
@inline function reduceColumns(out: usize, columns: usize, n: usize, negInverse: u32, limbs: i32): void {
  // Two rows at a time (limbs is a multiple of 4): m1 is chosen from what column i+1 will hold
  // once row m0 is added and column i's excess moved up.
  const n0 = <u64>load<u32>(n);
  const n1 = <u64>load<u32>(n, 4);
  for (let i = 0; i < limbs; i += 2) {
    const at = columns + (<usize>i << 3);
    const c0 = load<u64>(at);
    const m0 = <u32>c0 * negInverse;
    const p0 = <u64>m0 * n0;
    const carry0 = (c0 + (p0 & LOW32)) >>> 32;
    const c1 = load<u64>(at, 8) + ((<u64>m0 * n1) & LOW32) + (p0 >>> 32) + carry0;
    const m1 = <u32>c1 * negInverse;
    addTwoMultipleRows(at, n, m0, m1, limbs);
    store<u64>(at, load<u64>(at, 8) + (load<u64>(at) >>> 32), 8);
    store<u64>(at, load<u64>(at, 16) + (load<u64>(at, 8) >>> 32), 16);
  }
  // Settle the carries of the upper half into 32-bit limbs.
  const upper = columns + (<usize>limbs << 3);
  let carry: u64 = 0;
  for (let j = 0; j < limbs; j++) {
    const v = load<u64>(upper + (<usize>j << 3)) + carry;
    store<u32>(out + (<usize>j << 2), <u32>v);
    carry = v >>> 32;
  }
  reduceOnce(out, <u32>carry, n, limbs);
}

/** out = a·b·R⁻¹ mod n (a, b < n); `columns` is scratch of 2·limbs + 8 u64; out may alias a or b. */
export function montgomeryMultiplySimd(out: usize, a: usize, b: usize, n: usize, negInverse: u32, limbs: i32, columns: usize): void {
  memory.fill(columns, 0, <usize>(2 * limbs + 8) << 3);
  for (let i = 0; i < limbs; i += 2) {
    const bi = b + (<usize>i << 2);
    addTwoMultipleRows(columns + (<usize>i << 3), a, load<u32>(bi), load<u32>(bi, 4), limbs);
  }
  reduceColumns(out, columns, n, negInverse, limbs);
}

/**
 * out = a²·R⁻¹ mod n (a < n): the products a[i]·a[j] for i < j are summed once and doubled, then
 * the squares a[i]² added, which is about 3/4 of the work of a general multiplication.
 */
export function montgomerySquareSimd(out: usize, a: usize, n: usize, negInverse: u32, limbs: i32, columns: usize): void {
  memory.fill(columns, 0, <usize>(2 * limbs + 8) << 3);
  for (let i = 0; i < limbs - 1; i++) {
    const count = ((limbs - 1 - i + 3) >>> 2) << 2;
    addMultipleRow(columns + (<usize>(2 * i + 1) << 3), a + (<usize>(i + 1) << 2), load<u32>(a + (<usize>i << 2)), count);
  }
  const low = i64x2.splat(<i64>LOW32);
  const end = columns + (<usize>(2 * limbs) << 3);
  let p = a;
  for (let c = columns; c < end; c += 32, p += 8) {
    // Double the cross products, then add a[i]² (lo to column 2i, hi to 2i+1) for two limbs.
    const v = v128.load64_zero(p);
    const sq = i64x2.extmul_low_i32x4_u(v, v);
    const lo = v128.and(sq, low);
    const hi = i64x2.shr_u(sq, 32);
    const c0 = v128.load(c);
    const c1 = v128.load(c, 16);
    v128.store(c, i64x2.add(i64x2.add(c0, c0), i64x2.shuffle(lo, hi, 0, 2)));
    v128.store(c, i64x2.add(i64x2.add(c1, c1), i64x2.shuffle(lo, hi, 1, 3)), 16);
  }
  reduceColumns(out, columns, n, negInverse, limbs);
}

/** out = a·R⁻¹ mod n (a < n): leaves the Montgomery domain with only the reduction rows. */
export function montgomeryReduceSimd(out: usize, a: usize, n: usize, negInverse: u32, limbs: i32, columns: usize): void {
  memory.fill(columns, 0, <usize>(2 * limbs + 8) << 3);
  for (let i = 0; i < limbs; i++) store<u64>(columns + (<usize>i << 3), <u64>load<u32>(a + (<usize>i << 2)));
  reduceColumns(out, columns, n, negInverse, limbs);
}
