// SPDX-License-Identifier: Apache-2.0
// Envoy-style stats shared by all VMs of a host, with per-VM type-tagged metric ids and Envoy's argument rules.
import { METRIC_TYPES, Status, type MetricTypeName } from "./enums.js";
import type { GuestVm } from "./guest_vm.js";

export interface Metric {
  type: MetricTypeName;
  name: string;
  /** Counter or gauge value (uint64 in Envoy). */
  value: bigint;
  /** Recorded histogram samples. */
  samples: bigint[];
}

export class MetricStore {
  readonly byName = new Map<string, Metric>();

  define(type: MetricTypeName, name: string): Metric {
    let m = this.byName.get(name);
    if (!m) {
      m = { type, name, value: 0n, samples: [] };
      this.byName.set(name, m);
    }
    return m;
  }
}

const U64 = (v: bigint) => BigInt.asUintN(64, v);

/** What metric calls use of their VM: its metric ids (Envoy numbers them per VM) and the host's store. */
export interface MetricVm extends GuestVm {
  readonly metricIds: Map<number, { type: number; name: string }>;
  nextMetric(type: number): number;
  readonly core: { readonly metrics: MetricStore };
}

export function metricImports(vm: MetricVm) {
  const store = vm.core.metrics;
  const lookup = (id: number): Metric | undefined => {
    const def = vm.metricIds.get(id);
    return def ? store.byName.get(def.name) : undefined;
  };
  return {
    proxy_define_metric(type: number, namePtr: number, nameSize: number, outIdPtr: number): number {
      const typeName = METRIC_TYPES[type];
      if (typeName === undefined) return Status.BadArgument;
      const name = vm.mem.readString(namePtr, nameSize);
      if (name === null) return Status.InvalidMemoryAccess;
      store.define(typeName, name);
      const id = vm.nextMetric(type);
      vm.metricIds.set(id, { type, name });
      return vm.mem.writeU32(outIdPtr, id) ? Status.Ok : Status.InvalidMemoryAccess;
    },
    /** Counter: delta must be > 0; gauge: add or subtract; histogram: BAD_ARGUMENT (Envoy `incrementMetric`). */
    proxy_increment_metric(id: number, delta: bigint): number {
      const m = lookup(id);
      const type = id & 3;
      if (type === 2) return Status.BadArgument;
      if (!m) return Status.NotFound;
      if (type === 0) {
        if (delta <= 0n) return Status.BadArgument;
        m.value = U64(m.value + delta);
      } else {
        m.value = U64(m.value + delta);
      }
      return Status.Ok;
    },
    /** Counter: adds; gauge: sets; histogram: records a sample (Envoy `recordMetric`). */
    proxy_record_metric(id: number, value: bigint): number {
      const m = lookup(id);
      if (!m) return Status.NotFound;
      const v = U64(value);
      if ((id & 3) === 0) m.value = U64(m.value + v);
      else if ((id & 3) === 1) m.value = v;
      else m.samples.push(v);
      return Status.Ok;
    },
    proxy_get_metric(id: number, outPtr: number): number {
      const m = lookup(id);
      if ((id & 3) === 2 || (id & 3) === 3) return Status.BadArgument;
      if (!m) return Status.NotFound;
      return vm.mem.writeU64(outPtr, m.value) ? Status.Ok : Status.InvalidMemoryAccess;
    },
  };
}
