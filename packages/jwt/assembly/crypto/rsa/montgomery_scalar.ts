// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication and squaring, portable version (any build without SIMD): product
// scanning, one output column at a time, on 32-bit limbs with 64-bit products.
//
// A column's products are summed into two 64-bit accumulators, low halves and high halves, so no
// add has to wait for a carry; the column's low 32 bits are settled once, when it is finished.
// (Koç, Acar and Kaliski call the interleaved product/reduction order "FIPS".)
import { reduceOnce } from "./bignum";

// @ts-ignore: decorator
@inline const LOW32: u64 = 0xffffffff;

/** The high-halves accumulator of the column being summed (the second result of addDiagonal). */
let columnHigh: u64 = 0;

/**
 * Adds Σ x[i]·y[-i] for i in 0..count (x ascending, y descending: one column of a product) to the
 * column held as (lo, columnHigh); returns the new lo and leaves the new high sum in `columnHigh`.
 */
// @ts-ignore: decorator
@inline function addDiagonal(lo: u64, x: usize, y: usize, count: i32): u64 {
  let hi = columnHigh;
  const end = x + (<usize>count << 2);
  let px = x, py = y;
  // Two products per step: fewer loop tests, and two independent multiplies in flight.
  for (; px + 4 < end; px += 8, py -= 8) {
    const p = <u64>load<u32>(px) * <u64>load<u32>(py);
    const q = <u64>load<u32>(px, 4) * <u64>load<u32>(py - 4);
    lo += (p & LOW32) + (q & LOW32);
    hi += (p >>> 32) + (q >>> 32);
  }
  if (px < end) {
    const p = <u64>load<u32>(px) * <u64>load<u32>(py);
    lo += p & LOW32;
    hi += p >>> 32;
  }
  columnHigh = hi;
  return lo;
}

/**
 * out = a·b·R⁻¹ mod n with R = 2^(32·limbs); a, b < n; `scratch` holds at least 2·limbs u32.
 * out may alias a or b (the result is built in scratch and copied at the end).
 */
export function montgomeryMultiplyScalar(out: usize, a: usize, b: usize, n: usize, negInverse: u32, limbs: i32, scratch: usize): void {
  const m = scratch; // the reduction multipliers, one per low column
  const t = scratch + (<usize>limbs << 2); // the result, one per high column
  let lo: u64 = 0;
  columnHigh = 0;
  for (let k = 0; k < limbs; k++) {
    const top = <usize>k << 2;
    lo = addDiagonal(lo, a, b + top, k + 1);
    lo = addDiagonal(lo, m, n + top, k);
    // Pick m[k] so that the column's low 32 bits become zero, then drop them.
    const mk = <u32>lo * negInverse;
    store<u32>(m + top, mk);
    const q = <u64>mk * <u64>load<u32>(n);
    let hi = columnHigh + (q >>> 32);
    lo += q & LOW32;
    lo = (lo >>> 32) + hi;
    columnHigh = 0;
  }
  for (let k = limbs; k < 2 * limbs - 1; k++) {
    const first = k - limbs + 1;
    const from = <usize>first << 2;
    const top = <usize>(k - first) << 2;
    lo = addDiagonal(lo, a + from, b + top, limbs - first);
    lo = addDiagonal(lo, m + from, n + top, limbs - first);
    store<u32>(t + (<usize>(k - limbs) << 2), <u32>lo);
    lo = (lo >>> 32) + columnHigh;
    columnHigh = 0;
  }
  store<u32>(t + (<usize>(limbs - 1) << 2), <u32>lo);
  reduceOnce(t, <u32>(lo >>> 32), n, limbs);
  memory.copy(out, t, <usize>limbs << 2);
}

/**
 * out = a²·R⁻¹ mod n (a < n): each cross product a[i]·a[j] (i < j) is summed once and doubled,
 * then a[k/2]² added, about 3/4 of the work of a general multiplication. Same scratch as above.
 */
export function montgomerySquareScalar(out: usize, a: usize, n: usize, negInverse: u32, limbs: i32, scratch: usize): void {
  const m = scratch;
  const t = scratch + (<usize>limbs << 2);
  let lo: u64 = 0;
  for (let k = 0; k < 2 * limbs - 1; k++) {
    const first = k < limbs ? 0 : k - limbs + 1;
    // Cross products a[i]·a[k-i] for first ≤ i < k-i, doubled.
    const cross = (k + 1 - 2 * first) >>> 1; // number of i with first ≤ i < k - i
    columnHigh = 0;
    const crossLo = addDiagonal(0, a + (<usize>first << 2), a + (<usize>(k - first) << 2), cross);
    let hi = columnHigh << 1;
    lo += crossLo << 1;
    if ((k & 1) == 0) {
      const v = <u64>load<u32>(a + (<usize>(k >>> 1) << 2));
      const sq = v * v;
      lo += sq & LOW32;
      hi += sq >>> 32;
    }
    columnHigh = hi;
    if (k < limbs) {
      const top = <usize>k << 2;
      lo = addDiagonal(lo, m, n + top, k);
      const mk = <u32>lo * negInverse;
      store<u32>(m + top, mk);
      const q = <u64>mk * <u64>load<u32>(n);
      lo += q & LOW32;
      lo = (lo >>> 32) + columnHigh + (q >>> 32);
    } else {
      lo = addDiagonal(lo, m + (<usize>first << 2), n + (<usize>(k - first) << 2), limbs - first);
      store<u32>(t + (<usize>(k - limbs) << 2), <u32>lo);
      lo = (lo >>> 32) + columnHigh;
    }
  }
  store<u32>(t + (<usize>(limbs - 1) << 2), <u32>lo);
  reduceOnce(t, <u32>(lo >>> 32), n, limbs);
  memory.copy(out, t, <usize>limbs << 2);
}
