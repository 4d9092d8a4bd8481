// SPDX-License-Identifier: Apache-2.0
// Test helpers: fixture paths for both builds, a host per test, and the fixture's "key=value" reports.
import { join } from "node:path";
import { createHost, type Host, type HostOptions, type HttpStream } from "@getwild/host";
import { fixtureOutDir } from "./compile.mjs";

export const TARGETS = ["release", "debug"] as const;
export type Target = (typeof TARGETS)[number];

export function fixturePath(name: string, target: Target): string {
  return join(fixtureOutDir, target === "release" ? `${name}.wasm` : `${name}.debug.wasm`);
}

export function hostFor(name: string, target: Target, options: Partial<HostOptions> = {}): Promise<Host> {
  return createHost({ wasm: fixturePath(name, target), ...options });
}

/** Every info log "key=value" written by the fixture, in order, as [key, value]. */
export function reports(host: Host): [string, string][] {
  const out: [string, string][] = [];
  for (const line of host.logs("info")) {
    const at = line.indexOf("=");
    if (at > 0) out.push([line.slice(0, at), line.slice(at + 1)]);
  }
  return out;
}

/** The last reported value of `key` (undefined if never reported). */
export function report(host: Host, key: string): string | undefined {
  const all = reports(host).filter(([k]) => k === key);
  return all.length ? all[all.length - 1]![1] : undefined;
}

/** All reported values of `key`, in order. */
export function reportAll(host: Host, key: string): string[] {
  return reports(host)
    .filter(([k]) => k === key)
    .map(([, v]) => v);
}

/** Direct access to worker 0's exports and memory (host.worker()), for fixtures that export raw test functions (the pairs codec fed with exact bytes). */
export interface RawVm {
  call(name: string, ...args: number[]): number;
  write(bytes: Uint8Array): number;
  read(ptr: number, len: number): Uint8Array;
  readBlock(ptr: number): Uint8Array;
  free(ptr: number): void;
}

export function rawVm(host: Host): RawVm {
  const { exports, memory } = host.worker(0);
  const fn = (name: string) => {
    const f = exports[name];
    if (typeof f !== "function") throw new Error(`fixture export ${name} missing`);
    return f as (...args: number[]) => number;
  };
  const api: RawVm = {
    call: (name, ...args) => fn(name)(...args) >>> 0,
    write(bytes) {
      const ptr = api.call("test_alloc", Math.max(1, bytes.length));
      new Uint8Array(memory.buffer).set(bytes, ptr);
      return ptr;
    },
    read: (ptr, len) => new Uint8Array(memory.buffer).slice(ptr, ptr + len),
    readBlock(ptr) {
      const len = new DataView(memory.buffer).getUint32(ptr, true);
      return api.read(ptr + 4, len);
    },
    free: (ptr) => void fn("test_free")(ptr),
  };
  return api;
}

// ---- The hostcalls fixture: one scenario per request, chosen by the `x-op` request header ----

export const SCENARIO_OPTIONS = {
  rootId: "hostcalls",
  pluginConfig: "cfg",
  vmConfig: "vm-cfg",
  clusters: ["upstream"],
};

export function startScenarios(target: Target, options: Partial<HostOptions> = {}): Promise<Host> {
  return hostFor("hostcalls", target, { ...SCENARIO_OPTIONS, ...options });
}

/** Sends request headers with `x-op: op` plus `extra`; returns the stream and the action. */
export function sendScenario(
  host: Host,
  op: string,
  extra: [string, string][] = [],
  endOfStream = true,
): { stream: HttpStream; action: string } {
  const stream = host.newHttpStream();
  const headers: [string, string][] = [
    [":method", "GET"],
    [":scheme", "http"],
    [":path", "/p?q=1"],
    [":authority", "example.com"],
    ["x-op", op],
    ...extra,
  ];
  const action = stream.sendRequestHeaders(headers, { endOfStream });
  return { stream, action };
}
