// SPDX-License-Identifier: Apache-2.0
// The element types of a pairs map: text pairs (headers) and raw byte pairs (exact wire content).

/** One header (or metadata / map property) entry as text. Names from Envoy are lower-case. */
export class HeaderPair {
  constructor(
    public name: string,
    public value: string,
  ) {}
}

/** One entry with its exact bytes (header values may hold bytes that are not UTF-8). */
export class BytePair {
  constructor(
    public name: Uint8Array,
    public value: Uint8Array,
  ) {}
}
