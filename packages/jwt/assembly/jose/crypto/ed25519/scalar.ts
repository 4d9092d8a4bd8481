// SPDX-License-Identifier: Apache-2.0
// Scalars modulo the group order L = 2^252 + 27742317777372353535851937790883648493: the S < L
// check, reduction of a 64-byte hash mod L, and the width-w non-adjacent form used by the
// variable-time multi-scalar multiplication. Scalars are 32-byte little-endian at a pointer.

// L, little-endian.
// @ts-ignore: decorator
@lazy const ORDER: usize = memory.data<u8>([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
]);

/** True when the 32-byte little-endian integer at s is below L (RFC 8032 §5.1.7 step 1). */
export function scalarIsCanonical(s: usize): bool {
  for (let i = 31; i >= 0; i--) {
    const a = load<u8>(s + <usize>i),
      b = load<u8>(ORDER + <usize>i);
    if (a != b) return a < b;
  }
  return false; // equal to L
}

// 24 limbs of 21 bits for the reduction, and the input copied with zero padding so that 8-byte
// loads near its end stay inside.
// @ts-ignore: decorator
@lazy const LIMBS: usize = memory.data(24 * 8, 8);
// @ts-ignore: decorator
@lazy const PADDED: usize = memory.data(72, 8);

const MASK21: i64 = (1 << 21) - 1;

// 2^252 = -(L - 2^252) mod L; that negated constant in signed base-2^21 digits.
// s[i] * 2^(21 i) is replaced by s[i] * 2^(21 (i - 12)) * (those digits). A function, not
// inlined: scalarReduce64 calls it from three loops, once per verify.
function fold(s: usize, i: i32): void {
  const p = s + ((<usize>i) << 3);
  const v = load<i64>(p);
  if (v == 0) return;
  const q = p - 12 * 8;
  store<i64>(q, load<i64>(q) + v * 666643);
  store<i64>(q, load<i64>(q, 8) + v * 470296, 8);
  store<i64>(q, load<i64>(q, 16) + v * 654183, 16);
  store<i64>(q, load<i64>(q, 24) - v * 997805, 24);
  store<i64>(q, load<i64>(q, 32) + v * 136657, 32);
  store<i64>(q, load<i64>(q, 40) - v * 683901, 40);
  store<i64>(p, 0);
}

/** Floor-carries limbs from..to (inclusive) of s each into the next one. */
function carry(s: usize, from: i32, to: i32): void {
  for (let i = from; i <= to; i++) {
    const p = s + ((<usize>i) << 3);
    const v = load<i64>(p);
    store<i64>(p, v & MASK21);
    store<i64>(p, load<i64>(p, 8) + (v >> 21), 8);
  }
}

/**
 * out = the 64-byte little-endian integer at h, mod L (fully reduced, 32 bytes). Used for
 * k = SHA-512(R || A || M) mod L. Limb sizes stay far below 2^63 at every step (see the bounds in
 * the comments).
 */
export function scalarReduce64(out: usize, h: usize): void {
  const s = LIMBS,
    b = PADDED;
  memory.copy(b, h, 64);
  memory.fill(b + 64, 0, 8);
  for (let i = 0; i < 24; i++) {
    const bit = i * 21;
    store<i64>(s + ((<usize>i) << 3), (<i64>(load<u64>(b + <usize>(bit >> 3)) >> (<u64>(bit & 7)))) & MASK21);
  }
  // The top limb holds bits 483..511 (29 bits), not 21.
  store<i64>(s + 23 * 8, <i64>(load<u64>(b + 60) >> 3));
  // Limbs 23..18 folded down (products < 2^49, sums < 2^52), limbs 6..16 carried into 17.
  for (let i = 23; i >= 18; i--) fold(s, i);
  carry(s, 6, 16);
  // Limbs 17..12 folded (limb 17 < 2^32: sums < 2^55), limbs 0..11 carried into 12.
  for (let i = 17; i >= 12; i--) fold(s, i);
  carry(s, 0, 11);
  // Now value = lo + s12 * 2^252 with lo in [0, 2^252) and |s12| < 2^36. Folding s12 changes the
  // value by -s12 (L - 2^252), |that| < 2^161: s12 >= 2 leads to s12 in {-1, 0}, s12 < 0 to
  // {0, 1}. So at most two more folds leave s12 in {0, 1}: a value in [0, 2^253), below 2L.
  const top = s + 12 * 8;
  for (let round = 0; round < 3; round++) {
    const v = load<i64>(top);
    if (v == 0 || v == 1) break;
    fold(s, 12);
    carry(s, 0, 11);
  }
  // Pack 13 limbs of 21 bits (the last one 0 or 1) into 32 bytes.
  let acc: u64 = 0;
  let bits: i32 = 0;
  let o: usize = 0;
  for (let i = 0; i < 13; i++) {
    acc |= (<u64>load<i64>(s + ((<usize>i) << 3))) << <u64>bits;
    bits += 21;
    while (bits >= 8 && o < 32) {
      store<u8>(out + o, <u8>acc);
      acc >>= 8;
      bits -= 8;
      o++;
    }
  }
  while (o < 32) {
    store<u8>(out + o, <u8>acc);
    acc >>= 8;
    o++;
  }
  if (!scalarIsCanonical(out)) subtractOrder(out);
}

/** s -= L, for a 32-byte s in [L, 2L). */
function subtractOrder(s: usize): void {
  let borrow: i32 = 0;
  for (let i: usize = 0; i < 32; i++) {
    const d = <i32>load<u8>(s + i) - <i32>load<u8>(ORDER + i) - borrow;
    store<u8>(s + i, <u8>d);
    borrow = d < 0 ? 1 : 0;
  }
}

/**
 * Width-w NAF of the scalar at s (below 2^253): writes 256 signed digits (i8) at out such that
 * scalar = sum digit[i] 2^i, every non-zero digit odd with |digit| < 2^(w-1), and at least w - 1
 * zeros after each non-zero digit. 2 <= w <= 8. Returns the highest non-zero position, or -1.
 */
export function scalarToNaf(out: usize, s: usize, w: i32): i32 {
  const b = PADDED;
  memory.copy(b, s, 32);
  memory.fill(b + 32, 0, 16);
  memory.fill(out, 0, 256);
  const windowMask: u64 = ((<u64>1) << <u64>w) - 1;
  const half: i64 = (<i64>1) << (w - 1);
  let carryBit: i64 = 0;
  let top: i32 = -1;
  let pos: i32 = 0;
  while (pos < 256) {
    const window = <i64>((load<u64>(b + <usize>(pos >> 3)) >> (<u64>(pos & 7))) & windowMask);
    // An even value at this position (bit + carry is 0 or 2) gives digit 0; the carry moves on.
    if (((window & 1) ^ carryBit) == 0) {
      pos++;
      continue;
    }
    let digit = window + carryBit;
    if (digit >= half) {
      digit -= half << 1;
      carryBit = 1;
    } else {
      carryBit = 0;
    }
    store<i8>(out + <usize>pos, <i8>digit);
    top = pos;
    pos += w;
  }
  return top;
}
