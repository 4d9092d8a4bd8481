// SPDX-License-Identifier: Apache-2.0
// Shared queues (spec: "Shared queues"): message queues between VMs on the same host.
//
// Valid in any callback after _initialize (register in onVmStart/onConfigure). A queue is named by
// (vm_id, name): `register` creates or reopens it for this VM's vm_id and makes the calling root
// context the one notified with RootContext.onQueueReady (the last registrant wins); `resolve` finds a
// queue of any vm_id (NotFound if nobody registered it). `dequeue` on an empty queue is Empty.
import { Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { initializing, refuseDuringInitialize } from "../abi/phase";
import {
  proxy_register_shared_queue,
  proxy_resolve_shared_queue,
  proxy_enqueue_shared_queue,
  proxy_dequeue_shared_queue,
} from "../abi/imports";
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

// Queue ids (register, resolve) share one Result, dequeued items another (../abi/result.ts).
// @ts-ignore: decorator
@lazy const idResult = new Result<u32>(Status.NotFound, 0);
// @ts-ignore: decorator
@lazy const itemResult = new Result<Uint8Array>(Status.NotFound, new Uint8Array(0));

/** Registers (creates or reopens) queue `name` of this VM's vm_id; this root gets onQueueReady. */
export function registerSharedQueue(name: string): Result<u32> {
  if (initializing()) return idResult.fill(refuseDuringInitialize("proxy_register_shared_queue"), 0);
  let buffer = borrowScratch(maxUtf8Size(name));
  let len = writeUtf8(name, buffer);
  clearOut();
  let status = fromHost(proxy_register_shared_queue(buffer, len, OUT_WORD));
  releaseScratch(buffer);
  return idResult.fill(status, status == Status.Ok ? outWord() : 0);
}

/** Finds queue `name` registered by VMs with `vmId`. */
export function resolveSharedQueue(vmId: string, name: string): Result<u32> {
  if (initializing()) return idResult.fill(refuseDuringInitialize("proxy_resolve_shared_queue"), 0);
  let buffer = borrowScratch(maxUtf8Size(vmId) + maxUtf8Size(name));
  let vmIdLen = writeUtf8(vmId, buffer);
  let namePtr = buffer + vmIdLen;
  let nameLen = writeUtf8(name, namePtr);
  clearOut();
  let status = fromHost(proxy_resolve_shared_queue(buffer, vmIdLen, namePtr, nameLen, OUT_WORD));
  releaseScratch(buffer);
  return idResult.fill(status, status == Status.Ok ? outWord() : 0);
}

/** Appends `value` to the queue (NotFound: no such queue). */
export function enqueueSharedQueue(queueId: u32, value: Uint8Array): Status {
  return fromHost(proxy_enqueue_shared_queue(queueId, value.dataStart, <usize>value.byteLength));
}

/** Takes the oldest item (Empty: nothing queued; NotFound: no such queue). */
export function dequeueSharedQueue(queueId: u32): Result<Uint8Array> {
  clearOut();
  let status = fromHost(proxy_dequeue_shared_queue(queueId, OUT_PTR, OUT_SIZE));
  return itemResult.fill(status, status == Status.Ok ? takeOutBytes() : new Uint8Array(0));
}
