// SPDX-License-Identifier: Apache-2.0
// The http-call filter through @getwild/host, both builds: the GET /uuid callout, relaying its reply,
// and the 502s for timeout, reset, non-2xx, oversized replies, a missing cluster and bad configuration.
import { describe, it, expect, vi } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID, randomBytes } from "node:crypto";
import { createHost, validateModule, type HostOptions } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILDS = { release: "build/filter.wasm", debug: "build/filter.debug.wasm" } as const;
const MAX_REPLY_BYTES = 1 << 20;

function json(text: string): unknown {
  return JSON.parse(text);
}

describe.each(Object.entries(BUILDS))("http-call (%s build)", (_target, file) => {
  const wasm = join(root, file);
  const load = (extra: Partial<HostOptions> = {}) =>
    createHost({ wasm, rootId: "http-call", clusters: ["httpbin"], canary: false, ...extra });

  /** Starts one request and returns its stream and the callout it made. */
  async function startRequest(extra: Partial<HostOptions> = {}) {
    const host = await load(extra);
    const stream = host.newHttpStream();
    const action = stream.sendRequestHeaders(
      { ":method": "GET", ":path": "/", ":authority": "x", ":scheme": "http" },
      { endOfStream: true },
    );
    const calls = host.pendingCalls();
    return { host, stream, action, calls };
  }

  it("loads in Envoy: only Envoy's imports", () => {
    const result = validateModule(readFileSync(wasm));
    expect(result.errors).toEqual([]);
    for (const imp of result.imports) expect(imp.provided, `${imp.module}.${imp.name}`).toBe(true);
  });

  it("pauses the request and calls GET /uuid on cluster httpbin with a 5 s timeout", async () => {
    const { host, action, calls } = await startRequest();
    expect(action).toBe("Pause");
    expect(calls.length).toBe(1);
    const call = calls[0]!;
    expect(call.cluster).toBe("httpbin");
    expect(call.headers.get(":method")).toBe("GET");
    expect(call.headers.get(":path")).toBe("/uuid");
    expect(call.headers.get(":authority")).toBe("httpbin.org");
    expect(call.timeoutMs).toBe(5000);
    expect(call.body.length).toBe(0);
    expect(host.failures).toEqual([]);
  });

  it("answers 200 with the reply's body and content type", async () => {
    const uuid = randomUUID();
    const body = JSON.stringify({ uuid });
    const host = await load({
      httpCallHandler: () => ({ status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body }),
    });
    const result = await host.request({ path: "/anything", headers: { "x-client": "1" } }, () => {
      throw new Error("the upstream must not be reached");
    });
    expect(result.status).toBe(200);
    expect(result.bodyText).toBe(body);
    expect((json(result.bodyText) as { uuid: string }).uuid).toBe(uuid);
    expect(result.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(result.upstreamRequest).toBeNull();
    expect(result.localResponse?.details).toBe("httpbin_uuid");
    expect(host.logs("info")).toContain(`httpbin answered 200 with ${body.length} bytes`);
    expect(host.failures).toEqual([]);
  });

  it("holds a request body until the reply arrives, then answers without the upstream", async () => {
    const host = await load();
    const stream = host.newHttpStream();
    expect(
      stream.sendRequestHeaders({ ":method": "POST", ":path": "/", ":authority": "x" }, { endOfStream: false }),
    ).toBe("Pause");
    stream.sendRequestBody("payload", { endOfStream: true });
    expect(stream.upstreamRequest.complete).toBe(false);
    host.pendingCalls()[0]!.respond({ status: 201, headers: { "content-type": "text/plain" }, body: "made" });
    expect(stream.clientResponse.status).toBe(200);
    expect(stream.clientResponse.bodyText).toBe("made");
    expect(stream.clientResponse.headers.get("content-type")).toBe("text/plain");
    expect(host.failures).toEqual([]);
  });

  it("answers 502 with a JSON error when the call times out (Envoy's 504), and logs why", async () => {
    const { host, stream } = await startRequest();
    host.advance(4999);
    expect(stream.clientResponse.complete).toBe(false);
    host.advance(1);
    expect(stream.clientResponse.status).toBe(502);
    expect(json(stream.clientResponse.bodyText)).toEqual({ error: "httpbin_unavailable", reason: "timeout" });
    expect(stream.clientResponse.headers.get("content-type")).toBe("application/json");
    expect(stream.localResponse?.details).toBe("httpbin_timeout");
    expect(host.logs("warn")).toEqual(["httpbin call timed out after 5000 ms"]);
    expect(host.failures).toEqual([]);
  });

  it("answers 502 when the connection is reset, and logs Envoy's status", async () => {
    const { host, stream, calls } = await startRequest();
    calls[0]!.fail();
    expect(stream.clientResponse.status).toBe(502);
    expect(json(stream.clientResponse.bodyText)).toEqual({ error: "httpbin_unavailable", reason: "reset" });
    expect(host.logs("warn")).toEqual(["httpbin call failed: BrokenConnection reset"]);
    expect(host.failures).toEqual([]);
  });

  it.each([500, 503, 404, 301, 504])(
    "answers 502 when httpbin answers %i, without relaying its body",
    async (status) => {
      const { host, stream, calls } = await startRequest();
      calls[0]!.respond({ status, headers: { "content-type": "text/html" }, body: "<h1>secret upstream page</h1>" });
      expect(stream.clientResponse.status).toBe(502);
      expect(json(stream.clientResponse.bodyText)).toEqual({
        error: "httpbin_unavailable",
        reason: `upstream_status_${status}`,
      });
      expect(stream.clientResponse.bodyText).not.toContain("secret");
      expect(host.logs("warn")).toEqual([`httpbin answered ${status}`]);
      expect(host.failures).toEqual([]);
    },
  );

  it("relays a 1 MiB binary body byte for byte, and refuses one byte more with 502", async () => {
    const big = new Uint8Array(randomBytes(MAX_REPLY_BYTES));
    const ok = await startRequest();
    ok.calls[0]!.respond({ status: 200, headers: { "content-type": "application/octet-stream" }, body: big });
    expect(ok.stream.clientResponse.status).toBe(200);
    expect(Buffer.compare(Buffer.from(ok.stream.clientResponse.body), Buffer.from(big))).toBe(0);
    expect(ok.stream.clientResponse.headers.get("content-type")).toBe("application/octet-stream");

    const tooBig = await startRequest();
    tooBig.calls[0]!.respond({ status: 200, body: new Uint8Array(MAX_REPLY_BYTES + 1) });
    expect(tooBig.stream.clientResponse.status).toBe(502);
    expect(json(tooBig.stream.clientResponse.bodyText)).toEqual({
      error: "httpbin_unavailable",
      reason: "reply_too_large",
    });
    expect(tooBig.host.logs("warn")).toEqual([
      `httpbin reply of ${MAX_REPLY_BYTES + 1} bytes exceeds ${MAX_REPLY_BYTES}`,
    ]);
    expect([...ok.host.failures, ...tooBig.host.failures]).toEqual([]);
  });

  it("keeps memory flat over many calls, including large replies", async () => {
    const body = "u".repeat(64 * 1024);
    const host = await load({ httpCallHandler: () => ({ status: 200, body }) });
    await host.request();
    const before = host.memoryBytes();
    for (let i = 0; i < 300; i++) {
      const r = await host.request();
      expect(r.bodyText.length).toBe(body.length);
    }
    expect(host.memoryBytes() - before).toBeLessThanOrEqual(4 * 65536);
    expect(host.failures).toEqual([]);
  });

  // The bound above allows a few pages, which hides one body kept alive between requests: a 64 KiB
  // reply kept until the next one costs 3 pages. A 1 MiB reply cannot hide: if anything holds the
  // last reply after its handler returned, the next reply needs another 1 MiB of memory.
  // Core's buffer reads once refilled one shared Result per value type, so the last body read
  // stayed reachable until the next read and memory settled at twice the need (1 MiB replies:
  // 4,864 instead of 2,432 KiB); they now make a fresh Result per read.
  it("frees each reply after its handler: the next 1 MiB reply reuses its memory", async () => {
    const body = new Uint8Array(MAX_REPLY_BYTES).fill(0x75);
    const host = await load({ httpCallHandler: () => ({ status: 200, body }) });
    await host.request();
    const afterFirst = host.memoryBytes();
    for (let i = 0; i < 20; i++) {
      const r = await host.request();
      expect(r.body.length).toBe(MAX_REPLY_BYTES);
    }
    expect(host.memoryBytes() - afterFirst).toBeLessThan(MAX_REPLY_BYTES);
    expect(host.failures).toEqual([]);
  });

  it("answers 502 call_refused when Envoy has no cluster named httpbin", async () => {
    const { host, stream, calls } = await startRequest({ clusters: ["other"] });
    expect(calls).toEqual([]);
    expect(stream.clientResponse.status).toBe(502);
    expect(json(stream.clientResponse.bodyText)).toEqual({ error: "httpbin_unavailable", reason: "call_refused" });
    expect(host.logs("warn")).toEqual(["proxy_http_call to cluster httpbin refused: BadArgument"]);
  });

  it("drops the reply quietly when the client went away first", async () => {
    const { host, stream, calls } = await startRequest();
    stream.complete();
    calls[0]!.respond({ status: 200, body: "late" });
    expect(host.logs("warn")).toEqual([]);
    expect(host.failures).toEqual([]);
  });

  it("takes cluster, authority and timeout from the plugin configuration (Istio's JSON)", async () => {
    const cluster = "outbound|80||httpbin.default.svc.cluster.local";
    const { host, calls } = await startRequest({
      clusters: [cluster],
      pluginConfig: { cluster, authority: "httpbin.default", timeout_ms: 1500 },
    });
    expect(calls.map((c) => [c.cluster, c.headers.get(":authority"), c.timeoutMs])).toEqual([
      [cluster, "httpbin.default", 1500],
    ]);
    host.advance(1500);
    expect(host.logs("warn")).toEqual(["httpbin call timed out after 1500 ms"]);
  });

  it.each([
    ["[1]", "configuration: must be a JSON object, got an array"],
    ["{not json", "configuration: invalid JSON: unexpected character at byte 1"],
    ['{"cluster": ""}', "cluster: must not be empty"],
    ['{"authority": 5}', "authority: must be a string, got a number"],
    ['{"timeout_ms": 0}', "timeout_ms: must be an integer from 1 to 60000, got 0"],
    ['{"timeout_ms": 1.5}', "timeout_ms: must be an integer from 1 to 60000, got 1.5"],
    ['{"timeout_ms": 60001}', "timeout_ms: must be an integer from 1 to 60000, got 60001"],
    ['{"clustr": "x"}', "clustr: unknown field"],
    // Every error in one line, in reading order, not only the first.
    [
      '{"clustr": "x", "authority": "", "timeout_ms": "5000"}',
      "clustr: unknown field; authority: must not be empty; timeout_ms: must be an integer from 1 to 60000, got a string",
    ],
  ])("rejects the configuration %s: Envoy refuses the config, the log says why", async (config, why) => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await expect(load({ pluginConfig: config, echoLogs: true })).rejects.toThrow("proxy_on_configure returned false");
      expect(printed.mock.calls.map((c) => String(c[0]))).toContainEqual(
        expect.stringContaining(`[error] wasm log http-call (worker 0): http-call: bad configuration: ${why}`),
      );
    } finally {
      printed.mockRestore();
    }
  });

  it("accepts the largest timeout and an empty object", async () => {
    for (const config of ['{"timeout_ms": 60000}', "{}", ""]) {
      const host = await load({ pluginConfig: config });
      expect(host.failures).toEqual([]);
    }
  });
});
