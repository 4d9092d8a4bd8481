// SPDX-License-Identifier: Apache-2.0
// Buffers (spec: "Buffers"): bodies, callout reply body, configurations, foreign-function args.
//
// Valid: request body in onRequestBody (and later request callbacks while buffered), response body
// in onResponseBody, callout body only in the callout callback, VM configuration in onVmStart,
// plugin configuration in onConfigure, foreign-function arguments in onForeignFunction.
// Outside its callback a body is simply empty: current Envoy hands out an empty buffer there (reads
// Ok with 0 bytes, writes BadArgument); older Envoy answered NotFound for the response body, so treat
// null and an empty body alike. A buffer that does not exist (callout body outside its callback,
// plugin configuration outside onConfigure) is NotFound, an unknown type BadArgument: the getters
// then return null (size -1) and `lastStatus()` says which.
//
// Writing (current Envoy, Buffer::copyFrom semantics): start 0 drains `size` bytes then prepends
// the data (so (0, 0) prepends and (0, length) replaces); start >= current length appends; anything
// else is BadArgument, and configurations / callout bodies are read-only (BadArgument).
import { Status, BufferType } from "../abi/enums";
import { fromHost, lastStatus } from "../abi/status";
import { proxy_get_buffer_status, proxy_get_buffer_bytes, proxy_set_buffer_bytes } from "../abi/imports";
import { clearOut, OUT_PTR, OUT_SIZE, OUT_WORD, outSize, takeOutBytes, takeOutString } from "../abi/memory";

/** Largest length the ABI can express: asks the host for "everything from start". */
// @ts-ignore: decorator
@inline export const WHOLE_BUFFER: u32 = 0xffffffff;

/** Current size of a buffer, or -1 if unavailable (`lastStatus()` NotFound/BadArgument). */
export function getBufferSize(bufferType: BufferType): i64 {
  clearOut();
  if (fromHost(proxy_get_buffer_status(bufferType, OUT_SIZE, OUT_WORD)) != Status.Ok) return -1;
  return <i64>outSize();
}

/** Up to `maxSize` bytes from `start` (the host clamps to the buffer); null if unavailable. */
export function getBufferBytes(bufferType: BufferType, start: u32 = 0, maxSize: u32 = WHOLE_BUFFER): Uint8Array | null {
  clearOut();
  if (fromHost(proxy_get_buffer_bytes(bufferType, start, maxSize, OUT_PTR, OUT_SIZE)) != Status.Ok) return null;
  return takeOutBytes();
}

/** Like `getBufferBytes`, decoded as UTF-8; null if unavailable. */
export function getBufferText(bufferType: BufferType, start: u32 = 0, maxSize: u32 = WHOLE_BUFFER): string | null {
  clearOut();
  if (fromHost(proxy_get_buffer_bytes(bufferType, start, maxSize, OUT_PTR, OUT_SIZE)) != Status.Ok) return null;
  return takeOutString();
}

/** Raw write with the host's (start, size) semantics described above. */
export function setBufferBytes(bufferType: BufferType, start: u32, size: u32, data: Uint8Array): Status {
  return fromHost(proxy_set_buffer_bytes(bufferType, start, size, data.dataStart, <usize>data.byteLength));
}

/** Replaces the whole buffer content with `data`. */
export function replaceBuffer(bufferType: BufferType, data: Uint8Array): Status {
  let size = getBufferSize(bufferType);
  if (size < 0) return lastStatus(); // NotFound or BadArgument, as the host said
  return setBufferBytes(bufferType, 0, <u32>size, data);
}

/** Appends `data` to the buffer. */
export function appendBuffer(bufferType: BufferType, data: Uint8Array): Status {
  let size = getBufferSize(bufferType);
  if (size < 0) return lastStatus(); // NotFound or BadArgument, as the host said
  return setBufferBytes(bufferType, <u32>size, 0, data);
}

/** Inserts `data` before the current content. */
export function prependBuffer(bufferType: BufferType, data: Uint8Array): Status {
  return setBufferBytes(bufferType, 0, 0, data);
}

// ---- Bodies (the body seen so far by onRequestBody/onResponseBody; `bodySize` = buffered bytes) ----

/** The buffered request body (valid in onRequestBody; empty elsewhere); null only if the host refuses. */
export function getRequestBody(): Uint8Array | null { return getBufferBytes(BufferType.HttpRequestBody); }
/** The buffered response body (valid in onResponseBody; empty elsewhere); null only if the host refuses. */
export function getResponseBody(): Uint8Array | null { return getBufferBytes(BufferType.HttpResponseBody); }
/** Replaces the buffered request body. */
export function setRequestBody(data: Uint8Array): Status { return replaceBuffer(BufferType.HttpRequestBody, data); }
/** Replaces the buffered response body. */
export function setResponseBody(data: Uint8Array): Status { return replaceBuffer(BufferType.HttpResponseBody, data); }

// ---- Configurations (read-only) ----

/** VM configuration (Envoy `vm_config.configuration`): valid in onVmStart. Empty if none. */
export function getVmConfiguration(): Uint8Array {
  let bytes = getBufferBytes(BufferType.VmConfiguration);
  return bytes === null ? new Uint8Array(0) : bytes;
}

/** Plugin configuration (Envoy `configuration`, Istio `pluginConfig` as JSON): valid in onConfigure. */
export function getPluginConfiguration(): Uint8Array {
  let bytes = getBufferBytes(BufferType.PluginConfiguration);
  return bytes === null ? new Uint8Array(0) : bytes;
}

/** Plugin configuration as UTF-8 text ("" if none). */
export function getPluginConfigurationText(): string {
  let text = getBufferText(BufferType.PluginConfiguration);
  return text === null ? "" : text;
}

/** Arguments of a foreign function the host called on the plugin: valid in onForeignFunction. */
export function getForeignFunctionArguments(): Uint8Array {
  let bytes = getBufferBytes(BufferType.ForeignFunctionArguments);
  return bytes === null ? new Uint8Array(0) : bytes;
}
