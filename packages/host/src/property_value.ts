// SPDX-License-Identifier: Apache-2.0
// Property values as Envoy serializes them (`serializeValue`) and property paths (NUL-separated on the wire).
import { encodePairs } from "./pairs.js";
import { utf8, fromUtf8 } from "./memory.js";

/** A float to be encoded as an 8-byte double (plain JS numbers that are integers encode as int64). */
export class Double {
  constructor(readonly value: number) {}
}

export type PropertyValue =
  string | number | bigint | boolean | Uint8Array | Date | Double | PropertyValue[] | { [key: string]: PropertyValue };

/**
 * Envoy `serializeValue`: string/bytes raw, integers int64 LE, doubles 8 bytes, bools 1 byte,
 * timestamps int64 ns, maps as pairs of serialized values, lists as pairs with values in the key slot.
 */
export function encodePropertyValue(v: PropertyValue): Uint8Array {
  if (typeof v === "string") return utf8(v);
  if (v instanceof Uint8Array) return v.slice();
  if (typeof v === "boolean") return new Uint8Array([v ? 1 : 0]);
  if (typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v))) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigInt64(0, BigInt(v), true);
    return out;
  }
  if (typeof v === "number" || v instanceof Double) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setFloat64(0, typeof v === "number" ? v : v.value, true);
    return out;
  }
  if (v instanceof Date) return encodePropertyValue(BigInt(v.getTime()) * 1_000_000n);
  if (Array.isArray(v)) return encodePairs(v.map((item) => [encodePropertyValue(item), new Uint8Array(0)]));
  return encodePairs(Object.entries(v).map(([k, item]) => [k, encodePropertyValue(item)]));
}

/** Splits a wire path on NUL; a trailing NUL (old envoy-wasm form) is accepted. */
export function parsePropertyPath(bytes: Uint8Array): string[] {
  const parts = fromUtf8(bytes).split("\0");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Test-side path: an array of segments, or a dotted string ("request.path"). */
export function propertyKey(path: string | readonly string[]): string {
  return (typeof path === "string" ? path.split(".") : [...path]).join("\0");
}
