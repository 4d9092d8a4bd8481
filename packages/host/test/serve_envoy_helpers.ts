// SPDX-License-Identifier: Apache-2.0
// Shared by the serve_envoy*.test.ts suites: the Envoy they run (or a skip), `getwild serve --envoy` run
// in-process with its output captured, loopback servers closed after each test, and waiting for a line.
import { afterEach, inject } from "vitest";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "../src/cli/command.js";
import { repoRoot } from "./envoy_binary.js";

export const ENVOY = inject("envoyPath");
// runCli finds Envoy the way users' shells do.
if (ENVOY !== "") process.env.GETWILD_ENVOY = ENVOY;

export const example = (name: string) => join(repoRoot, "examples", name, "build", "filter.wasm");
export const exampleDir = (name: string) => join(repoRoot, "examples", name);

export const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
/** Resolves once `condition` holds (output lines arrive after the response they describe). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** `getwild serve --envoy ARGV` in-process; `during(url, run)` runs while it serves, then it is stopped. */
export async function serveEnvoy(argv: string[], during?: (url: string, run: Run) => Promise<void>): Promise<Run> {
  const run: Run = { code: -1, out: [], err: [] };
  run.code = await runCli(["serve", "--envoy", ...argv], {
    out: (l) => run.out.push(l),
    err: (l) => run.err.push(l),
    stopSignal: async (server) => {
      await during?.(server.url, run);
    },
  });
  return run;
}

export async function loopbackServer(handler: http.RequestListener): Promise<{ url: string; port: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port };
}

/** A port nothing listens on (taken, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function httpbinStandin(): Promise<string> {
  const module = await import(
    pathToFileURL(join(repoRoot, "examples", "http-call", "test", "httpbin_standin.mjs")).href
  );
  const standin = await module.startStandin(0);
  cleanups.push(() => standin.close());
  return standin.url;
}
