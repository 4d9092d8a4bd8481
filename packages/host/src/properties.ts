// SPDX-License-Identifier: Apache-2.0
// proxy_get_property / proxy_set_property: Envoy attribute encodings, NUL-separated paths, plugin_* and request.* derived values.
import { Status } from "./enums.js";
import { encodePairs } from "./pairs.js";
import { utf8 } from "./memory.js";
import type { HttpStream } from "./stream.js";
import type { HeaderMap } from "./header_map.js";
import { connectionAttribute } from "./connection.js";
import { encodePropertyValue, parsePropertyPath } from "./property_value.js";
import type { GuestVm } from "./guest_vm.js";

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
      case "path":
        return str(h.get(":path"));
      case "url_path":
        return utf8(q < 0 ? rawPath : rawPath.slice(0, q));
      case "query":
        return utf8(q < 0 ? "" : rawPath.slice(q + 1));
      case "host":
        return str(h.get(":authority"));
      case "scheme":
        return str(h.get(":scheme"));
      case "method":
        return str(h.get(":method"));
      case "referer":
        return str(h.get("referer"));
      case "useragent":
        return str(h.get("user-agent"));
      case "id":
        return str(h.get("x-request-id"));
      default:
        return null;
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
      case "code_details":
        return stream.responseCodeDetails === null ? null : utf8(stream.responseCodeDetails);
      case "headers":
        return headersValue(h);
      case "trailers":
        return headersValue(stream.response.trailersVisible || stream.inLogPhase ? stream.response.trailers : null);
      case "grpc_status": {
        const g = stream.response.trailers?.get("grpc-status") ?? h?.get("grpc-status");
        return g === undefined ? null : encodePropertyValue(Number(g));
      }
      default:
        return null;
    }
  }
  return null;
}

/** What property calls use of their VM: stream or host properties and the plugin's names. */
export interface PropertyVm extends GuestVm {
  readonly core: {
    readonly properties: ReadonlyMap<string, Uint8Array>;
    readonly options: { readonly name: string; readonly rootId: string; readonly vmId: string };
  };
}

export function propertyImports(vm: PropertyVm) {
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
      case "plugin_name":
        return utf8(core.options.name);
      case "plugin_root_id":
        return utf8(core.options.rootId);
      case "plugin_vm_id":
        return utf8(core.options.vmId);
    }
    if (!stream) return null;
    const derived =
      streamAttribute(stream, path) ?? connectionAttribute(stream.connection, stream.upstreamAddress, path);
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
