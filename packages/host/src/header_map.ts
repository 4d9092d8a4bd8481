// SPDX-License-Identifier: Apache-2.0
// Envoy-like header map: an ordered multimap with lower-cased keys, first-value get and byte-size accounting.
import type { Pair } from "./pairs.js";
import { encodeHeaderValue } from "./header_text.js";

export type HeadersInit = HeaderMap | Record<string, string | string[]> | readonly (readonly [string, string])[];

export class HeaderMap {
  private entries: Pair[] = [];

  constructor(init?: HeadersInit) {
    if (!init) return;
    if (init instanceof HeaderMap) {
      this.entries = init.pairs();
    } else if (Array.isArray(init)) {
      for (const [k, v] of init as readonly (readonly [string, string])[]) this.add(k, v);
    } else {
      for (const [k, v] of Object.entries(init as Record<string, string | string[]>)) {
        for (const one of Array.isArray(v) ? v : [v]) this.add(k, one);
      }
    }
  }

  /** First value for `key` (Envoy's `proxy_get_header_map_value` semantics). */
  get(key: string): string | undefined {
    const k = key.toLowerCase();
    return this.entries.find((e) => e[0] === k)?.[1];
  }

  getAll(key: string): string[] {
    const k = key.toLowerCase();
    return this.entries.filter((e) => e[0] === k).map((e) => e[1]);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Appends a value (Envoy `addCopy`); keys are lower-cased like Envoy's `LowerCaseString`.
   * Pseudo-headers go after the existing pseudo-headers: Envoy keeps them in front of the others.
   */
  add(key: string, value: string): void {
    const k = key.toLowerCase();
    if (!k.startsWith(":")) {
      this.entries.push([k, value]);
      return;
    }
    let at = 0;
    while (at < this.entries.length && this.entries[at]![0].startsWith(":")) at++;
    this.entries.splice(at, 0, [k, value]);
  }

  /** Replaces the first occurrence and drops the others, or appends when absent (Envoy `setCopy`). */
  set(key: string, value: string): void {
    const k = key.toLowerCase();
    const first = this.entries.findIndex((e) => e[0] === k);
    if (first < 0) {
      this.add(k, value);
      return;
    }
    this.entries[first] = [k, value];
    this.entries = this.entries.filter((e, i) => i <= first || e[0] !== k);
  }

  remove(key: string): void {
    const k = key.toLowerCase();
    this.entries = this.entries.filter((e) => e[0] !== k);
  }

  /** Replaces the whole map (`proxy_set_header_map_pairs`). */
  replaceAll(pairs: readonly Pair[]): void {
    this.entries = [];
    for (const [k, v] of pairs) this.add(k, v);
  }

  /** Number of entries. */
  get count(): number {
    return this.entries.length;
  }

  /** Sum of key and value lengths in bytes: what Envoy's `byteSize()` returns for `proxy_get_header_map_size`. */
  get byteSize(): number {
    let n = 0;
    for (const [k, v] of this.entries) n += encodeHeaderValue(k).length + encodeHeaderValue(v).length;
    return n;
  }

  pairs(): Pair[] {
    return this.entries.map(([k, v]) => [k, v]);
  }

  /** Plain object; repeated headers are joined with "," as an HTTP client would see them. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.entries) out[k] = k in out ? `${out[k]},${v}` : v;
    return out;
  }

  clone(): HeaderMap {
    return new HeaderMap(this);
  }
}
