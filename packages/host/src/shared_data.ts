// SPDX-License-Identifier: Apache-2.0
// Process-wide shared key/value data keyed by vm_id, with cpp-host's compare-and-swap rules.
import { Status } from "./enums.js";
import type { GuestVm } from "./guest_vm.js";

interface Entry {
  value: Uint8Array;
  cas: number;
}

export class SharedDataStore {
  private readonly byVmId = new Map<string, Map<string, Entry>>();
  private casCounter = 0;

  private scope(vmId: string): Map<string, Entry> {
    let s = this.byVmId.get(vmId);
    if (!s) this.byVmId.set(vmId, (s = new Map()));
    return s;
  }

  /** Fresh CAS values increase monotonically and are never 0. */
  private nextCas(): number {
    this.casCounter = (this.casCounter + 1) >>> 0;
    if (this.casCounter === 0) this.casCounter = 1;
    return this.casCounter;
  }

  get(vmId: string, key: string): { value: Uint8Array; cas: number } | undefined {
    const e = this.scope(vmId).get(key);
    return e ? { value: e.value.slice(), cas: e.cas } : undefined;
  }

  /** New keys ignore `cas`; cas 0 writes unconditionally; otherwise it must equal the stored cas. */
  set(vmId: string, key: string, value: Uint8Array, cas: number): Status {
    const scope = this.scope(vmId);
    const e = scope.get(key);
    if (e && cas !== 0 && cas !== e.cas) return Status.CasMismatch;
    scope.set(key, { value: value.slice(), cas: this.nextCas() });
    return Status.Ok;
  }

  keys(vmId: string): string[] {
    return [...this.scope(vmId).keys()];
  }
}

/** What shared-data calls use of their VM: the host's store, scoped by vm_id. */
export interface SharedDataVm extends GuestVm {
  readonly core: { readonly sharedData: SharedDataStore; readonly options: { readonly vmId: string } };
}

export function sharedDataImports(vm: SharedDataVm) {
  const core = vm.core;
  return {
    proxy_get_shared_data(
      keyPtr: number,
      keySize: number,
      outValPtrPtr: number,
      outValSizePtr: number,
      outCasPtr: number,
    ): number {
      const key = vm.mem.readString(keyPtr, keySize);
      if (key === null) return Status.InvalidMemoryAccess;
      const e = core.sharedData.get(core.options.vmId, key);
      if (!e) return Status.NotFound;
      const s = vm.copyOut(e.value, outValPtrPtr, outValSizePtr);
      if (s !== Status.Ok) return s;
      return vm.mem.writeU32(outCasPtr, e.cas) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    proxy_set_shared_data(keyPtr: number, keySize: number, valPtr: number, valSize: number, cas: number): number {
      const key = vm.mem.readString(keyPtr, keySize);
      const value = vm.mem.read(valPtr, valSize);
      if (key === null || value === null) return Status.InvalidMemoryAccess;
      return core.sharedData.set(core.options.vmId, key, value, cas);
    },
  };
}
