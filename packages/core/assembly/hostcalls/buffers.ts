// SPDX-License-Identifier: Apache-2.0
// Buffers (spec: "Buffers"): bodies, callout reply body, configurations, foreign-function args.
//
// Valid: request body in onRequestBody (and later request callbacks while buffered), response body
// in onResponseBody, callout body only in the callout callback, VM configuration in onVmStart,
// plugin configuration in onConfigure, foreign-function arguments in onForeignFunction.
// Outside its callback a body is simply empty: current Envoy hands out an empty buffer there (reads
// Ok with 0 bytes, writes BadArgument); older Envoy answered NotFound for the response body, so
// treat NotFound and an empty body alike (`value` is empty in both cases). A buffer that does not
// exist (callout body outside its callback, plugin configuration outside onConfigure) is NotFound,
// an unknown type BadArgument.
//
// Writing (current Envoy, Buffer::copyFrom semantics): start 0 drains `size` bytes then prepends
// the data (so (0, 0) prepends and (0, length) replaces); start >= current length appends; anything
// else is BadArgument, and configurations / callout bodies are read-only (BadArgument).
//
// Results (../abi/result.ts): the size read refills one shared Result; the bytes and text reads make
// a fresh one each, because a shared Result would keep the last body read (a callout reply or body
// of up to MiBs) alive until the next read, doubling the memory a VM settles at.
import { Status, BufferType } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { proxy_get_buffer_status, proxy_get_buffer_bytes, proxy_set_buffer_bytes } from "../abi/imports";
import { clearOut, OUT_PTR, OUT_SIZE, OUT_WORD, outSize, takeOutBytes, takeOutString } from "../abi/memory";

/** Largest length the ABI can express: asks the host for "everything from start". */
// @ts-ignore: decorator
@inline export const WHOLE_BUFFER: u32 = 0xffffffff;

// @ts-ignore: decorator
@lazy const sizeResult = new Result<u32>(Status.NotFound, 0);

/** Current size of a buffer in bytes (0 unless Ok). */
export function getBufferSize(bufferType: BufferType): Result<u32> {
  clearOut();
  let status = fromHost(proxy_get_buffer_status(bufferType, OUT_SIZE, OUT_WORD));
  return sizeResult.fill(status, status == Status.Ok ? <u32>outSize() : 0);
}

/** Up to `maxSize` bytes from `start` (the host clamps to the buffer). */
export function getBufferBytes(
  bufferType: BufferType,
  start: u32 = 0,
  maxSize: u32 = WHOLE_BUFFER,
): Result<Uint8Array> {
  clearOut();
  let status = fromHost(proxy_get_buffer_bytes(bufferType, start, maxSize, OUT_PTR, OUT_SIZE));
  return new Result<Uint8Array>(status, status == Status.Ok ? takeOutBytes() : new Uint8Array(0));
}

/** Like `getBufferBytes`, decoded as UTF-8. */
export function getBufferText(bufferType: BufferType, start: u32 = 0, maxSize: u32 = WHOLE_BUFFER): Result<string> {
  clearOut();
  let status = fromHost(proxy_get_buffer_bytes(bufferType, start, maxSize, OUT_PTR, OUT_SIZE));
  return new Result<string>(status, status == Status.Ok ? takeOutString() : "");
}

/** Raw write with the host's (start, size) semantics described above. */
export function setBufferBytes(bufferType: BufferType, start: u32, size: u32, data: Uint8Array): Status {
  return fromHost(proxy_set_buffer_bytes(bufferType, start, size, data.dataStart, <usize>data.byteLength));
}

/** Replaces the whole buffer content with `data`. */
export function replaceBuffer(bufferType: BufferType, data: Uint8Array): Status {
  let size = getBufferSize(bufferType);
  if (!size.ok) return size.status; // NotFound or BadArgument, as the host said
  return setBufferBytes(bufferType, 0, size.value, data);
}

/** Appends `data` to the buffer. */
export function appendBuffer(bufferType: BufferType, data: Uint8Array): Status {
  let size = getBufferSize(bufferType);
  if (!size.ok) return size.status; // NotFound or BadArgument, as the host said
  return setBufferBytes(bufferType, size.value, 0, data);
}

/** Inserts `data` before the current content. */
export function prependBuffer(bufferType: BufferType, data: Uint8Array): Status {
  return setBufferBytes(bufferType, 0, 0, data);
}

// ---- Bodies (the body seen so far by onRequestBody/onResponseBody; `bodySize` = buffered bytes) ----

/** The buffered request body (valid in onRequestBody; empty elsewhere). */
export function getRequestBody(): Result<Uint8Array> {
  return getBufferBytes(BufferType.HttpRequestBody);
}
/** The buffered response body (valid in onResponseBody; empty elsewhere). */
export function getResponseBody(): Result<Uint8Array> {
  return getBufferBytes(BufferType.HttpResponseBody);
}
/** Replaces the buffered request body. */
export function setRequestBody(data: Uint8Array): Status {
  return replaceBuffer(BufferType.HttpRequestBody, data);
}
/** Replaces the buffered response body. */
export function setResponseBody(data: Uint8Array): Status {
  return replaceBuffer(BufferType.HttpResponseBody, data);
}

// ---- Configurations (read-only) ----

/** VM configuration (Envoy `vm_config.configuration`): valid in onVmStart. */
export function getVmConfiguration(): Result<Uint8Array> {
  return getBufferBytes(BufferType.VmConfiguration);
}

/** Plugin configuration (Envoy `configuration`, Istio `pluginConfig` as JSON): valid in onConfigure. */
export function getPluginConfiguration(): Result<Uint8Array> {
  return getBufferBytes(BufferType.PluginConfiguration);
}

/** Plugin configuration as UTF-8 text. */
export function getPluginConfigurationText(): Result<string> {
  return getBufferText(BufferType.PluginConfiguration);
}

/** Arguments of a foreign function the host called on the plugin: valid in onForeignFunction. */
export function getForeignFunctionArguments(): Result<Uint8Array> {
  return getBufferBytes(BufferType.ForeignFunctionArguments);
}
