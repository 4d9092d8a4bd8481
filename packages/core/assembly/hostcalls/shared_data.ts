// SPDX-License-Identifier: Apache-2.0
// Shared data (spec: "Shared key-value store"): a key-value store shared by every VM with the same
// vm_id on the host (all worker threads), with compare-and-swap.
//
// Valid in any callback after _initialize. Rules (cpp-host): `get` returns the value and its CAS
// (never 0) or NotFound; `set` with cas 0 writes unconditionally; with a CAS it fails with
// CasMismatch if the key changed since that CAS was read; setting a new key ignores the CAS. There
// is no delete in ABI v0.2.1.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import { proxy_get_shared_data, proxy_set_shared_data } from "../abi/imports";
import {
  clearOut,
  OUT_PTR,
  OUT_SIZE,
  OUT_WORD,
  outWord,
  takeOutBytes,
  borrowScratch,
  releaseScratch,
  maxUtf8Size,
  writeUtf8,
} from "../abi/memory";

/** A read: the generic Result plus the value's CAS (`value` empty and `cas` 0 unless Ok). */
export class SharedDataResult extends Result<Uint8Array> {
  cas: u32 = 0;
}

// @ts-ignore: decorator
@lazy const readResult = new SharedDataResult(Status.NotFound, new Uint8Array(0));

/** Reads `key` (NotFound: no such key). Reads share one result (../abi/result.ts). */
export function getSharedData(key: string): SharedDataResult {
  let status: Status;
  let cas: u32 = 0;
  let value: Uint8Array;
  if (initializing()) {
    status = refuseDuringInitialize("proxy_get_shared_data");
    value = new Uint8Array(0);
  } else {
    let buffer = borrowScratch(maxUtf8Size(key));
    let len = writeUtf8(key, buffer);
    clearOut();
    status = fromHost(proxy_get_shared_data(buffer, len, OUT_PTR, OUT_SIZE, OUT_WORD));
    releaseScratch(buffer);
    if (status == Status.Ok) cas = outWord();
    value = status == Status.Ok ? takeOutBytes() : new Uint8Array(0);
  }
  readResult.fill(status, value);
  readResult.cas = cas;
  return readResult;
}

/**
 * Writes `key`. `cas` 0 = unconditional; otherwise only if unchanged since the read that returned
 * it (else CasMismatch: read again and retry).
 */
export function setSharedData(key: string, value: Uint8Array, cas: u32 = 0): Status {
  if (initializing()) return refuseDuringInitialize("proxy_set_shared_data");
  let buffer = borrowScratch(maxUtf8Size(key));
  let len = writeUtf8(key, buffer);
  let status = fromHost(proxy_set_shared_data(buffer, len, value.dataStart, <usize>value.byteLength, cas));
  releaseScratch(buffer);
  return status;
}
