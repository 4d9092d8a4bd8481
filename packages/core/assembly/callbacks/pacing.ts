// SPDX-License-Identifier: Apache-2.0
// When core collects garbage: after the outermost callback returns, paced. Every callback export
// (./*.ts) brackets its work with enterCallback / collectAfterCallback.
//
// With `--runtime minimal` (no shadow stack and no write barriers: the JWT filters' code is about
// 40 % smaller than with `incremental`), core collects when the outermost callback returns: no
// managed reference lives on the stack then, only in globals (the context registry), so a full
// collection is safe. Envoy does not re-enter the VM from a host call, but should a host do so, the
// depth count keeps the collection for the outermost return. Constant branches: absent from other
// runtimes.
//
// A full collection marks every live object (configuration, JWKS, the verified-token cache), so it
// does not run after every callback but once garbage has had room to build up in proportion to
// memory, as the incremental collector paces itself: after the VM has taken memory/16 bytes from the
// host (at least 16 KiB; headers, bodies and call responses all arrive through
// proxy_on_memory_allocate, and per-request garbage is made from them), or after 16 callbacks per
// page of memory (64 to 4096; garbage made without host data, e.g. a signature check), or at once
// when memory grew since the last collection. The caps bound the garbage between two collections
// whatever a request does.
import { Runtime } from "shared/runtime";

let callbackDepth: i32 = 0;
let callbacksSinceCollect: i32 = 0;
let hostBytesSinceCollect: usize = 0;
let pagesAtCollect: i32 = 0;

// @ts-ignore: decorator
@inline export function enterCallback(): void {
  if (ASC_RUNTIME == Runtime.Minimal) callbackDepth++;
}

/**
 * Leaves a callback; after the outermost one, collects when due. A function, not inlined: every
 * callback export calls it, and the one function entry per callback is the one collectWhenDue
 * (inlined here) had.
 */
export function collectAfterCallback(): void {
  if (ASC_RUNTIME == Runtime.Minimal) {
    if (--callbackDepth == 0) collectWhenDue();
  }
}

/** Counts bytes the host took through proxy_on_memory_allocate toward the next collection. */
// @ts-ignore: decorator
@inline export function countHostBytes(size: usize): void {
  if (ASC_RUNTIME == Runtime.Minimal) hostBytesSinceCollect += size;
}

// @ts-ignore: decorator
@inline function collectWhenDue(): void {
  const pages = <i32>memory.size();
  const byteBudget = max<usize>(16 << 10, (<usize>pages) << 12);
  const callbackBudget = min(max(64, pages << 4), 4096);
  if (++callbacksSinceCollect < callbackBudget && hostBytesSinceCollect < byteBudget && pages == pagesAtCollect) return;
  __collect();
  callbacksSinceCollect = 0;
  hostBytesSinceCollect = 0;
  pagesAtCollect = pages;
}
