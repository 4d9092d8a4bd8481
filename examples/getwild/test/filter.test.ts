// SPDX-License-Identifier: Apache-2.0
// The Get Wild example through @getwild/host: GET is answered 418 by the filter, every other method reaches the upstream.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHost, validateModule, type Host } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const targets = [
  { target: "release", wasm: join(root, "build/filter.wasm") },
  { target: "debug", wasm: join(root, "build/filter.debug.wasm") },
];
const upstream = {
  status: 200,
  headers: { "content-type": "text/plain", "x-upstream": "yes" },
  body: "from upstream\n",
};

describe.each(targets)("getwild example ($target)", ({ wasm }) => {
  let host: Host;
  beforeAll(async () => {
    host = await createHost({ wasm, rootId: "getwild", workers: 2 });
  });

  it("is a module Envoy loads: only env.proxy_* imports, the ABI marker, the allocator", () => {
    const result = validateModule(new Uint8Array(readFileSync(wasm)));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasm)));
    expect(imports.every((i) => i.module === "env" && i.name.startsWith("proxy_"))).toBe(true);
  });

  it("answers GET with 418, powered-by and the ASCII art, without the upstream", async () => {
    const r = await host.request({ method: "GET", path: "/" }, upstream);
    expect(r.status).toBe(418);
    expect(r.headers.get("powered-by")).toBe("getwild");
    expect(r.headers.get("content-length")).toBe(String(r.body.length));
    expect(r.headers.has("x-upstream")).toBe(false);
    expect(r.upstreamRequest).toBeNull();
    expect([...r.body].every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
    expect(r.bodyText).toMatch(/I'M A/);
    expect(r.bodyText.split("\n").length).toBeGreaterThan(10);
  });

  it("answers GET on any path, with a query, and with a request body", async () => {
    for (const req of [{ path: "/deep/path?x=1" }, { path: "/", body: "ignored" }]) {
      const r = await host.request({ method: "GET", ...req }, upstream);
      expect(r.status).toBe(418);
    }
  });

  it.each(["POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get"])(
    "lets %s through to the upstream",
    async (method) => {
      const r = await host.request(
        { method, path: "/items", body: method === "HEAD" ? undefined : "payload" },
        upstream,
      );
      expect(r.localResponse).toBeNull();
      expect(r.status).toBe(200);
      expect(r.headers.get("x-upstream")).toBe("yes");
      expect(r.bodyText).toBe("from upstream\n");
      expect(r.upstreamRequest?.headers?.get(":method")).toBe(method);
      if (method !== "HEAD") expect(new TextDecoder().decode(r.upstreamRequest!.body)).toBe("payload");
    },
  );

  it("reads :method, not headers whose names merely contain 'method'", async () => {
    const r = await host.request(
      { method: "POST", path: "/", headers: { "x-method": "GET", method: "GET", "x-http-method-override": "GET" } },
      upstream,
    );
    expect(r.status).toBe(200);
    expect(r.localResponse).toBeNull();
  });

  it("serves the same reply from every worker VM", async () => {
    const a = await host.request({ method: "GET", worker: 0 });
    const b = await host.request({ method: "GET", worker: 1 });
    expect(a.bodyText).toBe(b.bodyText);
    expect(a.headers.toObject()).toEqual(b.headers.toObject());
  });

  it("does not grow memory over many requests (the GC reclaims per-request garbage)", async () => {
    const single = await createHost({ wasm, rootId: "getwild" });
    for (let i = 0; i < 200; i++) await single.request({ method: i % 2 ? "GET" : "POST" });
    const warm = single.memoryBytes();
    for (let i = 0; i < 3000; i++) await single.request({ method: i % 2 ? "GET" : "POST", path: `/r/${i}` });
    expect(single.memoryBytes()).toBe(warm);
    expect(single.failures).toEqual([]);
  });
});
