// SPDX-License-Identifier: Apache-2.0
// Converting between node:http raw headers and the filter's header pairs, dropping hop-by-hop headers as Envoy does.
import type { HeaderMap } from "../index.js";
import { headerFromNode as fromWire, headerToNode as toWire } from "../header_text.js";

/** Connection-level headers: a proxy consumes them, the filter and the next hop never see them. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "http2-settings",
]);

/**
 * Pairs from node's `rawHeaders` (name, value, name, value…): names lower-cased, values as the
 * filter's strings (header_text's headerFromNode), order and repeats kept, hop-by-hop headers and those named in `Connection` removed, `skip` names removed too.
 */
export function pairsFromRaw(raw: string[], skip: readonly string[] = []): [string, string][] {
  const dropped = new Set([...HOP_BY_HOP, ...skip]);
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection") {
      for (const token of raw[i + 1]!.split(",")) dropped.add(token.trim().toLowerCase());
    }
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!dropped.has(name)) pairs.push([name, fromWire(raw[i + 1]!)]);
  }
  return pairs;
}

/**
 * Headers for node:http from a filter's map: pseudo-headers, hop-by-hop headers and `skip` left out,
 * repeated names as arrays (node then writes one line per value), values as wire bytes (toWire).
 */
export function nodeHeaders(map: HeaderMap, skip: readonly string[] = []): Record<string, string | string[]> {
  const out = headerRecord<string | string[]>();
  for (const [name, value] of map.pairs()) {
    if (name.startsWith(":") || HOP_BY_HOP.has(name) || skip.includes(name)) continue;
    const prev = out[name];
    const wire = toWire(value);
    out[name] = prev === undefined ? wire : Array.isArray(prev) ? [...prev, wire] : [prev, wire];
  }
  return out;
}

/** Trailers as a plain object for `addTrailers` (repeats joined, which trailers allow). */
export function trailerObject(map: HeaderMap): Record<string, string> {
  const out = headerRecord<string>();
  for (const [name, value] of map.pairs()) out[name] = name in out ? `${out[name]}, ${toWire(value)}` : toWire(value);
  return out;
}

/**
 * An object without a prototype, keyed by header name: a client's `constructor` or `__proto__`
 * header must be a plain entry, not Object.prototype's function or a prototype change.
 */
export function headerRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
