// SPDX-License-Identifier: Apache-2.0
// Properties (spec: "Properties"): host attributes such as request.path or plugin_root_id.
//
// A path is a list of segments sent NUL-joined without a trailing NUL (Rust/Go SDK form, accepted
// by every current Envoy). Values use Envoy's encodings: strings raw, integers 8 bytes little-endian,
// booleans 1 byte, timestamps/durations int64 nanoseconds, maps as pairs. Valid in any callback after
// _initialize; which names exist depends on the callback (request.* needs a stream). Unknown paths are
// NotFound (getters return null / the fallback; `lastStatus()` tells why). Host-specific: Envoy's
// names are not part of the ABI.
import { Status } from "../abi/enums";
import { fromHost, setLastStatus } from "../abi/status";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_get_property, proxy_set_property } from "../abi/imports";
import {
  clearOut, OUT_PTR, OUT_SIZE, takeOutBytes, takeOutString, borrowScratch, releaseScratch, maxUtf8Size, writeUtf8,
} from "../abi/memory";

function maxPathSize(path: string[]): usize {
  let size: usize = 0;
  for (let i = 0, n = path.length; i < n; i++) size += maxUtf8Size(unchecked(path[i])) + 1;
  return size;
}

/** Writes the NUL-joined path at `dst`; returns its length. */
function writePath(path: string[], dst: usize): usize {
  let pos: usize = 0;
  for (let i = 0, n = path.length; i < n; i++) {
    if (i > 0) store<u8>(dst + pos++, 0);
    pos += writeUtf8(unchecked(path[i]), dst + pos);
  }
  return pos;
}

/** Calls proxy_get_property; leaves the value in the out-params on Ok. */
function fetch(path: string[]): Status {
  if (initializing()) return refuseDuringInitialize("proxy_get_property");
  let buffer = borrowScratch(maxPathSize(path));
  let len = writePath(path, buffer);
  clearOut();
  let status = fromHost(proxy_get_property(buffer, len, OUT_PTR, OUT_SIZE));
  releaseScratch(buffer);
  return status;
}

/** Raw property bytes, or null. */
export function getProperty(path: string[]): Uint8Array | null {
  if (fetch(path) != Status.Ok) return null;
  return takeOutBytes();
}

/** A string property (UTF-8), or null. */
export function getPropertyString(path: string[]): string | null {
  if (fetch(path) != Status.Ok) return null;
  return takeOutString();
}

/**
 * An int64 property (8 bytes LE; also timestamps/durations in ns), or `fallback` if absent or not
 * 8 bytes (then `lastStatus()` is ParseFailure).
 */
export function getPropertyInt64(path: string[], fallback: i64 = 0): i64 {
  let bytes = getProperty(path);
  if (bytes === null) return fallback;
  if (bytes.byteLength != 8) {
    setLastStatus(Status.ParseFailure);
    return fallback;
  }
  return load<i64>(bytes.dataStart);
}

/** A bool property (1 byte), or `fallback` if absent or malformed (`lastStatus()` ParseFailure). */
export function getPropertyBool(path: string[], fallback: bool = false): bool {
  let bytes = getProperty(path);
  if (bytes === null) return fallback;
  if (bytes.byteLength != 1) {
    setLastStatus(Status.ParseFailure);
    return fallback;
  }
  return load<u8>(bytes.dataStart) != 0;
}

/** Sets a property (Envoy stores it as filter state `wasm.<path>`). */
export function setProperty(path: string[], value: Uint8Array): Status {
  if (initializing()) return refuseDuringInitialize("proxy_set_property");
  let buffer = borrowScratch(maxPathSize(path));
  let len = writePath(path, buffer);
  let status = fromHost(proxy_set_property(buffer, len, value.dataStart, <usize>value.byteLength));
  releaseScratch(buffer);
  return status;
}
