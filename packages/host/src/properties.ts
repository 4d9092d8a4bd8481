// SPDX-License-Identifier: Apache-2.0
// proxy_get_property / proxy_set_property: Envoy attribute encodings, NUL-separated paths, plugin_* and request.* derived values.
import { Status } from "./enums.js";
import { encodePairs } from "./pairs.js";
import { utf8, fromUtf8 } from "./memory.js";
import type { Vm } from "./vm.js";
import type { HttpStream } from "./stream.js";
import type { HeaderMap } from "./header_map.js";
import { connectionAttribute } from "./connection.js";

/** A float to be encoded as an 8-byte double (plain JS numbers that are integers encode as int64). */
export class Double {
  constructor(readonly value: number) {}
}

export type PropertyValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | Date
  | Double
  | PropertyValue[]
  | { [key: string]: PropertyValue };

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

/**
 * A header map as Envoy's CEL map serializes it: one entry per name, repeated values joined with ","
 * (differential row properties). A map the filter does not hold reads as an empty map, not absent.
 */
function headersValue(m: HeaderMap | null): Uint8Array {
  const joined = new Map<string, string>();
  for (const [k, v] of m?.pairs() ?? []) joined.set(k, joined.has(k) ? `${joined.get(k)},${v}` : v);
  // An empty map is a pairs buffer with a count of 0 (4 bytes), as Envoy serializes it.
  return joined.size === 0 ? new Uint8Array(4) : encodePairs([...joined]);
}

/** `request.*` / `response.*` attributes derived from the stream like Envoy's CEL activation. */
function streamAttribute(stream: HttpStream, path: string[]): Uint8Array | null {
  const [top, name] = path;
  if (path.length !== 2) return null;
  if (top === "request") {
    // Envoy's CEL activation sees the request headers only while the filter holds them (or in on_log).
    const h = stream.request.headersVisible || stream.inLogPhase ? stream.request.headers : null;
    if (name === "protocol") return utf8(stream.protocol);
    if (name === "time") return encodePropertyValue(stream.startTimeNs);
    if (name === "headers") return headersValue(h);
    const bodySize = stream.request.receivedBytes;
    if (name === "total_size") return encodePropertyValue((stream.request.headers?.byteSize ?? 0) + bodySize);
    if (name === "size") {
      const length = stream.request.headers?.get("content-length");
      return encodePropertyValue(length !== undefined && /^\d+$/.test(length) ? Number(length) : bodySize);
    }
    if (!h) return null;
    const rawPath = h.get(":path") ?? "";
    const q = rawPath.indexOf("?");
    const str = (v: string | undefined) => (v === undefined ? null : utf8(v));
    switch (name) {
      case "path": return str(h.get(":path"));
      case "url_path": return utf8(q < 0 ? rawPath : rawPath.slice(0, q));
      case "query": return utf8(q < 0 ? "" : rawPath.slice(q + 1));
      case "host": return str(h.get(":authority"));
      case "scheme": return str(h.get(":scheme"));
      case "method": return str(h.get(":method"));
      case "referer": return str(h.get("referer"));
      case "useragent": return str(h.get("user-agent"));
      case "id": return str(h.get("x-request-id"));
      default: return null;
    }
  }
  if (top === "response") {
    const visible = stream.response.headersVisible || stream.inLogPhase;
    const h = visible ? stream.response.headers : null;
    switch (name) {
      case "code": {
        // From stream info: known once response headers exist, whether or not the filter holds them.
        const s = stream.response.headers?.get(":status");
        return s === undefined ? null : encodePropertyValue(Number(s));
      }
      case "code_details": return stream.responseCodeDetails === null ? null : utf8(stream.responseCodeDetails);
      case "headers": return headersValue(h);
      case "trailers": return headersValue(stream.response.trailersVisible || stream.inLogPhase ? stream.response.trailers : null);
      case "grpc_status": {
        const g = stream.response.trailers?.get("grpc-status") ?? h?.get("grpc-status");
        return g === undefined ? null : encodePropertyValue(Number(g));
      }
      default: return null;
    }
  }
  return null;
}

export function propertyImports(vm: Vm) {
  const core = vm.core;
  const streamOf = () => {
    const ctx = vm.context();
    return ctx && ctx.kind === "stream" ? ctx.stream : null;
  };
  const lookup = (path: string[]): Uint8Array | null => {
    const key = path.join("\0");
    const stream = streamOf();
    const fromStream = stream?.properties.get(key);
    if (fromStream) return fromStream;
    const fromHost = core.properties.get(key);
    if (fromHost) return fromHost;
    switch (key) {
      case "plugin_name": return utf8(core.options.name);
      case "plugin_root_id": return utf8(core.options.rootId);
      case "plugin_vm_id": return utf8(core.options.vmId);
    }
    if (!stream) return null;
    const derived = streamAttribute(stream, path) ?? connectionAttribute(stream.connection, stream.upstreamAddress, path);
    if (derived) return derived;
    // Unknown names fall back to filter state written by proxy_set_property ("wasm.<path>").
    return stream.filterState.get(`wasm.${key}`) ?? null;
  };
  return {
    proxy_get_property(pathPtr: number, pathSize: number, outPtrPtr: number, outSizePtr: number): number {
      const raw = vm.mem.read(pathPtr, pathSize);
      if (raw === null) return Status.InvalidMemoryAccess;
      const value = lookup(parsePropertyPath(raw));
      if (value === null) return Status.NotFound;
      return vm.copyOut(value, outPtrPtr, outSizePtr);
    },
    /** Envoy writes filter state `wasm.<path>` on the stream; the root context has none (NOT_FOUND). */
    proxy_set_property(pathPtr: number, pathSize: number, valPtr: number, valSize: number): number {
      const raw = vm.mem.read(pathPtr, pathSize);
      const value = vm.mem.read(valPtr, valSize);
      if (raw === null || value === null) return Status.InvalidMemoryAccess;
      const stream = streamOf();
      if (!stream) return Status.NotFound;
      stream.filterState.set(`wasm.${parsePropertyPath(raw).join("\0")}`, value);
      return Status.Ok;
    },
  };
}
