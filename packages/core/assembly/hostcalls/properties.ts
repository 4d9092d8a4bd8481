// SPDX-License-Identifier: Apache-2.0
// Properties (spec: "Properties"): host attributes such as request.path or plugin_root_id.
//
// A path is a list of segments sent NUL-joined without a trailing NUL (Rust/Go SDK form, accepted
// by every current Envoy). Values use Envoy's encodings: strings raw, integers 8 bytes little-endian,
// booleans 1 byte, timestamps/durations int64 nanoseconds, maps as pairs. Valid in any callback after
// _initialize; which names exist depends on the callback (request.* needs a stream). Unknown paths are
// NotFound; a value of the wrong size for its getter is ParseFailure. Host-specific: Envoy's names
// are not part of the ABI. Each getter owns one Result (../abi/result.ts).
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_get_property, proxy_set_property } from "../abi/imports";
import {
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  takeOutBytes,
  takeOutString,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
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

// @ts-ignore: decorator
@lazy const bytesResult = new Result<Uint8Array>(Status.NotFound, new Uint8Array(0));
// @ts-ignore: decorator
@lazy const textResult = new Result<string>(Status.NotFound, "");
// @ts-ignore: decorator
@lazy const intResult = new Result<i64>(Status.NotFound, 0);
// @ts-ignore: decorator
@lazy const boolResult = new Result<bool>(Status.NotFound, false);

/** Raw property bytes. */
export function getProperty(path: string[]): Result<Uint8Array> {
  let status = fetch(path);
  return bytesResult.fill(status, status == Status.Ok ? takeOutBytes() : new Uint8Array(0));
}

/** A string property (UTF-8). */
export function getPropertyString(path: string[]): Result<string> {
  let status = fetch(path);
  return textResult.fill(status, status == Status.Ok ? takeOutString() : "");
}

/** An int64 property (8 bytes LE; also timestamps/durations in ns); ParseFailure if not 8 bytes. */
export function getPropertyInt64(path: string[]): Result<i64> {
  let status = fetch(path);
  if (status != Status.Ok) return intResult.fill(status, 0);
  let bytes = takeOutBytes();
  if (bytes.byteLength != 8) return intResult.fill(Status.ParseFailure, 0);
  return intResult.fill(status, load<i64>(bytes.dataStart));
}

/** A bool property (1 byte); ParseFailure if not 1 byte. */
export function getPropertyBool(path: string[]): Result<bool> {
  let status = fetch(path);
  if (status != Status.Ok) return boolResult.fill(status, false);
  let bytes = takeOutBytes();
  if (bytes.byteLength != 1) return boolResult.fill(Status.ParseFailure, false);
  return boolResult.fill(status, load<u8>(bytes.dataStart) != 0);
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
