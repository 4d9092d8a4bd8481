// SPDX-License-Identifier: Apache-2.0
// Arithmetic in GF(2^255 - 19) for Ed25519: an element is ten signed i32 limbs at a pointer, alternately
// 26 and 25 bits wide (radix 2^25.5), so every limb product fits an i64 multiply, which V8 compiles
// to one machine instruction. All functions take pointers to 40-byte elements; outputs may alias inputs.
//
// Limb bounds. A "carried" element (output of feMul, feSquare, feCarry, feFromBytes) has limbs in
// [0, 2^26) / [0, 2^25) (limb 1 may exceed by a few units). feAdd and feSub do not carry: a sum or
// difference of up to four carried elements (|limb| < 2^28 even, < 2^27 odd) is still a safe input to
// feMul and feSquare, whose largest accumulated coefficient then stays below 2^63.

import { feMulColumns } from "./field_mul_simd";

/** Bytes of one field element in memory. */
export const FE_SIZE: usize = 40;

/** h = f * g. */
export function feMul(h: usize, f: usize, g: usize): void {
  if (ASC_FEATURE_SIMD) {
    // One loop of two-lane products (field_mul_simd.ts), then the same carries.
    const c = feMulColumns(f, g);
    carryAndStore(
      h,
      load<i64>(c),
      load<i64>(c, 8),
      load<i64>(c, 16),
      load<i64>(c, 24),
      load<i64>(c, 32),
      load<i64>(c, 40),
      load<i64>(c, 48),
      load<i64>(c, 56),
      load<i64>(c, 64),
      load<i64>(c, 72),
    );
    return;
  }
  const f0 = <i64>load<i32>(f, 0);
  const f1 = <i64>load<i32>(f, 4);
  const f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>load<i32>(f, 12);
  const f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20);
  const f6 = <i64>load<i32>(f, 24);
  const f7 = <i64>load<i32>(f, 28);
  const f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>load<i32>(f, 36);
  const g0 = <i64>load<i32>(g, 0);
  const g1 = <i64>load<i32>(g, 4);
  const g2 = <i64>load<i32>(g, 8);
  const g3 = <i64>load<i32>(g, 12);
  const g4 = <i64>load<i32>(g, 16);
  const g5 = <i64>load<i32>(g, 20);
  const g6 = <i64>load<i32>(g, 24);
  const g7 = <i64>load<i32>(g, 28);
  const g8 = <i64>load<i32>(g, 32);
  const g9 = <i64>load<i32>(g, 36);
  const f1_2 = f1 << 1;
  const f3_2 = f3 << 1;
  const f5_2 = f5 << 1;
  const f7_2 = f7 << 1;
  const f9_2 = f9 << 1;
  const g1_19 = g1 * 19;
  const g2_19 = g2 * 19;
  const g3_19 = g3 * 19;
  const g4_19 = g4 * 19;
  const g5_19 = g5 * 19;
  const g6_19 = g6 * 19;
  const g7_19 = g7 * 19;
  const g8_19 = g8 * 19;
  const g9_19 = g9 * 19;
  let h0 =
    f0 * g0 +
    f1_2 * g9_19 +
    f2 * g8_19 +
    f3_2 * g7_19 +
    f4 * g6_19 +
    f5_2 * g5_19 +
    f6 * g4_19 +
    f7_2 * g3_19 +
    f8 * g2_19 +
    f9_2 * g1_19;
  let h1 =
    f0 * g1 +
    f1 * g0 +
    f2 * g9_19 +
    f3 * g8_19 +
    f4 * g7_19 +
    f5 * g6_19 +
    f6 * g5_19 +
    f7 * g4_19 +
    f8 * g3_19 +
    f9 * g2_19;
  let h2 =
    f0 * g2 +
    f1_2 * g1 +
    f2 * g0 +
    f3_2 * g9_19 +
    f4 * g8_19 +
    f5_2 * g7_19 +
    f6 * g6_19 +
    f7_2 * g5_19 +
    f8 * g4_19 +
    f9_2 * g3_19;
  let h3 =
    f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4 =
    f0 * g4 +
    f1_2 * g3 +
    f2 * g2 +
    f3_2 * g1 +
    f4 * g0 +
    f5_2 * g9_19 +
    f6 * g8_19 +
    f7_2 * g7_19 +
    f8 * g6_19 +
    f9_2 * g5_19;
  let h5 =
    f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6 =
    f0 * g6 +
    f1_2 * g5 +
    f2 * g4 +
    f3_2 * g3 +
    f4 * g2 +
    f5_2 * g1 +
    f6 * g0 +
    f7_2 * g9_19 +
    f8 * g8_19 +
    f9_2 * g7_19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8 =
    f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryAndStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** h = f^2 (about half the multiplies of feMul). */
export function feSquare(h: usize, f: usize): void {
  if (ASC_FEATURE_SIMD) {
    // The SIMD multiplication is small enough to serve squaring too (no second copy of the code).
    feMul(h, f, f);
    return;
  }
  const f0 = <i64>load<i32>(f, 0);
  const f1 = <i64>load<i32>(f, 4);
  const f2 = <i64>load<i32>(f, 8);
  const f3 = <i64>load<i32>(f, 12);
  const f4 = <i64>load<i32>(f, 16);
  const f5 = <i64>load<i32>(f, 20);
  const f6 = <i64>load<i32>(f, 24);
  const f7 = <i64>load<i32>(f, 28);
  const f8 = <i64>load<i32>(f, 32);
  const f9 = <i64>load<i32>(f, 36);
  const f0_2 = f0 << 1;
  const f1_2 = f1 << 1;
  const f1_4 = f1 << 2;
  const f2_2 = f2 << 1;
  const f3_2 = f3 << 1;
  const f3_4 = f3 << 2;
  const f4_2 = f4 << 1;
  const f5_2 = f5 << 1;
  const f5_4 = f5 << 2;
  const f5_19 = f5 * 19;
  const f6_2 = f6 << 1;
  const f6_19 = f6 * 19;
  const f7_2 = f7 << 1;
  const f7_4 = f7 << 2;
  const f7_19 = f7 * 19;
  const f8_2 = f8 << 1;
  const f8_19 = f8 * 19;
  const f9_2 = f9 << 1;
  const f9_19 = f9 * 19;
  let h0 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;

  carryAndStore(h, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

// Carries each limb into the next (floor division, so limbs end non-negative) in two interleaved
// chains for instruction-level parallelism, folding the carry out of limb 9 back as 19 * carry
// (2^255 = 19 mod p), then stores.
// @ts-ignore: decorator
@inline function carryAndStore(
  h: usize,
  h0: i64,
  h1: i64,
  h2: i64,
  h3: i64,
  h4: i64,
  h5: i64,
  h6: i64,
  h7: i64,
  h8: i64,
  h9: i64,
): void {
  let c: i64;
  c = h0 >> 26;
  h1 += c;
  h0 &= 0x3ffffff;
  c = h4 >> 26;
  h5 += c;
  h4 &= 0x3ffffff;
  c = h1 >> 25;
  h2 += c;
  h1 &= 0x1ffffff;
  c = h5 >> 25;
  h6 += c;
  h5 &= 0x1ffffff;
  c = h2 >> 26;
  h3 += c;
  h2 &= 0x3ffffff;
  c = h6 >> 26;
  h7 += c;
  h6 &= 0x3ffffff;
  c = h3 >> 25;
  h4 += c;
  h3 &= 0x1ffffff;
  c = h7 >> 25;
  h8 += c;
  h7 &= 0x1ffffff;
  c = h4 >> 26;
  h5 += c;
  h4 &= 0x3ffffff;
  c = h8 >> 26;
  h9 += c;
  h8 &= 0x3ffffff;
  c = h9 >> 25;
  h0 += c * 19;
  h9 &= 0x1ffffff;
  c = h0 >> 26;
  h1 += c;
  h0 &= 0x3ffffff;
  store<i32>(h, <i32>h0, 0);
  store<i32>(h, <i32>h1, 4);
  store<i32>(h, <i32>h2, 8);
  store<i32>(h, <i32>h3, 12);
  store<i32>(h, <i32>h4, 16);
  store<i32>(h, <i32>h5, 20);
  store<i32>(h, <i32>h6, 24);
  store<i32>(h, <i32>h7, 28);
  store<i32>(h, <i32>h8, 32);
  store<i32>(h, <i32>h9, 36);
}

/** h = f + g, not carried (see the bounds note at the top). */
export function feAdd(h: usize, f: usize, g: usize): void {
  if (ASC_FEATURE_SIMD) {
    // Limbs 0-7 four at a time, 8-9 as the low half of a vector (h may alias f or g: each group is
    // loaded before it is stored).
    v128.store(h, i32x4.add(v128.load(f), v128.load(g)));
    v128.store(h, i32x4.add(v128.load(f, 16), v128.load(g, 16)), 16);
    v128.store64_lane(h, i32x4.add(v128.load64_zero(f, 32), v128.load64_zero(g, 32)), 0, 32);
    return;
  }
  store<i32>(h, load<i32>(f, 0) + load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) + load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) + load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) + load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) + load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) + load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) + load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) + load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) + load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) + load<i32>(g, 36), 36);
}

/** h = f - g, not carried; limbs may be negative. */
export function feSub(h: usize, f: usize, g: usize): void {
  if (ASC_FEATURE_SIMD) {
    // Limbs 0-7 four at a time, 8-9 as the low half of a vector (h may alias f or g: each group is
    // loaded before it is stored).
    v128.store(h, i32x4.sub(v128.load(f), v128.load(g)));
    v128.store(h, i32x4.sub(v128.load(f, 16), v128.load(g, 16)), 16);
    v128.store64_lane(h, i32x4.sub(v128.load64_zero(f, 32), v128.load64_zero(g, 32)), 0, 32);
    return;
  }
  store<i32>(h, load<i32>(f, 0) - load<i32>(g, 0), 0);
  store<i32>(h, load<i32>(f, 4) - load<i32>(g, 4), 4);
  store<i32>(h, load<i32>(f, 8) - load<i32>(g, 8), 8);
  store<i32>(h, load<i32>(f, 12) - load<i32>(g, 12), 12);
  store<i32>(h, load<i32>(f, 16) - load<i32>(g, 16), 16);
  store<i32>(h, load<i32>(f, 20) - load<i32>(g, 20), 20);
  store<i32>(h, load<i32>(f, 24) - load<i32>(g, 24), 24);
  store<i32>(h, load<i32>(f, 28) - load<i32>(g, 28), 28);
  store<i32>(h, load<i32>(f, 32) - load<i32>(g, 32), 32);
  store<i32>(h, load<i32>(f, 36) - load<i32>(g, 36), 36);
}

/** h = -f. */
export function feNeg(h: usize, f: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(h, i32x4.neg(v128.load(f)));
    v128.store(h, i32x4.neg(v128.load(f, 16)), 16);
    v128.store64_lane(h, i32x4.neg(v128.load64_zero(f, 32)), 0, 32);
    return;
  }
  store<i32>(h, -load<i32>(f, 0), 0);
  store<i32>(h, -load<i32>(f, 4), 4);
  store<i32>(h, -load<i32>(f, 8), 8);
  store<i32>(h, -load<i32>(f, 12), 12);
  store<i32>(h, -load<i32>(f, 16), 16);
  store<i32>(h, -load<i32>(f, 20), 20);
  store<i32>(h, -load<i32>(f, 24), 24);
  store<i32>(h, -load<i32>(f, 28), 28);
  store<i32>(h, -load<i32>(f, 32), 32);
  store<i32>(h, -load<i32>(f, 36), 36);
}

/** h = f. */
export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE_SIZE);
}

/** h = small non-negative integer n (0 or 1 in practice). */
export function feSetSmall(h: usize, n: i64): void {
  memory.fill(h, 0, FE_SIZE);
  store<i32>(h, <i32>n);
}

/**
 * h = the 255-bit little-endian integer at s (32 readable bytes); bit 255 is ignored, as the
 * decoders want. Values p..2^255-1 are accepted here: callers that need canonical input check it.
 */
export function feFromBytes(h: usize, s: usize): void {
  store<i32>(h, <i32>((load<u32>(s, 0) >> 0) & 0x3ffffff), 0);
  store<i32>(h, <i32>((load<u32>(s, 3) >> 2) & 0x1ffffff), 4);
  store<i32>(h, <i32>((load<u32>(s, 6) >> 3) & 0x3ffffff), 8);
  store<i32>(h, <i32>((load<u32>(s, 9) >> 5) & 0x1ffffff), 12);
  store<i32>(h, <i32>((load<u32>(s, 12) >> 6) & 0x3ffffff), 16);
  store<i32>(h, <i32>((load<u32>(s, 16) >> 0) & 0x1ffffff), 20);
  store<i32>(h, <i32>((load<u32>(s, 19) >> 1) & 0x3ffffff), 24);
  store<i32>(h, <i32>((load<u32>(s, 22) >> 3) & 0x1ffffff), 28);
  store<i32>(h, <i32>((load<u32>(s, 25) >> 4) & 0x3ffffff), 32);
  store<i32>(h, <i32>((load<u32>(s, 28) >> 6) & 0x1ffffff), 36);
}

// @ts-ignore: decorator
@lazy const TO_BYTES_SCRATCH: usize = memory.data(80, 8);

/**
 * One floor-carry pass over the ten i64 limbs at t: each limb is cut to its width and its carry
 * added to the next; the carry out of limb 9 is folded into limb 0 as 19 * carry (2^255 = 19 mod p)
 * when `wrap`, else dropped.
 */
function carryPass(t: usize, wrap: bool): void {
  for (let i = 0; i < 10; i++) {
    const width: i64 = i & 1 ? 25 : 26;
    const p = t + ((<usize>i) << 3);
    const v = load<i64>(p);
    const c = v >> width;
    store<i64>(p, v & (((<i64>1) << width) - 1));
    if (i < 9) store<i64>(p, load<i64>(p, 8) + c, 8);
    else if (wrap) store<i64>(t, load<i64>(t) + c * 19);
  }
}

/** Writes the canonical (fully reduced, 0..p-1) 32-byte little-endian encoding of f at out. */
export function feToBytes(out: usize, f: usize): void {
  const t = TO_BYTES_SCRATCH;
  for (let i = 0; i < 10; i++) store<i64>(t + ((<usize>i) << 3), <i64>load<i32>(f + ((<usize>i) << 2)));
  // Two passes bring every limb into range and the value below 2^255.
  carryPass(t, true);
  carryPass(t, true);
  // q = 1 exactly when the value is >= p, i.e. when value + 19 reaches 2^255.
  let q: i64 = (load<i64>(t) + 19) >> 26;
  for (let i = 1; i < 10; i++) q = (load<i64>(t + ((<usize>i) << 3)) + q) >> (i & 1 ? 25 : 26);
  store<i64>(t, load<i64>(t) + 19 * q);
  // Subtracting p = adding 19 and dropping bit 255: one more pass, the last carry discarded.
  carryPass(t, false);
  // Pack the limbs (26, 25, 26, ... bits) into bytes.
  let acc: u64 = 0;
  let bits: i32 = 0;
  let o: usize = 0;
  for (let i = 0; i < 10; i++) {
    acc |= (<u64>load<i64>(t + ((<usize>i) << 3))) << <u64>bits;
    bits += i & 1 ? 25 : 26;
    while (bits >= 8) {
      store<u8>(out + o, <u8>acc);
      acc >>= 8;
      bits -= 8;
      o++;
    }
  }
  store<u8>(out + 31, <u8>acc); // the last 7 bits
}

// @ts-ignore: decorator
@lazy const BYTES_SCRATCH: usize = memory.data(32, 8);

/** True when f is 0 mod p. */
export function feIsZero(f: usize): bool {
  feToBytes(BYTES_SCRATCH, f);
  return (
    (load<u64>(BYTES_SCRATCH) |
      load<u64>(BYTES_SCRATCH, 8) |
      load<u64>(BYTES_SCRATCH, 16) |
      load<u64>(BYTES_SCRATCH, 24)) ==
    0
  );
}

/** True when the canonical value of f is odd (the "sign" of x in RFC 8032 encodings). */
export function feIsOdd(f: usize): bool {
  feToBytes(BYTES_SCRATCH, f);
  return (load<u8>(BYTES_SCRATCH) & 1) != 0;
}
