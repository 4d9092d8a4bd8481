// SPDX-License-Identifier: Apache-2.0
// Precomputed tables for the multi-scalar multiplication: for a point P, the odd multiples
// P, 3P, 5P, ... of P, 2^c P, 2^2c P, ... (c = CHUNK_BITS), each in affine form so an addition
// costs 7 multiplications. Splitting a 253-bit scalar into CHUNKS pieces of CHUNK_BITS bits turns
// 252 doublings into CHUNK_BITS - 1, at the price of building the shifted copies once (per key at
// import, and once per process for the base point).

import { FE_SIZE, feAdd, feMul, feSub } from "./field";
import { feInvert } from "./field_pow";
import { FE_D2 } from "./constants";
import {
  AFFINE_SIZE,
  POINT_SIZE,
  X,
  Y,
  Z,
  completedToExtended,
  completedToProjective,
  extendedToCached,
  pointAddCached,
  pointCopy,
  pointDouble,
} from "./point";

/** Pieces a scalar is cut into; each has its own table. */
export const CHUNKS: i32 = 8;
/** Bits per piece. */
export const CHUNK_BITS: i32 = 256 / CHUNKS;

/** Bytes of the tables for one point with NAF width w: CHUNKS tables of 2^(w-2) entries. */
export function tableBytes(w: i32): usize {
  return <usize>CHUNKS * ((<usize>1) << <usize>(w - 2)) * AFFINE_SIZE;
}

// @ts-ignore: decorator
@lazy const SCRATCH: usize = memory.data(4 * <i32>POINT_SIZE + 3 * <i32>FE_SIZE, 8);

/**
 * Fills `out` (tableBytes(w) bytes) for the extended point p: table q, entry i holds
 * (2i + 1) 2^(q CHUNK_BITS) p in affine form (y+x, y-x, 2dxy).
 */
export function buildTables(out: usize, p: usize, w: i32): void {
  const n = 1 << (w - 2);
  const total = n * CHUNKS;
  // All multiples in extended form first, then one shared inversion (Montgomery's trick).
  const points = heap.alloc(<usize>total * POINT_SIZE);
  const prefix = heap.alloc(<usize>total * FE_SIZE);
  const base = SCRATCH,
    twice = SCRATCH + POINT_SIZE,
    cached = SCRATCH + 2 * POINT_SIZE;
  const completed = SCRATCH + 3 * POINT_SIZE;
  pointCopy(base, p);
  for (let q = 0; q < CHUNKS; q++) {
    const first = points + <usize>(q * n) * POINT_SIZE;
    pointCopy(first, base);
    if (n > 1) {
      pointDouble(completed, base);
      completedToExtended(twice, completed);
      extendedToCached(cached, twice);
      for (let i = 1; i < n; i++) {
        pointAddCached(completed, first + <usize>(i - 1) * POINT_SIZE, cached, false);
        completedToExtended(first + <usize>i * POINT_SIZE, completed);
      }
    }
    if (q + 1 < CHUNKS) {
      // base = 2^CHUNK_BITS base: doublings in projective form, the last one back to extended.
      for (let i = 0; i < CHUNK_BITS - 1; i++) {
        pointDouble(completed, base);
        completedToProjective(base, completed);
      }
      pointDouble(completed, base);
      completedToExtended(base, completed);
    }
  }
  // prefix[i] = Z_0 Z_1 ... Z_i
  memory.copy(prefix, points + Z, FE_SIZE);
  for (let i = 1; i < total; i++) {
    feMul(prefix + <usize>i * FE_SIZE, prefix + <usize>(i - 1) * FE_SIZE, points + <usize>i * POINT_SIZE + Z);
  }
  const inverse = SCRATCH + 4 * POINT_SIZE;
  const zInverse = inverse + FE_SIZE;
  const x = inverse + 2 * FE_SIZE;
  feInvert(inverse, prefix + <usize>(total - 1) * FE_SIZE);
  for (let i = total - 1; i >= 0; i--) {
    const point = points + <usize>i * POINT_SIZE;
    if (i > 0) {
      feMul(zInverse, inverse, prefix + <usize>(i - 1) * FE_SIZE); // 1/Z_i
      feMul(inverse, inverse, point + Z); //                        1/(Z_0 ... Z_{i-1})
    } else {
      memory.copy(zInverse, inverse, FE_SIZE);
    }
    const entry = out + <usize>i * AFFINE_SIZE;
    feMul(x, point + X, zInverse);
    feMul(entry + 2 * FE_SIZE, point + Y, zInverse); // y, kept in the third slot for a moment
    feAdd(entry, entry + 2 * FE_SIZE, x);
    feSub(entry + FE_SIZE, entry + 2 * FE_SIZE, x);
    feMul(entry + 2 * FE_SIZE, entry + 2 * FE_SIZE, x);
    feMul(entry + 2 * FE_SIZE, entry + 2 * FE_SIZE, FE_D2);
  }
  heap.free(prefix);
  heap.free(points);
}
