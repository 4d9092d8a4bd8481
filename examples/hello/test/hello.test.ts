// SPDX-License-Identifier: Apache-2.0
// The hello filter through @getwild/host, both builds: loads like Envoy would, logs every request
// header at info, adds `hello: world` to every response, and imports only what Envoy provides.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHost, validateModule } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILDS = { release: "build/filter.wasm", debug: "build/filter.debug.wasm" } as const;

describe.each(Object.entries(BUILDS))("hello (%s build)", (_target, file) => {
  const wasm = join(root, file);

  it("imports only functions Envoy provides, with their exact types", () => {
    const result = validateModule(readFileSync(wasm));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.abiVersion).toBe("0.2.1");
    expect(result.imports.length).toBeGreaterThan(0);
    for (const imp of result.imports) {
      expect(imp.provided, `${imp.module}.${imp.name} ${imp.signature}`).toBe(true);
      expect(imp.module).toBe("env");
      expect(imp.name.startsWith("proxy_")).toBe(true);
    }
    const exported = result.exports.map((e) => e.name);
    for (const name of ["proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "_initialize", "memory"]) {
      expect(exported).toContain(name);
    }
  });

  it("logs every request header as `name: value` at info, in order", async () => {
    const host = await createHost({ wasm, rootId: "hello", pluginConfig: "" });
    const result = await host.request(
      {
        method: "POST",
        path: "/hello?x=1",
        authority: "example.com",
        headers: [
          ["x-Request-ID", "abc"],
          ["accept", "*/*"],
        ],
      },
      { status: 200, body: "upstream body" },
    );
    expect(result.status).toBe(200);
    const sent = result.upstreamRequest!.headers.pairs();
    expect(sent.length).toBeGreaterThanOrEqual(6);
    // One info line per header the filter saw, exactly as forwarded upstream.
    expect(host.logs("info")).toEqual(sent.map(([name, value]) => `${name}: ${value}`));
    expect(host.logs("info")).toContain(":path: /hello?x=1");
    expect(host.logs("info")).toContain("x-request-id: abc");
    expect(host.logs("info")).toContain("accept: */*");
    expect(host.failures).toEqual([]);
  });

  it("builds no log line when the proxy logs at warning (as production Envoys do)", async () => {
    const host = await createHost({ wasm, rootId: "hello", logLevel: "warn" });
    const result = await host.request({ path: "/quiet", headers: [["x-marker", "m"]] }, { status: 200 });
    expect(result.status).toBe(200);
    expect(result.headers.get("hello")).toBe("world");
    expect(host.logs("info")).toEqual([]);
    expect(host.failures).toEqual([]);
  });

  it("adds `hello: world` to every response, keeping the upstream's headers and body", async () => {
    const host = await createHost({ wasm, rootId: "hello" });
    for (const status of [200, 404, 503]) {
      const result = await host.request(
        { path: `/${status}` },
        { status, headers: { "x-upstream": "yes" }, body: "body" },
      );
      expect(result.status).toBe(status);
      expect(result.headers.get("hello")).toBe("world");
      expect(result.headers.getAll("hello")).toEqual(["world"]);
      expect(result.headers.get("x-upstream")).toBe("yes");
      expect(result.bodyText).toBe("body");
    }
    expect(host.failures).toEqual([]);
  });

  it("works stream by stream as Envoy drives it (repeated headers, request with body)", async () => {
    const host = await createHost({ wasm, rootId: "hello" });
    const stream = host.newHttpStream();
    const headers: [string, string][] = [
      [":method", "PUT"],
      [":path", "/up"],
      [":authority", "x"],
      [":scheme", "http"],
      ["accept", "a/b"],
      ["accept", "c/d"],
    ];
    expect(stream.sendRequestHeaders(headers, { endOfStream: false })).toBe("Continue");
    expect(stream.sendRequestBody("payload", { endOfStream: true })).toBe("Continue");
    expect(stream.sendResponseHeaders({ ":status": "201" }, { endOfStream: true })).toBe("Continue");
    expect(stream.responseHeaders.get("hello")).toBe("world");
    stream.complete();
    // A repeated header is logged once per value, in order.
    expect(host.logs("info")).toEqual(headers.map(([name, value]) => `${name}: ${value}`));
    expect(host.failures).toEqual([]);
  });

  it("stays within its memory over many requests (the GC frees per-request garbage)", async () => {
    const host = await createHost({ wasm, rootId: "hello" });
    await host.request({ path: "/warm-up" });
    const before = host.memoryBytes();
    for (let i = 0; i < 2000; i++) {
      await host.request({ path: `/r${i}`, headers: { "x-big": "v".repeat(200) } });
    }
    expect(host.memoryBytes() - before).toBeLessThanOrEqual(2 * 65536);
    expect(host.failures).toEqual([]);
  });

  it("fails configuration, loudly, under a root id it does not register", async () => {
    // Envoy would reject the configuration: no root context is registered for "other".
    await expect(createHost({ wasm, rootId: "other" })).rejects.toThrow(/configur/);
  });
});
