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
