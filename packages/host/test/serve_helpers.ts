// SPDX-License-Identifier: Apache-2.0
// Shared by the serve*.test.ts suites: recording loopback servers, a started `serve` closed after each test, scenario requests.
import { afterEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type RunningServer } from "../src/cli/serve.js";
import type { ServeOptions } from "../src/cli/args.js";
import { fixturePath } from "./paths.js";

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server recording what reached it; `handler` answers (default: 200 "upstream:<body>"). */
export async function recordingServer(
  handler?: (seen: Seen, res: http.ServerResponse) => void,
): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      if (handler) handler(s, res);
      else res.end(`upstream:${s.body}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

export const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

export function options(extra: Partial<ServeOptions> = {}): ServeOptions {
  return {
    filter: fixturePath("filter"),
    rootId: "test",
    clusters: new Map(),
    port: 0,
    workers: 1,
    logLevel: "info",
    failurePolicy: "FAIL_CLOSED",
    quiet: true,
    ...extra,
  };
}

export async function start(
  extra: Partial<ServeOptions> = {},
  routeTimeoutMs?: number,
): Promise<RunningServer & { lines: string[] }> {
  const lines: string[] = [];
  const server = await serve(options(extra), { accessLog: (l) => lines.push(l), routeTimeoutMs });
  cleanups.push(() => server.close());
  return Object.assign(server, { lines });
}

export async function upstreamServer(handler?: Parameters<typeof recordingServer>[0]) {
  const up = await recordingServer(handler);
  cleanups.push(() => up.close());
  return up;
}

export const scenario = (name: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { "x-scenario": name, ...(init.headers as Record<string, string> | undefined) },
});

export async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
