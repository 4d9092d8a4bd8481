// SPDX-License-Identifier: Apache-2.0
// The proxy-wasm "pairs" wire format (header maps, local-reply headers, callout headers) with cpp-host's strict parser rules.

/** cpp-host `PROXY_WASM_HOST_PAIRS_MAX_COUNT`. */
export const PAIRS_MAX_COUNT = 1024;
/** cpp-host `PROXY_WASM_HOST_PAIRS_MAX_BYTES` (1 MiB). */
export const PAIRS_MAX_BYTES = 1024 * 1024;

export type Pair = [string, string];

import { decodeHeaderValue, encodeHeaderValue } from "./header_text.js";

/** Serializes pairs: u32 count, count × (u32 key len, u32 value len), then each key and value NUL-terminated. */
export function encodePairs(pairs: readonly (readonly [string | Uint8Array, string | Uint8Array])[]): Uint8Array {
  if (pairs.length === 0) return new Uint8Array(0);
  const raw = pairs.map(([k, v]) => [
    typeof k === "string" ? encodeHeaderValue(k) : k,
    typeof v === "string" ? encodeHeaderValue(v) : v,
  ]);
  let size = 4 + 8 * raw.length;
  for (const [k, v] of raw) size += k!.length + 1 + v!.length + 1;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, raw.length, true);
  let at = 4;
  for (const [k, v] of raw) {
    view.setUint32(at, k!.length, true);
    view.setUint32(at + 4, v!.length, true);
    at += 8;
  }
  for (const [k, v] of raw) {
    out.set(k!, at);
    at += k!.length + 1;
    out.set(v!, at);
    at += v!.length + 1;
  }
  return out;
}

/**
 * Parses pairs like cpp-host's `PairsUtil::toPairs`: returns null (the caller treats it as an empty
 * map) when the buffer is shorter than 4 bytes, larger than 1 MiB, declares more than 1024 pairs,
 * a string is not NUL-terminated, or bytes are left over.
 */
export function decodePairsBytes(bytes: Uint8Array): [Uint8Array, Uint8Array][] | null {
  if (bytes.length < 4 || bytes.length > PAIRS_MAX_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  if (count > PAIRS_MAX_COUNT) return null;
  let at = 4;
  if (bytes.length - at < count * 8) return null;
  const sizes: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    sizes.push([view.getUint32(at, true), view.getUint32(at + 4, true)]);
    at += 8;
  }
  const out: [Uint8Array, Uint8Array][] = [];
  const take = (len: number): Uint8Array | null => {
    if (len > bytes.length - at - 1 || bytes[at + len] !== 0) return null;
    const s = bytes.subarray(at, at + len);
    at += len + 1;
    return s;
  };
  for (const [kl, vl] of sizes) {
    const k = take(kl);
    if (!k) return null;
    const v = take(vl);
    if (!v) return null;
    out.push([k, v]);
  }
  if (at !== bytes.length) return null;
  return out;
}

/** decodePairsBytes as strings: UTF-8, with bytes that are not UTF-8 kept (see header_text.ts). */
export function decodePairs(bytes: Uint8Array): Pair[] | null {
  const raw = decodePairsBytes(bytes);
  return raw ? raw.map(([k, v]) => [decodeHeaderValue(k), decodeHeaderValue(v)]) : null;
}
