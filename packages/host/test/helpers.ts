// SPDX-License-Identifier: Apache-2.0
// Shared test helpers: a host on the compiled test filter, and request headers for a scenario.
import { createHost, type Host, type HostOptions } from "../src/index.js";
import { fixturePath } from "./paths.js";

export const FILTER = fixturePath("filter");

export function filterHost(options: Partial<HostOptions> = {}): Promise<Host> {
  return createHost({ wasm: FILTER, rootId: "test", clusters: ["auth"], ...options });
}

export function req(scenario: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ":method": "GET",
    ":scheme": "http",
    ":path": "/p?q=1",
    ":authority": "example.com",
    "x-scenario": scenario,
    ...extra,
  };
}

/** Logs of one worker VM only. */
export function workerLogs(host: Host, worker: number): string[] {
  return host.logRecords.filter((r) => r.vm === `worker ${worker}`).map((r) => r.message);
}
