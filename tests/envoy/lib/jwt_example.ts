// SPDX-License-Identifier: Apache-2.0
// Shared by the two JWT examples in Envoy: reading the filter's counters from the admin /stats, and
// the spread of requests over both worker threads.
import { expect } from "vitest";
import type { EnvoyProcess } from "@getwild/host/envoy";
import { eventually } from "./client";

/** Envoy lists every metric a wasm module defines with proxy_define_metric under `wasmcustom.`. */
export const wasmMetric = (name: string) => `wasmcustom.${name}`;

export async function metric(envoy: EnvoyProcess, name: string): Promise<number | undefined> {
  return (await envoy.stats())[wasmMetric(name)];
}

/** A stat by its full Envoy name (cluster, listener, wasm runtime stats), 0 when Envoy does not list it. */
export async function stat(envoy: EnvoyProcess, name: string): Promise<number> {
  return (await envoy.stats())[name] ?? 0;
}

/** Waits until the stat named has at least the value given. */
export function statReaches(envoy: EnvoyProcess, name: string, atLeast: number, limitMs?: number): Promise<number> {
  return eventually(`${name} >= ${atLeast}`, async () => {
    const value = await stat(envoy, name);
    return value >= atLeast ? value : undefined;
  }, limitMs);
}

/** Connections each worker thread accepted on the (only) listener, from the per-worker listener stats. */
export async function connectionsPerWorker(envoy: EnvoyProcess): Promise<number[]> {
  const stats = await envoy.stats();
  const out: number[] = [];
  for (const [name, value] of Object.entries(stats)) {
    const m = /^listener\.[^ ]+\.worker_(\d+)\.downstream_cx_total$/.exec(name);
    if (m !== null) out[Number(m[1])] = value;
  }
  return out;
}

/**
 * Sends requests (each on a new connection) until every one of `workers` worker threads has accepted
 * at least one, checking each answer with `check`. The kernel spreads connections over the workers'
 * sockets, so a few are enough; 64 without reaching one of them fails the test.
 */
export async function onEveryWorker(envoy: EnvoyProcess, workers: number, sendOne: () => Promise<void>): Promise<number> {
  let sent = 0;
  for (;;) {
    await sendOne();
    sent++;
    const perWorker = await connectionsPerWorker(envoy);
    if (perWorker.length === workers && perWorker.every((n) => n > 0)) return sent;
    expect(sent, `connections per worker after ${sent} requests: ${perWorker.join(", ")}`).toBeLessThan(64);
  }
}

/** Envoy's log lines about key fetches (with their thread ids), to explain an unexpected fetch count. */
export function fetchLog(proxy: { envoy: EnvoyProcess }): string {
  return proxy.envoy.logs.filter((line) => /JWKS|lease/.test(line)).join("\n");
}
