// SPDX-License-Identifier: Apache-2.0
// What every host-call area uses of the VM it serves. Each area (logs.ts, callouts.ts, …) extends this
// with exactly the fields it needs, so the areas depend on these interfaces and never on vm.ts, which
// builds its imports from them: the dependency points one way.
import type { GuestMemory } from "./memory.js";
import type { Status } from "./enums.js";
import type { Context } from "./contexts.js";

export interface GuestVm {
  readonly mem: GuestMemory;
  /** "base", "canary" or "worker N" (log records name it). */
  readonly label: string;
  /** Worker index; -1 for the base and canary VMs. */
  readonly worker: number;
  /** The context host calls act on: the effective context if one was set, else the current one. */
  context(): Context | undefined;
  /** cpp-host `copyToPointerSize`: allocate in the guest, copy, write ptr and size. */
  copyOut(data: Uint8Array, ptrPtr: number, sizePtr: number): Status;
}

/** Calls an export of the guest as cpp-host does (undefined when absent, trapped or the VM failed). */
export type GuestCall = (name: string, contextId: number, ...args: (number | bigint)[]) => number | undefined;
