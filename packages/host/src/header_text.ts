// SPDX-License-Identifier: Apache-2.0
// Header names and values as JS strings without losing bytes. Envoy passes header bytes through as
// they are, UTF-8 or not, so the host must too. Valid UTF-8 decodes to the usual string; each byte
// of an invalid sequence becomes the lone surrogate U+DC00 + byte (the "surrogateescape" idea), and
// encoding turns those surrogates back into the bytes. A string from a test ("é") still encodes as
// UTF-8; "\udcff" stands for the raw byte 0xFF.
import { concatBytes } from "./memory.js";

const fatal = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = bytes[i + 1]!;
    if ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f)) return 0; // overlong, surrogates
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = bytes[i + 1]!;
    if ((b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

/** Bytes from the guest (or the wire) as a string; bytes that are not UTF-8 become U+DC80..U+DCFF. */
export function decodeHeaderValue(bytes: Uint8Array): string {
  try {
    return fatal.decode(bytes);
  } catch {
    // Runs of valid sequences are decoded whole (one decode per run, not per character: a guest may
    // hand over a large value).
    let out = "";
    let i = 0;
    let run = 0;
    while (i < bytes.length) {
      const n = sequenceLength(bytes, i);
      if (n === 0) {
        out += fatal.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + bytes[i]!);
        i += 1;
        run = i;
      } else {
        i += n;
      }
    }
    return out + fatal.decode(bytes.subarray(run));
  }
}

/** The bytes a header string stands for: UTF-8, with U+DC80..U+DCFF turned back into single bytes. */
export function encodeHeaderValue(text: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(text)) return encoder.encode(text);
  // Chunks, not a spread into one number array (a large value would overflow the call stack).
  const parts: Uint8Array[] = [];
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lone =
      c >= 0xdc80 && c <= 0xdcff && !(i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff);
    if (lone) {
      parts.push(encoder.encode(text.slice(run, i)), Uint8Array.of(c - 0xdc00));
      run = i + 1;
    }
  }
  parts.push(encoder.encode(text.slice(run)));
  return concatBytes(parts);
}

/**
 * node:http hands header values over as latin1 strings (one char per byte) and writes them back the
 * same way. These convert between that form and the strings above, so bytes that are not UTF-8 pass
 * through node unchanged, as through Envoy.
 */
export const headerFromNode = (value: string): string => decodeHeaderValue(Buffer.from(value, "latin1"));
export const headerToNode = (value: string): string => Buffer.from(encodeHeaderValue(value)).toString("latin1");
