// SPDX-License-Identifier: Apache-2.0
// The 32-byte point encoding of RFC 8032 §5.1.2: y little-endian in bits 0..254, the parity of x
// in bit 255. Decoding (§5.1.3) is strict: y must be below p, a square root of
// (y^2 - 1)/(d y^2 + 1) must exist, and x = 0 with the sign bit set is refused.

import {
  FE_SIZE,
  feAdd,
  feCopy,
  feFromBytes,
  feIsOdd,
  feIsZero,
  feMul,
  feNeg,
  feSetSmall,
  feSquare,
  feSub,
  feToBytes,
} from "./field";
import { feInvert, fePow22523 } from "./field_pow";
import { FE_D, FE_SQRT_M1 } from "./constants";
import { X, Y, Z, T } from "./point";

// @ts-ignore: decorator
@lazy const SCRATCH: usize = memory.data(6 * <i32>FE_SIZE, 8);

/** True when the 255-bit little-endian value at s (top bit ignored) is p or larger. */
function isNonCanonicalY(s: usize): bool {
  // p = 2^255 - 19: bytes ed ff ff ... ff 7f. Values >= p have every byte above the lowest at its
  // maximum, and the lowest at 0xed or more.
  if ((load<u8>(s, 31) & 0x7f) != 0x7f) return false;
  for (let i = 1; i < 31; i++) if (load<u8>(s + <usize>i) != 0xff) return false;
  return load<u8>(s) >= 0xed;
}

/**
 * Decodes the 32 bytes at s into the extended point r. Returns false (r then undefined) when the
 * bytes are not the canonical encoding of a curve point.
 */
export function pointDecode(r: usize, s: usize): bool {
  if (isNonCanonicalY(s)) return false;
  const u = SCRATCH,
    v = SCRATCH + FE_SIZE,
    v3 = SCRATCH + 2 * FE_SIZE;
  const x = SCRATCH + 3 * FE_SIZE,
    t = SCRATCH + 4 * FE_SIZE,
    check = SCRATCH + 5 * FE_SIZE;
  feFromBytes(r + Y, s);
  feSetSmall(r + Z, 1);
  feSquare(u, r + Y);
  feMul(v, u, FE_D);
  feSetSmall(t, 1);
  feSub(u, u, t); //                    u = y^2 - 1
  feAdd(v, v, t); //                    v = d y^2 + 1
  feSquare(v3, v);
  feMul(v3, v3, v); //                  v^3
  feSquare(x, v3);
  feMul(x, x, v);
  feMul(x, x, u); //                    u v^7
  fePow22523(t, x); //                  (u v^7)^((p-5)/8)
  feMul(x, t, v3);
  feMul(x, x, u); //                    candidate x = u v^3 (u v^7)^((p-5)/8)
  feSquare(check, x);
  feMul(check, check, v); //            v x^2
  feSub(t, check, u);
  if (!feIsZero(t)) {
    feAdd(t, check, u);
    if (!feIsZero(t)) return false; //  u/v is not a square: no such point
    feMul(x, x, FE_SQRT_M1);
  }
  const sign = load<u8>(s, 31) >> 7 != 0;
  if (sign && feIsZero(x)) return false; // x = 0 has only the encoding with sign 0
  if (feIsOdd(x) != sign) feNeg(x, x);
  feCopy(r + X, x);
  feMul(r + T, x, r + Y);
  return true;
}

/** Writes the encoding of the projective (or extended) point p at out (32 bytes). */
export function pointEncode(out: usize, p: usize): void {
  const zInverse = SCRATCH,
    x = SCRATCH + FE_SIZE,
    y = SCRATCH + 2 * FE_SIZE;
  feInvert(zInverse, p + Z);
  feMul(x, p + X, zInverse);
  feMul(y, p + Y, zInverse);
  feToBytes(out, y);
  if (feIsOdd(x)) store<u8>(out, load<u8>(out, 31) | 0x80, 31);
}
