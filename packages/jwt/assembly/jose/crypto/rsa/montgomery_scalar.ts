// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication and squaring, portable version (any build without SIMD): product
// scanning, two output columns at a time, on 32-bit limbs with 64-bit products.
//
// A column's products are summed into two 64-bit accumulators, low halves and high halves, so no
// add has to wait for a carry; the column's low 32 bits are settled once, when it is finished.
// (Koç, Acar and Kaliski call the interleaved product/reduction order "FIPS".) Columns k and k+1
// are summed in the same pass, so each limb of the descending operand is loaded once for both.
// Operands need 4 zero limbs past `limbs` (the key's buffers have them): the pass reads one.
import { reduceOnce } from "./bignum";

// @ts-ignore: decorator
@inline const LOW32: u64 = 0xffffffff;

// The two columns being summed, as (low halves, high halves) each; only addTwoColumns and the
// column closers below touch them, always in that order within one call.
let lowK: u64 = 0;
let highK: u64 = 0;
let lowNext: u64 = 0;
let highNext: u64 = 0;

/**
 * Adds x[i]·y[-i] to column k and x[i]·y[1-i] to column k+1 for i in [0, count): x ascending,
 * y (pointing at the operand's limb k) descending.
 */
// @ts-ignore: decorator
@inline function addTwoColumns(x: usize, y: usize, count: i32): void {
  let l0 = lowK,
    h0 = highK,
    l1 = lowNext,
    h1 = highNext;
  let above = <u64>load<u32>(y, 4); // y[1 - i], carried from the previous step
  const end = x + ((<usize>count) << 2);
  let py = y;
  for (let px = x; px < end; px += 4, py -= 4) {
    const xi = <u64>load<u32>(px);
    const here = <u64>load<u32>(py);
    const p = xi * here;
    const q = xi * above;
    l0 += p & LOW32;
    h0 += p >>> 32;
    l1 += q & LOW32;
    h1 += q >>> 32;
    above = here;
  }
  lowK = l0;
  highK = h0;
  lowNext = l1;
  highNext = h1;
}

// @ts-ignore: decorator
@inline function addToNext(p: u64): void {
  lowNext += p & LOW32;
  highNext += p >>> 32;
}

// @ts-ignore: decorator
@inline function addToK(p: u64): void {
  lowK += p & LOW32;
  highK += p >>> 32;
}

/**
 * Closes columns k and k+1 of the low half: picks m[k] and m[k+1] (each zeroing its column's low
 * 32 bits) and returns the carry into column k+2. `carry` enters column k.
 */
// @ts-ignore: decorator
@inline function closeLowColumns(carry: u64, m: usize, n: usize, negInverse: u32): u64 {
  const n0 = <u64>load<u32>(n);
  let lo = lowK + carry;
  const mk = <u32>lo * negInverse;
  store<u32>(m, mk);
  const q = <u64>mk * n0;
  lo += q & LOW32;
  addToNext(<u64>mk * <u64>load<u32>(n, 4));
  let next = lowNext + (lo >>> 32) + highK + (q >>> 32);
  const mk1 = <u32>next * negInverse;
  store<u32>(m, mk1, 4);
  const q1 = <u64>mk1 * n0;
  next += q1 & LOW32;
  return (next >>> 32) + highNext + (q1 >>> 32);
}

/** Closes columns k and k+1 of the high half into result limbs t[0], t[1]; returns the carry. */
// @ts-ignore: decorator
@inline function closeHighColumns(carry: u64, t: usize): u64 {
  const lo = lowK + carry;
  store<u32>(t, <u32>lo);
  const next = lowNext + (lo >>> 32) + highK;
  store<u32>(t, <u32>next, 4);
  return (next >>> 32) + highNext;
}

// @ts-ignore: decorator
@inline function clearColumns(): void {
  lowK = 0;
  highK = 0;
  lowNext = 0;
  highNext = 0;
}

/**
 * out = a·b·R⁻¹ mod n with R = 2^(32·limbs); a, b < n; `scratch` holds at least 2·limbs u32.
 * out may alias a or b (the result is built in scratch and copied at the end).
 */
export function montgomeryMultiplyScalar(
  out: usize,
  a: usize,
  b: usize,
  n: usize,
  negInverse: u32,
  limbs: i32,
  scratch: usize,
): void {
  const m = scratch; // the reduction multipliers, one per low column
  const t = scratch + ((<usize>limbs) << 2); // the result, one per high column
  let carry: u64 = 0;
  // limbs is a multiple of 4, so columns pair up evenly.
  for (let k = 0; k < limbs; k += 2) {
    const top = (<usize>k) << 2;
    clearColumns();
    addTwoColumns(a, b + top, k + 1);
    addToNext(<u64>load<u32>(a + top, 4) * <u64>load<u32>(b)); // a[k+1]·b[0]
    addTwoColumns(m, n + top, k);
    carry = closeLowColumns(carry, m + top, n, negInverse);
  }
  for (let k = limbs; k < 2 * limbs; k += 2) {
    // Column k: i in [first, limbs); column k+1 needs i from first + 1, and its i = first term
    // reads the zero limb past the end of b (or n), so it adds nothing.
    const first = k - limbs + 1;
    const from = (<usize>first) << 2;
    const top = (<usize>(k - first)) << 2;
    clearColumns();
    addTwoColumns(a + from, b + top, limbs - first);
    addTwoColumns(m + from, n + top, limbs - first);
    carry = closeHighColumns(carry, t + ((<usize>(k - limbs)) << 2));
  }
  reduceOnce(t, <u32>carry, n, limbs);
  memory.copy(out, t, (<usize>limbs) << 2);
}

/**
 * out = a²·R⁻¹ mod n (a < n): each cross product a[i]·a[j] (i < j) is summed once and doubled,
 * then a[k/2]² added, about 3/4 of the work of a general multiplication. Same scratch as above.
 */
export function montgomerySquareScalar(
  out: usize,
  a: usize,
  n: usize,
  negInverse: u32,
  limbs: i32,
  scratch: usize,
): void {
  const m = scratch;
  const t = scratch + ((<usize>limbs) << 2);
  let carry: u64 = 0;
  for (let k = 0; k < 2 * limbs; k += 2) {
    // k is even. Cross products: column k has i in [first, k/2), column k+1 has i in
    // [first', k/2]; the pass covers [first, k/2) for both, then a[k/2]·a[k/2+1] goes to k+1.
    // (For k ≥ limbs, column k+1's extra i = first term reads the zero limb past a's end.)
    const first = k < limbs ? 0 : k - limbs + 1;
    const half = k >>> 1;
    clearColumns();
    addTwoColumns(a + ((<usize>first) << 2), a + ((<usize>(k - first)) << 2), half - first);
    const middle = <u64>load<u32>(a + ((<usize>half) << 2));
    addToNext(middle * <u64>load<u32>(a + ((<usize>(half + 1)) << 2)));
    // Double both columns' cross sums, then add a[k/2]² to column k.
    lowK <<= 1;
    highK <<= 1;
    lowNext <<= 1;
    highNext <<= 1;
    addToK(middle * middle);
    const top = (<usize>k) << 2;
    if (k < limbs) {
      addTwoColumns(m, n + top, k);
      carry = closeLowColumns(carry, m + top, n, negInverse);
    } else {
      addTwoColumns(m + ((<usize>first) << 2), n + ((<usize>(k - first)) << 2), limbs - first);
      carry = closeHighColumns(carry, t + ((<usize>(k - limbs)) << 2));
    }
  }
  reduceOnce(t, <u32>carry, n, limbs);
  memory.copy(out, t, (<usize>limbs) << 2);
}
