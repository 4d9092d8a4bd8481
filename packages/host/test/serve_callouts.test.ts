// SPDX-License-Identifier: Apache-2.0
// `getwild serve`: proxy_http_call to mapped clusters over real HTTP, and the refusals at start-up with their exit codes.
import { describe, it, expect } from "vitest";
import { serve } from "../src/cli/serve.js";
import { CliError, ExitCode } from "../src/cli/errors.js";
import type { ServeOptions } from "../src/cli/args.js";
import { fixturePath } from "./paths.js";
import { cleanups, options, start, upstreamServer, scenario } from "./serve_helpers.js";

describe("getwild serve: proxy_http_call to a mapped cluster", () => {
  it("makes a real request to the cluster and continues the stream with its answer", async () => {
    const auth = await upstreamServer((s, res) => {
      res.writeHead(200, { "x-user": "alice" });
      res.end(`checked ${s.body}`);
    });
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url), clusters: new Map([["auth", new URL(auth.url)]]) });
    const r = await fetch(server.url, scenario("callout"));
    expect(r.status).toBe(200);
    expect(auth.seen[0]).toMatchObject({ method: "GET", url: "/check", body: "q=1" });
    expect(auth.seen[0]!.headers.host).toBe("auth.local");
    expect(auth.seen[0]!.headers["content-length"]).toBe("3");
    expect(up.seen[0]!.headers["x-user"]).toBe("alice");
    expect(server.host.logs("info")).toContain("auth status=200 body=checked q=1 x-user=alice");
  });

  it("lets the filter deny on the cluster's answer", async () => {
    const auth = await upstreamServer((_s, res) => {
      res.writeHead(403);
      res.end("no");
    });
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url), clusters: new Map([["auth", new URL(auth.url)]]) });
    const r = await fetch(server.url, scenario("callout"));
    expect(r.status).toBe(401);
    expect(await r.text()).toBe("denied");
    expect(up.seen).toHaveLength(0);
  });

  it("gives the filter Envoy's 504 when the cluster exceeds the call's timeout (500 ms)", async () => {
    const auth = await upstreamServer(() => undefined);
    const server = await start({ clusters: new Map([["auth", new URL(auth.url)]]) });
    const t0 = Date.now();
    const r = await fetch(server.url, scenario("callout"));
    expect(r.status).toBe(401);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    expect(server.host.logs("info")).toContain("auth status=504 body=upstream request timeout x-user=<null>");
  });

  it("gives the filter Envoy's 503 reply for a refused connection (not a reset), and later calls see no failure status", async () => {
    const auth = await upstreamServer();
    const dead = new URL(auth.url);
    await auth.close();
    const server = await start({ clusters: new Map([["auth", dead]]) });
    for (let i = 0; i < 2; i++) {
      const r = await fetch(server.url, scenario("callout"));
      expect(r.status).toBe(401);
    }
    const body = "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure";
    expect(server.host.logs("info").filter((l) => l.startsWith("auth "))).toEqual([
      `auth status=503 body=${body} x-user=<null>`,
      `auth status=503 body=${body} x-user=<null>`,
    ]);
  });

  it("gives the filter Envoy's other 503 when the cluster closes the connection before answering", async () => {
    const auth = await upstreamServer((_s, res) => res.socket?.destroy());
    const server = await start({ clusters: new Map([["auth", new URL(auth.url)]]) });
    const r = await fetch(server.url, scenario("callout"));
    expect(r.status).toBe(401);
    expect(server.host.logs("info")).toContain(
      "auth status=503 body=upstream connect error or disconnect/reset before headers. reset reason: connection termination x-user=<null>",
    );
  });

  it("refuses calls to clusters that were not mapped", async () => {
    const server = await start();
    await fetch(server.url, scenario("callout-bad"));
    expect(server.host.logs("info")).toContain("unknown_cluster=BadArgument missing_authority=BadArgument");
  });
});

describe("getwild serve: refuses to start, with the right exit code", () => {
  const refuse = async (extra: Partial<ServeOptions>, code: number, message: RegExp) => {
    const error = await serve(options(extra)).then(
      (s) => (cleanups.push(() => s.close()), null),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(code);
    expect((error as CliError).message).toMatch(message);
  };

  it("a missing filter file", () =>
    refuse({ filter: "/nonexistent/f.wasm" }, ExitCode.FileNotFound, /filter \/nonexistent\/f.wasm: no such file/));
  it("a directory as filter", () => refuse({ filter: "/tmp" }, ExitCode.FileNotFound, /is a directory/));
  it("a missing configuration file", () =>
    refuse({ config: "/nonexistent/c.json" }, ExitCode.FileNotFound, /configuration \/nonexistent\/c.json/));
  it("a module Envoy would refuse", () =>
    refuse(
      { filter: fixturePath("raw_bad_export") },
      ExitCode.ModuleRefused,
      /Envoy would refuse .*raw_bad_export.wasm:\n {2}Bad function signature for: proxy_on_/,
    ));
  it("a configuration the filter rejects", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const config = join(mkdtempSync(join(tmpdir(), "getwild-serve-")), "config.txt");
    writeFileSync(config, "reject");
    await refuse({ config }, ExitCode.ConfigRejected, /the filter rejected the configuration in .*config.txt/);
    writeFileSync(config, "trap");
    await refuse({ config }, ExitCode.ModuleRefused, /failed to start: .*proxy_on_configure failed/);
  });
  it("a port in use", async () => {
    const first = await start();
    await refuse(
      { port: first.port },
      ExitCode.PortUnavailable,
      new RegExp(`127.0.0.1:${first.port}: the port is already in use`),
    );
  });
});
