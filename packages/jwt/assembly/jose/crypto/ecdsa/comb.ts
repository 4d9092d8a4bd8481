// SPDX-License-Identifier: Apache-2.0
// Fixed-base comb (Lim–Lee) for u1·G + u2·Q. With t teeth spaced d = ⌈bits/t⌉ apart, entry k of a
// point's table is Σ 2^(j·d)·P over the set bits j of k; then k·P for a scalar k needs only d
// doublings and d table additions, and the doublings are shared by the two scalars. The table
// depends only on the point, so G's is built once per curve and Q's once per imported key.
// Entries are affine (mixed additions are the cheapest) and Montgomery-form; entry 0 is unused.

import { CurveContext } from "./curve";
import { limbsBit, limbsCopy, limbsPtr, newLimbs } from "../limbs";
import { pointAddAffine, pointDouble, pointFromAffine, pointSetInfinity } from "./point";

/** Teeth per comb: 2^8 entries, 16 KB for P-256, 24 KB for P-384, 34 KB for P-521. */
export const COMB_TEETH: i32 = 8;
const COMB_ENTRIES: i32 = 1 << COMB_TEETH;

/** Distance between teeth in bits, so that teeth·spacing covers every bit of a scalar mod n. */
// @ts-ignore: decorator
@inline export function combSpacing(c: CurveContext): i32 {
  return (c.orderBits + COMB_TEETH - 1) / COMB_TEETH;
}

/**
 * The comb table of the affine point (x, y), which must be a curve point other than infinity.
 * No entry can be infinity or need a doubling: entry scalars are distinct, nonzero and below n.
 */
export function buildCombTable(c: CurveContext, x: usize, y: usize): StaticArray<u32> {
  const n = c.limbs;
  const es = c.elementSize;
  const d = combSpacing(c);
  // Every allocation happens here, before any raw pointer is taken: the collector can only run
  // at an allocation, so none of these arrays can be freed or reused while the pointers are used.
  const table = newLimbs(COMB_ENTRIES * 2 * n);
  const jacobian = newLimbs(COMB_ENTRIES * 3 * n);
  const prefix = newLimbs(COMB_ENTRIES * n);
  const tab = limbsPtr(table),
    jac = limbsPtr(jacobian),
    pre = limbsPtr(prefix);
  const affineSize = es * 2,
    jacobianSize = es * 3;

  // Teeth: entry 2^j = 2^(j·d)·P, by repeated doubling, then made affine all at once.
  limbsCopy(tab + affineSize, x, n);
  limbsCopy(tab + affineSize + es, y, n);
  pointFromAffine(c, jac + jacobianSize, tab + affineSize);
  for (let j = 1; j < COMB_TEETH; j++) {
    const prev = jac + jacobianSize * (1 << (j - 1));
    const cur = jac + jacobianSize * (1 << j);
    pointDouble(c, cur, prev);
    for (let i = 1; i < d; i++) pointDouble(c, cur, cur);
  }
  toAffineBatch(c, jac, tab, pre, true);
  for (let j = 1; j < COMB_TEETH; j++) pointFromAffine(c, jac + jacobianSize * (1 << j), tab + affineSize * (1 << j));

  // Every other entry: the entry without its highest bit plus that tooth.
  for (let k = 3; k < COMB_ENTRIES; k++) {
    const top = 1 << (31 - clz(k));
    if (k == top) continue;
    pointAddAffine(c, jac + jacobianSize * k, jac + jacobianSize * (k - top), tab + affineSize * top);
  }
  toAffineBatch(c, jac, tab, pre, false);
  return table;
}

/**
 * Converts Jacobian entries 1..255 (only the powers of two when `teethOnly`) to affine with a
 * single inversion (Montgomery's trick), using `pre` (255 elements) for the prefix products.
 * Their Z must be nonzero.
 */
function toAffineBatch(c: CurveContext, jac: usize, tab: usize, pre: usize, teethOnly: bool): void {
  const f = c.fp;
  const n = c.limbs;
  const es = c.elementSize;
  const inv = c.scratch(6),
    zinv = c.scratch(7);
  // prefix[k] = product of Z over the selected entries up to k.
  let last = 0;
  for (let k = 1; k < COMB_ENTRIES; k++) {
    if (teethOnly && (k & (k - 1)) != 0) continue;
    const z = jac + es * 3 * k + es * 2;
    if (last == 0) limbsCopy(pre + es * k, z, n);
    else f.mul(pre + es * k, pre + es * last, z);
    last = k;
  }
  f.inv(inv, pre + es * last);
  for (let k = last; k >= 1; k--) {
    if (teethOnly && (k & (k - 1)) != 0) continue;
    const point = jac + es * 3 * k;
    // Previous selected entry, for the prefix product before this one.
    let prev = k - 1;
    while (prev >= 1 && teethOnly && (prev & (prev - 1)) != 0) prev--;
    if (prev >= 1) {
      f.mul(zinv, inv, pre + es * prev);
      f.mul(inv, inv, point + es * 2);
    } else {
      limbsCopy(zinv, inv, n);
    }
    const out = tab + es * 2 * k;
    const zinv2 = c.scratch(5);
    f.sqr(zinv2, zinv);
    f.mul(out, point, zinv2);
    f.mul(zinv2, zinv2, zinv);
    f.mul(out + es, point + es, zinv2);
  }
}

/**
 * G's comb table, built once per curve when the first key of that curve is imported (so no
 * request pays for it) rather than stored in the module, which would cost 16–34 KB of data.
 */
export function generatorTable(c: CurveContext): StaticArray<u32> {
  let t = c.generatorTable;
  if (t === null) c.generatorTable = t = buildCombTable(c, c.gx, c.gy);
  return t;
}

/** Comb digit of column i: bit i + j·d of the scalar for tooth j. */
// @ts-ignore: decorator
@inline function combDigit(scalar: usize, column: i32, d: i32): i32 {
  let k = 0;
  for (let j = COMB_TEETH - 1; j >= 0; j--) k = (k << 1) | (<i32>limbsBit(scalar, column + j * d));
  return k;
}

/**
 * out (Jacobian) = u1·G + u2·Q from the two comb tables; u1, u2 plain scalars below n.
 * Infinity, doublings and cancellations in the sum are handled by the point formulas.
 */
export function combDoubleMul(
  c: CurveContext,
  out: usize,
  tableG: StaticArray<u32>,
  u1: usize,
  tableQ: StaticArray<u32>,
  u2: usize,
): void {
  const d = combSpacing(c);
  const entrySize = c.elementSize * 2;
  const tg = limbsPtr(tableG),
    tq = limbsPtr(tableQ);
  pointSetInfinity(c, out);
  let started = false;
  for (let i = d - 1; i >= 0; i--) {
    if (started) pointDouble(c, out, out);
    const kg = combDigit(u1, i, d);
    if (kg != 0) {
      pointAddAffine(c, out, out, tg + entrySize * kg);
      started = true;
    }
    const kq = combDigit(u2, i, d);
    if (kq != 0) {
      pointAddAffine(c, out, out, tq + entrySize * kq);
      started = true;
    }
  }
}
