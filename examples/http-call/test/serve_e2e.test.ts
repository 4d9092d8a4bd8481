// SPDX-License-Identifier: Apache-2.0
// End to end through the `getwild serve` command: the filter in a real local proxy, its cluster
// `httpbin` mapped to the local stand-in, answered over real HTTP; then timeout, reset and 500.
import { describe, it, expect, afterEach } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain ESM helper without types
import { startStandin } from "./httpbin_standin.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const getwild = join(root, "node_modules", ".bin", "getwild");
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Starts `getwild serve` on a free port; resolves with its URL once it listens, and its output so far. */
function serve(clusterUrl: string, config?: object): Promise<{ url: string; output: () => string }> {
  const args = [
    "serve",
    "--filter",
    "build/filter.wasm",
    "--root-id",
    "http-call",
    "--cluster",
    `httpbin=${clusterUrl}`,
    "--port",
    "0",
  ];
  if (config) {
    const dir = mkdtempSync(join(tmpdir(), "http-call-e2e-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    args.push("--config", join(dir, "config.json"));
  }
  const child: ChildProcess = spawn(getwild, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`getwild serve did not start:\n${output}`)), 30_000);
    const look = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output: () => output });
      }
    };
    child.stdout!.on("data", look);
    child.once("exit", (code) => reject(new Error(`getwild serve exited ${code}:\n${output}`)));
  });
}

/** The proxy's output once it contains `text` (its log lines may arrive after the HTTP response). */
async function outputWith(proxy: { output: () => string }, text: string): Promise<string> {
  for (let waited = 0; waited < 10_000 && !proxy.output().includes(text); waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  return proxy.output();
}

async function standin(options: object = {}): Promise<string> {
  const s = await startStandin(0, options);
  cleanups.push(() => s.close());
  return s.url;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("http-call through getwild serve and the httpbin stand-in", () => {
  it("answers 200 with a fresh uuid from the stand-in, as JSON", async () => {
    const proxy = await serve(await standin());
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${proxy.url}/anything`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      const { uuid } = (await res.json()) as { uuid: string };
      expect(uuid).toMatch(UUID_V4);
      seen.add(uuid);
    }
    expect(seen.size).toBe(3); // each request made its own call
  });

  it("answers 502 upstream_status_503 when nothing listens behind the cluster (Envoy's router answers the callout 503)", async () => {
    // As in Envoy (tests/envoy/test/http_call.test.ts): a refused connection is a 503 reply, not a failed call.
    const proxy = await serve(`http://127.0.0.1:${await closedPort()}`);
    const res = await fetch(proxy.url);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: "httpbin_unavailable", reason: "upstream_status_503" });
    expect(await outputWith(proxy, "httpbin answered 503")).toContain("httpbin answered 503");
  });

  it("answers 502 timeout when the stand-in is slower than timeout_ms", async () => {
    const proxy = await serve(await standin({ uuidDelayMs: 5000 }), { timeout_ms: 200 });
    const started = Date.now();
    const res = await fetch(proxy.url);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: "httpbin_unavailable", reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(4000); // well before the stand-in would answer
    expect(await outputWith(proxy, "httpbin call timed out after 200 ms")).toContain(
      "httpbin call timed out after 200 ms",
    );
  });

  it("answers 502 when the stand-in answers 500", async () => {
    const proxy = await serve(await standin({ uuidStatus: 500 }));
    const res = await fetch(proxy.url);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: "httpbin_unavailable", reason: "upstream_status_500" });
    expect(await outputWith(proxy, "httpbin answered 500")).toContain("httpbin answered 500");
  });
});
