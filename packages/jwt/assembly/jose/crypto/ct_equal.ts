// SPDX-License-Identifier: Apache-2.0
// Byte comparison whose running time does not depend on where (or whether) the inputs differ.

/**
 * True when `a` and `b` hold the same bytes. Lengths are public (a JWS tag length is fixed by the
 * algorithm), so a length mismatch returns early; equal-length inputs are always read in full.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): bool {
  const n = a.length;
  if (n != b.length) return false;
  return constantTimeEqualUnsafe(a.dataStart, b.dataStart, n);
}

/** As `constantTimeEqual` over `n` readable bytes at `a` and `b`. */
export function constantTimeEqualUnsafe(a: usize, b: usize, n: i32): bool {
  let diff: u32 = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const x = load<u64>(a + <usize>i) ^ load<u64>(b + <usize>i);
    diff |= <u32>(x | (x >>> 32));
  }
  for (; i < n; i++) diff |= <u32>(load<u8>(a + <usize>i) ^ load<u8>(b + <usize>i));
  return diff == 0;
}
