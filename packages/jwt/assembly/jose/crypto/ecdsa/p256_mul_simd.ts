// SPDX-License-Identifier: Apache-2.0
// P-256 field multiplication (Montgomery form, R = 2^256) for SIMD builds: the same result as
// p256Mul (p256_field.ts), in about half its code and at about its speed. The products are made
// two at a time (i64x2.extmul_*_i32x4_u) and added, split into their low and high 32 bits, into
// 64-bit column sums, so no carry runs along a row; a column collects at most 16 halves, below
// 2^36. Rows go two per loop step: row i's low halves and row i+1's high halves land on column
// pairs (i, i+1), (i+2, i+3), ... (the w vectors), the other halves one column up (the h vectors),
// so after each step the windows move up two columns by renaming.
// The two columns completed by each step enter the Montgomery reduction at once: as in
// p256_field.ts, −p⁻¹ mod 2^32 = 1 and adding q·p adds ±q at four limb offsets, kept in the signed
// e window (e0 = the next column) and added in at the end with the carries.

import { storeSubtractingP } from "./p256_field";

// @ts-ignore: decorator
@inline const MASK: u64 = 0xffffffff;

/** out = a·b·2^-256 mod p; a, b < p; out may alias either. */
export function p256MulSimd(out: usize, a: usize, b: usize): void {
  const lowMask = i64x2.splat(0xffffffff);
  const zero = i64x2.splat(0);
  const b03 = v128.load(b);
  const b47 = v128.load(b, 16);
  let w0 = zero,
    w1 = zero,
    w2 = zero,
    w3 = zero,
    w4 = zero;
  let h0 = zero,
    h1 = zero,
    h2 = zero,
    h3 = zero;
  let e0: i64 = 0,
    e1: i64 = 0,
    e2: i64 = 0,
    e3: i64 = 0,
    e4: i64 = 0,
    e5: i64 = 0,
    e6: i64 = 0,
    e7: i64 = 0;
  for (let i: usize = 0; i < 32; i += 8) {
    const ai = i32x4.splat(load<i32>(a + i));
    let p = i64x2.extmul_low_i32x4_u(b03, ai);
    w0 = i64x2.add(w0, v128.and(p, lowMask));
    h0 = i64x2.add(h0, i64x2.shr_u(p, 32));
    p = i64x2.extmul_high_i32x4_u(b03, ai);
    w1 = i64x2.add(w1, v128.and(p, lowMask));
    h1 = i64x2.add(h1, i64x2.shr_u(p, 32));
    p = i64x2.extmul_low_i32x4_u(b47, ai);
    w2 = i64x2.add(w2, v128.and(p, lowMask));
    h2 = i64x2.add(h2, i64x2.shr_u(p, 32));
    p = i64x2.extmul_high_i32x4_u(b47, ai);
    w3 = i64x2.add(w3, v128.and(p, lowMask));
    h3 = i64x2.add(h3, i64x2.shr_u(p, 32));
    const ak = i32x4.splat(load<i32>(a + i, 4));
    p = i64x2.extmul_low_i32x4_u(b03, ak);
    h0 = i64x2.add(h0, v128.and(p, lowMask));
    w1 = i64x2.add(w1, i64x2.shr_u(p, 32));
    p = i64x2.extmul_high_i32x4_u(b03, ak);
    h1 = i64x2.add(h1, v128.and(p, lowMask));
    w2 = i64x2.add(w2, i64x2.shr_u(p, 32));
    p = i64x2.extmul_low_i32x4_u(b47, ak);
    h2 = i64x2.add(h2, v128.and(p, lowMask));
    w3 = i64x2.add(w3, i64x2.shr_u(p, 32));
    p = i64x2.extmul_high_i32x4_u(b47, ak);
    h3 = i64x2.add(h3, v128.and(p, lowMask));
    w4 = i64x2.add(w4, i64x2.shr_u(p, 32));
    // Columns i and i + 1 are complete: two reduction steps.
    let r = i64x2.extract_lane(w0, 0) + e0;
    let q = r & (<i64>MASK);
    e0 = e1 + (r >> 32);
    e1 = e2;
    e2 = e3 + q;
    e3 = e4;
    e4 = e5;
    e5 = e6 + q;
    e6 = e7 - q;
    e7 = q;
    r = i64x2.extract_lane(w0, 1) + i64x2.extract_lane(h0, 0) + e0;
    q = r & (<i64>MASK);
    e0 = e1 + (r >> 32);
    e1 = e2;
    e2 = e3 + q;
    e3 = e4;
    e4 = e5;
    e5 = e6 + q;
    e6 = e7 - q;
    e7 = q;
    // Slide the windows two columns up; h0's upper lane (column i + 2) joins w1's lower one.
    w0 = i64x2.add(w1, i64x2.shuffle(h0, zero, 1, 2));
    w1 = w2;
    w2 = w3;
    w3 = w4;
    w4 = zero;
    h0 = h1;
    h1 = h2;
    h2 = h3;
    h3 = zero;
  }
  let c: i64 = i64x2.extract_lane(w0, 0) + e0;
  const z0 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w0, 1) + i64x2.extract_lane(h0, 0) + e1;
  const z1 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w1, 0) + i64x2.extract_lane(h0, 1) + e2;
  const z2 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w1, 1) + i64x2.extract_lane(h1, 0) + e3;
  const z3 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w2, 0) + i64x2.extract_lane(h1, 1) + e4;
  const z4 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w2, 1) + i64x2.extract_lane(h2, 0) + e5;
  const z5 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w3, 0) + i64x2.extract_lane(h2, 1) + e6;
  const z6 = <u32>c;
  c >>= 32;
  c += i64x2.extract_lane(w3, 1) + e7;
  const z7 = <u32>c;
  c >>= 32;
  storeSubtractingP(out, c, z0, z1, z2, z3, z4, z5, z6, z7);
}
