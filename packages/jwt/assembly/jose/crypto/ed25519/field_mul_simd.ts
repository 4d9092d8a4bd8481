// SPDX-License-Identifier: Apache-2.0
// The product columns of an Ed25519 field multiplication for SIMD builds (jwt-authn): one small
// loop instead of feMul's and feSquare's unrolled code; field.ts then carries them as before.
// Column k of f * g (k = 0..19) is the sum of f_i * g_(k-i); a product of two odd limbs counts
// twice (radix 2^25.5: their weights multiply to twice the column's weight). g is held as i32x4
// vectors, once as it is and once moved up one limb, and each i64x2.extmul makes the products of
// one row with two columns (an even one, then an odd one). A loop step takes an even row (against
// g as it is) and the odd row after it (against the moved copy, its factor doubled in the even
// lanes, where the other limb is odd), adding into the six column pairs w0..w5 from the row's own
// column up; after the step w0 is complete, and the windows move up a pair by renaming. Columns
// 10..19 wrap onto 0..9 times 19 (2^255 = 19 mod p). The bounds of field.ts's header hold: a
// doubled odd limb stays below 2^28, and every column is the one feMul sums in scalar code.

// @ts-ignore: decorator
@lazy const COLUMNS: usize = memory.data(160, 16);

/**
 * Writes the ten wrapped, uncarried columns of f * g as i64 and returns where they are (static
 * scratch, valid until the next call). g is read before anything is written.
 */
export function feMulColumns(f: usize, g: usize): usize {
  const g03 = v128.load(g);
  const g47 = v128.load(g, 16);
  const g8z = v128.load64_zero(g, 32); // g8, g9, 0, 0
  // The copy moved up one limb, read from memory (unaligned) with the limbs outside g set to 0.
  const s03 = i32x4.replace_lane(v128.load(g - 4), 0, 0); // 0, g0, g1, g2
  const s47 = v128.load(g, 12); // g3 .. g6
  const s8z = i32x4.replace_lane(v128.load(g, 28), 3, 0); // g7, g8, g9, 0
  let w0 = i64x2.splat(0),
    w1 = w0,
    w2 = w0,
    w3 = w0,
    w4 = w0;
  for (let i: usize = 0; i < 40; i += 8) {
    const a = i32x4.splat(load<i32>(f + i));
    const odd = load<i32>(f + i, 4);
    const b = i64x2.splat(((<i64>odd) << 32) | (<i64>(<u32>(odd << 1)))); // 2f, f, 2f, f
    v128.store(
      COLUMNS + (i << 1),
      i64x2.add(w0, i64x2.add(i64x2.extmul_low_i32x4_s(a, g03), i64x2.extmul_low_i32x4_s(b, s03))),
    );
    w0 = i64x2.add(w1, i64x2.add(i64x2.extmul_high_i32x4_s(a, g03), i64x2.extmul_high_i32x4_s(b, s03)));
    w1 = i64x2.add(w2, i64x2.add(i64x2.extmul_low_i32x4_s(a, g47), i64x2.extmul_low_i32x4_s(b, s47)));
    w2 = i64x2.add(w3, i64x2.add(i64x2.extmul_high_i32x4_s(a, g47), i64x2.extmul_high_i32x4_s(b, s47)));
    w3 = i64x2.add(w4, i64x2.add(i64x2.extmul_low_i32x4_s(a, g8z), i64x2.extmul_low_i32x4_s(b, s8z)));
    w4 = i64x2.extmul_high_i32x4_s(b, s8z);
  }
  // Columns 10..19 go after 0..9, then each pair is folded in, times 19.
  v128.store(COLUMNS, w0, 80);
  v128.store(COLUMNS, w1, 96);
  v128.store(COLUMNS, w2, 112);
  v128.store(COLUMNS, w3, 128);
  v128.store(COLUMNS, w4, 144);
  for (let c = COLUMNS; c < COLUMNS + 80; c += 16) {
    const w = v128.load(c, 80); // 19 w = 16 w + 2 w + w
    v128.store(c, i64x2.add(i64x2.add(v128.load(c), w), i64x2.add(i64x2.shl(w, 4), i64x2.shl(w, 1))));
  }
  return COLUMNS;
}
