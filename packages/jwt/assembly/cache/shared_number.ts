// SPDX-License-Identifier: Apache-2.0
// Numbers this module writes into shared data (lease fields, fetch times) read back as i64.

/**
 * The decimal integer at the start of `text`: an optional '-' then digits, read until the first
 * non-digit; 0 when there is none. Only our own `toString()` output is stored under these keys, so
 * this needs none of `I64.parseInt`'s whitespace, '+' or radix-prefix handling, and keeping it local
 * drops the standard library's strtol (~370 bytes). Overflow wraps like strtol's, so a u64 written
 * with `toString()` reads back to the same bits.
 */
export function sharedI64(text: string): i64 {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) == 0x2d) {
    negative = true;
    i = 1;
  }
  let v: i64 = 0;
  for (; i < n; i++) {
    const d = <u32>text.charCodeAt(i) - 0x30;
    if (d > 9) break;
    v = v * 10 + <i64>d;
  }
  return negative ? -v : v;
}

/**
 * `v` in decimal, as `toString()` writes it. Local because every i64/u64 written as text in this
 * module is written here (shared-data values and log lines), so I64#toString and its digit-count
 * tables (~300 bytes) are not compiled.
 */
export function decimalText(v: i64): string {
  return v < 0 ? "-" + unsignedText(<u64>-v) : unsignedText(<u64>v);
}

/** `v` in decimal, unsigned, as `toString()` writes a u64. */
export function unsignedText(v: u64): string {
  const digits = new StaticArray<u16>(20); // u64.MAX_VALUE has 20 digits
  let i = 20;
  do {
    unchecked((digits[--i] = <u16>(0x30 + <u32>(v % 10))));
    v /= 10;
  } while (v != 0);
  return String.UTF16.decodeUnsafe(changetype<usize>(digits) + ((<usize>i) << 1), (<usize>(20 - i)) << 1);
}
