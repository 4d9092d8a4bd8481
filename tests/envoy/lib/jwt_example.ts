// SPDX-License-Identifier: Apache-2.0
// Shared by the two JWT examples in Envoy: starting one with its key servers, reading the filter's
// counters from the admin /stats, and the spread of requests over both worker threads.
import { expect } from "vitest";
import type { EnvoyProcess } from "@getwild/host/envoy";
import { eventually } from "./client";
import { startExample, type ExampleInEnvoy } from "./envoy";
import type { Idp } from "./idp";
import { createTestPki, type CertificateAuthority, type TestPki } from "./pki";
import { startUpstream, type Upstream } from "./upstream";

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
  return eventually(
    `${name} >= ${atLeast}`,
    async () => {
      const value = await stat(envoy, name);
      return value >= atLeast ? value : undefined;
    },
    limitMs,
  );
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
export async function onEveryWorker(
  envoy: EnvoyProcess,
  workers: number,
  sendOne: () => Promise<void>,
): Promise<number> {
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

/** One JWT example in Envoy with its key servers: a test CA, the stand-ins, the backend, the proxy. */
export interface JwtExampleRig {
  pki: TestPki;
  /** The CA the rewritten clusters in `trustedCa` trust. */
  ca: CertificateAuthority;
  /** The stand-ins, by the cluster each answers for. */
  keyServers: Record<string, Idp>;
  upstream: Upstream;
  proxy: ExampleInEnvoy;
  close(): Promise<void>;
}

/**
 * Starts `example` in Envoy with `backend` at a recording upstream and each cluster `keyServers`
 * returns at its stand-in; the clusters in `tlsClusters` trust the rig's test CA. Whatever started
 * is stopped by close(), also when a later step failed.
 */
export async function startJwtExample(
  example: string,
  tlsClusters: string[],
  keyServers: (pki: TestPki, ca: CertificateAuthority) => Promise<Record<string, Idp>>,
  options: Parameters<typeof startExample>[2] = {},
): Promise<JwtExampleRig> {
  const pki = createTestPki();
  const ca = pki.authority("test-ca");
  let servers: Idp[] = [];
  let upstream: Upstream | undefined;
  let proxy: ExampleInEnvoy | undefined;
  const close = async () => {
    await proxy?.envoy.stop();
    for (const server of servers) await server.close();
    await upstream?.close();
    pki.remove();
  };
  try {
    const clusters = await keyServers(pki, ca);
    servers = Object.values(clusters);
    upstream = await startUpstream();
    const trustedCa = Object.fromEntries(tlsClusters.map((name) => [name, ca.certFile]));
    proxy = await startExample(example, { clusters: { backend: upstream, ...clusters }, trustedCa }, options);
    return { pki, ca, keyServers: clusters, upstream, proxy, close };
  } catch (error) {
    await close();
    throw error;
  }
}
