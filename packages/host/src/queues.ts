// SPDX-License-Identifier: Apache-2.0
// Shared queues keyed by (vm_id, name); proxy_on_queue_ready goes, posted after the current call, to the last registrant.
import { Status } from "./enums.js";
import type { GuestVm, GuestCall } from "./guest_vm.js";

/** The VM a queue notifies (its last registrant). */
export interface QueueOwner {
  readonly failed: boolean;
  readonly call: GuestCall;
}

interface Queue {
  vmId: string;
  name: string;
  items: Uint8Array[];
  /** Last registrant: its VM and root context receive proxy_on_queue_ready. */
  owner: QueueOwner;
  ownerContextId: number;
}

export class QueueStore {
  readonly byToken = new Map<number, Queue>();
  private readonly byName = new Map<string, number>();
  private nextToken = 1;

  register(vmId: string, name: string, owner: QueueOwner, ownerContextId: number): number {
    const key = `${vmId}\0${name}`;
    const existing = this.byName.get(key);
    if (existing !== undefined) {
      const q = this.byToken.get(existing)!;
      q.owner = owner;
      q.ownerContextId = ownerContextId;
      return existing;
    }
    while (this.nextToken === 0 || this.byToken.has(this.nextToken)) this.nextToken = (this.nextToken + 1) >>> 0;
    const token = this.nextToken++;
    this.byName.set(key, token);
    this.byToken.set(token, { vmId, name, items: [], owner, ownerContextId });
    return token;
  }

  resolve(vmId: string, name: string): number | undefined {
    return this.byName.get(`${vmId}\0${name}`);
  }

  size(token: number): number {
    return this.byToken.get(token)?.items.length ?? 0;
  }
}

/** What queue calls use of their VM: its root context, itself as a registrant, and the host's store and after-call queue. */
export interface QueueVm extends GuestVm, QueueOwner {
  readonly root: { readonly id: number } | null;
  readonly core: {
    readonly queues: QueueStore;
    readonly options: { readonly vmId: string };
    defer(fn: () => void): void;
  };
}

export function queueImports(vm: QueueVm) {
  const core = vm.core;
  const store = core.queues;
  return {
    proxy_register_shared_queue(namePtr: number, nameSize: number, outIdPtr: number): number {
      const name = vm.mem.readString(namePtr, nameSize);
      if (name === null) return Status.InvalidMemoryAccess;
      const rootId = vm.root?.id ?? 0;
      const token = store.register(core.options.vmId, name, vm, rootId);
      return vm.mem.writeU32(outIdPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_resolve_shared_queue(
      vmIdPtr: number,
      vmIdSize: number,
      namePtr: number,
      nameSize: number,
      outIdPtr: number,
    ): number {
      const vmId = vm.mem.readString(vmIdPtr, vmIdSize);
      const name = vm.mem.readString(namePtr, nameSize);
      if (vmId === null || name === null) return Status.InvalidMemoryAccess;
      // An empty vm_id means the caller's own (differential row queue).
      const token = store.resolve(vmId === "" ? core.options.vmId : vmId, name);
      if (token === undefined) return Status.NotFound;
      return vm.mem.writeU32(outIdPtr, token) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_enqueue_shared_queue(token: number, valPtr: number, valSize: number): number {
      const q = store.byToken.get(token);
      if (!q) return Status.NotFound;
      const value = vm.mem.read(valPtr, valSize);
      if (value === null) return Status.InvalidMemoryAccess;
      q.items.push(value);
      const { owner, ownerContextId } = q;
      // Envoy posts the notification to the registrant's dispatcher: it runs after this call returns.
      core.defer(() => {
        if (!owner.failed) owner.call("proxy_on_queue_ready", ownerContextId, ownerContextId, token);
      });
      return Status.Ok;
    },
    proxy_dequeue_shared_queue(token: number, outPtrPtr: number, outSizePtr: number): number {
      const q = store.byToken.get(token);
      if (!q) return Status.NotFound;
      if (q.items.length === 0) return Status.Empty;
      const s = vm.copyOut(q.items[0]!, outPtrPtr, outSizePtr);
      if (s === Status.Ok) q.items.shift();
      return s;
    },
  };
}
