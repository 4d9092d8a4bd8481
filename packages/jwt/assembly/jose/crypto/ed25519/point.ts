// SPDX-License-Identifier: Apache-2.0
// Point arithmetic on edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in the coordinate systems of
// Hisil-Wong-Carter-Dawson 2008, all variable-time (verification handles only public data).
// Every point is a run of field elements (field.ts) at a pointer:
//   extended   (X, Y, Z, T)          x = X/Z, y = Y/Z, T = XY/Z          POINT_SIZE bytes
//   projective (X, Y, Z)             the first three elements of the same layout
//   completed  (X, Y, Z, T)          x = X/Z, y = Y/T; what doubling and addition produce
//   cached     (Y+X, Y-X, Z, 2dT)    an addend with its products prepared
//   affine     (y+x, y-x, 2dxy)      an addend with Z = 1 (table entries), AFFINE_SIZE bytes

import { FE_SIZE, feAdd, feCopy, feMul, feSetSmall, feSquare, feSub } from "./field";
import { FE_D2 } from "./constants";

export const POINT_SIZE: usize = 4 * FE_SIZE;
export const AFFINE_SIZE: usize = 3 * FE_SIZE;
// Offsets of the coordinates inside a point.
export const X: usize = 0;
export const Y: usize = FE_SIZE;
export const Z: usize = 2 * FE_SIZE;
export const T: usize = 3 * FE_SIZE;

// @ts-ignore: decorator
@lazy const SCRATCH: usize = memory.data(2 * <i32>FE_SIZE, 8);

/** p = the neutral element (0, 1): X = 0, Y = Z = 1, T = 0. */
export function pointSetIdentity(p: usize): void {
  feSetSmall(p + X, 0);
  feSetSmall(p + Y, 1);
  feSetSmall(p + Z, 1);
  feSetSmall(p + T, 0);
}

export function pointCopy(r: usize, p: usize): void {
  memory.copy(r, p, POINT_SIZE);
}

/** completed r = 2p, p projective or extended (T unused). 4 squarings. r must not alias p. */
export function pointDouble(r: usize, p: usize): void {
  const xx = r + X,
    yy = r + Z,
    h2 = r + T;
  feSquare(xx, p + X);
  feSquare(yy, p + Y);
  feSquare(h2, p + Z);
  feAdd(h2, h2, h2); //                 2Z^2
  const s = SCRATCH;
  feAdd(s, p + X, p + Y);
  feSquare(s, s); //                    (X+Y)^2
  feAdd(r + Y, yy, xx); //              Y' = YY + XX
  feSub(r + Z, yy, xx); //              Z' = YY - XX
  feSub(r + X, s, r + Y); //            X' = (X+Y)^2 - XX - YY = 2XY
  feSub(r + T, h2, r + Z); //           T' = 2Z^2 - (YY - XX)
}

/** projective r = completed p. 3 multiplications. r may alias p. */
export function completedToProjective(r: usize, p: usize): void {
  feMul(r + X, p + X, p + T);
  feMul(r + Y, p + Y, p + Z);
  feMul(r + Z, p + Z, p + T);
}

/** extended r = completed p. 4 multiplications. r must not alias p. */
export function completedToExtended(r: usize, p: usize): void {
  feMul(r + X, p + X, p + T);
  feMul(r + Y, p + Y, p + Z);
  feMul(r + Z, p + Z, p + T);
  feMul(r + T, p + X, p + Y);
}

/** completed r = p ± q, p extended, q affine (Z = 1). 7 multiplications. r must not alias p. */
export function pointAddAffine(r: usize, p: usize, q: usize, subtract: bool): void {
  const a = r + X,
    b = r + Y,
    c = r + T;
  // Negating q swaps y+x and y-x and negates 2dxy.
  const qPlus = subtract ? q + FE_SIZE : q;
  const qMinus = subtract ? q : q + FE_SIZE;
  feAdd(SCRATCH, p + Y, p + X);
  feMul(a, SCRATCH, qPlus); //           A = (Y1+X1)(y2+x2)
  feSub(SCRATCH, p + Y, p + X);
  feMul(b, SCRATCH, qMinus); //          B = (Y1-X1)(y2-x2)
  feMul(c, p + T, q + 2 * FE_SIZE); //   C = T1 * 2d x2 y2
  feAdd(SCRATCH, p + Z, p + Z); //       D = 2 Z1
  finishAddition(r, a, b, c, SCRATCH, subtract);
}

/** completed r = p ± q, p extended, q cached. 8 multiplications. r must not alias p. */
export function pointAddCached(r: usize, p: usize, q: usize, subtract: bool): void {
  const a = r + X,
    b = r + Y,
    c = r + T;
  const qPlus = subtract ? q + FE_SIZE : q;
  const qMinus = subtract ? q : q + FE_SIZE;
  feAdd(SCRATCH, p + Y, p + X);
  feMul(a, SCRATCH, qPlus);
  feSub(SCRATCH, p + Y, p + X);
  feMul(b, SCRATCH, qMinus);
  feMul(c, p + T, q + 3 * FE_SIZE);
  feMul(SCRATCH, p + Z, q + 2 * FE_SIZE);
  feAdd(SCRATCH, SCRATCH, SCRATCH);
  finishAddition(r, a, b, c, SCRATCH, subtract);
}

// From A, B, C, D (stored in r's X, Y, T slots and d): X = A - B, Y = A + B, Z = D ± C, T = D ∓ C.
// @ts-ignore: decorator
@inline function finishAddition(r: usize, a: usize, b: usize, c: usize, d: usize, subtract: bool): void {
  const t = SCRATCH + FE_SIZE;
  feSub(t, a, b);
  feAdd(r + Y, a, b);
  feCopy(r + X, t);
  if (subtract) {
    feSub(r + Z, d, c);
    feAdd(r + T, d, c);
  } else {
    feAdd(r + Z, d, c);
    feSub(r + T, d, c);
  }
}

/** cached r = extended p. */
export function extendedToCached(r: usize, p: usize): void {
  feAdd(r, p + Y, p + X);
  feSub(r + FE_SIZE, p + Y, p + X);
  feCopy(r + 2 * FE_SIZE, p + Z);
  feMul(r + 3 * FE_SIZE, p + T, FE_D2);
}
