// SPDX-License-Identifier: Apache-2.0
// Fixed exponentiations in GF(2^255 - 19): inversion (z^(p-2)) and z^((p-5)/8), the power used by
// point decoding's square root. Both share one addition chain up to z^(2^250 - 1).

import { FE_SIZE, feMul, feSquare } from "./field";

// @ts-ignore: decorator
@lazy const POW_SCRATCH: usize = memory.data(4 * <i32>FE_SIZE, 8);

/** h = f^(2^n), n >= 1. */
export function feSquareTimes(h: usize, f: usize, n: i32): void {
  feSquare(h, f);
  for (let i = 1; i < n; i++) feSquare(h, h);
}

/**
 * Leaves z^(2^250 - 1) at `out` and z^11 at `z11` (needed by the inversion's tail).
 * 250 squarings and 10 multiplications.
 */
function powTwo250MinusOne(out: usize, z11: usize, z: usize): void {
  const t0 = POW_SCRATCH;
  const t1 = POW_SCRATCH + FE_SIZE;
  const t2 = POW_SCRATCH + 2 * FE_SIZE;
  feSquare(t0, z); //                 z^2
  feSquareTimes(t1, t0, 2); //        z^8
  feMul(t1, t1, z); //                z^9
  feMul(z11, t0, t1); //              z^11
  feSquare(t0, z11); //               z^22
  feMul(t0, t0, t1); //               z^31 = z^(2^5 - 1)
  feSquareTimes(t1, t0, 5);
  feMul(t0, t1, t0); //               z^(2^10 - 1)
  feSquareTimes(t1, t0, 10);
  feMul(t1, t1, t0); //               z^(2^20 - 1)
  feSquareTimes(t2, t1, 20);
  feMul(t1, t2, t1); //               z^(2^40 - 1)
  feSquareTimes(t1, t1, 10);
  feMul(t0, t1, t0); //               z^(2^50 - 1)
  feSquareTimes(t1, t0, 50);
  feMul(t1, t1, t0); //               z^(2^100 - 1)
  feSquareTimes(t2, t1, 100);
  feMul(t1, t2, t1); //               z^(2^200 - 1)
  feSquareTimes(t1, t1, 50);
  feMul(out, t1, t0); //              z^(2^250 - 1)
}

/** h = 1/z (z^(p-2) = z^(2^255 - 21)); 0 maps to 0. */
export function feInvert(h: usize, z: usize): void {
  const z11 = POW_SCRATCH + 3 * FE_SIZE;
  powTwo250MinusOne(h, z11, z);
  feSquareTimes(h, h, 5); //          z^(2^255 - 32)
  feMul(h, h, z11); //                z^(2^255 - 21)
}

/** h = z^((p-5)/8) = z^(2^252 - 3). */
export function fePow22523(h: usize, z: usize): void {
  const z11 = POW_SCRATCH + 3 * FE_SIZE;
  powTwo250MinusOne(h, z11, z);
  feSquareTimes(h, h, 2); //          z^(2^252 - 4)
  feMul(h, h, z); //                  z^(2^252 - 3)
}
