// SPDX-License-Identifier: Apache-2.0
// ASCII for protocol tokens: case folding (header names, auth schemes, Cache-Control directives) and
// the bytes of a compact JWS given as a string.

// HTTP compares these case-insensitively in ASCII only (RFC 9110 §5.1, §11.1), and String#toLowerCase
// would also link AssemblyScript's Unicode case tables (~4 KB of code and data) for no benefit.

// @ts-ignore: decorator
@inline export function asciiLowerChar(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** `s` with A-Z mapped to a-z and every other code unit kept; `s` itself when nothing changes. */
export function asciiLowerCase(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n && asciiLowerChar(s.charCodeAt(i)) == s.charCodeAt(i)) i++;
  if (i == n) return s;
  const out = changetype<string>(__new((<usize>n) << 1, idof<string>()));
  const src = changetype<usize>(s);
  const dst = changetype<usize>(out);
  memory.copy(dst, src, (<usize>i) << 1);
  for (; i < n; i++) {
    store<u16>(dst + ((<usize>i) << 1), <u16>asciiLowerChar(<i32>load<u16>(src + ((<usize>i) << 1))));
  }
  return out;
}

/** Whether `value` starts with `prefix`, A-Z and a-z being the same letter (and nothing else folded). */
export function asciiStartsWithFold(value: string, prefix: string): bool {
  const n = prefix.length;
  if (value.length < n) return false;
  for (let i = 0; i < n; i++) {
    if (asciiLowerChar(value.charCodeAt(i)) != asciiLowerChar(prefix.charCodeAt(i))) return false;
  }
  return true;
}

/** The bytes of an ASCII string, or null when any unit is ≥ 0x80 (a compact JWS is pure ASCII). */
export function asciiBytes(text: string): Uint8Array | null {
  const len = text.length;
  const bytes = new Uint8Array(len);
  const src = changetype<usize>(text);
  const dst = bytes.dataStart;
  for (let i = 0; i < len; i++) {
    const c = load<u16>(src + ((<usize>i) << 1));
    if (c >= 0x80) return null;
    store<u8>(dst + <usize>i, <u8>c);
  }
  return bytes;
}
