// SPDX-License-Identifier: Apache-2.0
// `getwild serve` end to end: real HTTP from a client, through the compiled test filter, to a real upstream.
import { describe, it, expect, vi } from "vitest";
import http from "node:http";
import net from "node:net";
import { start, upstreamServer, scenario, waitFor } from "./serve_helpers.js";

describe("getwild serve: requests through the filter", () => {
  it("passes a request to the upstream and the response back through the filter", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(`${server.url}/a/b?x=1`, scenario("none", { headers: { "x-custom": "1" } }));
    expect(r.status).toBe(200);
    expect(r.headers.get("hello")).toBe("world"); // added in on_response_headers
    expect(await r.text()).toBe("upstream:");
    expect(up.seen).toHaveLength(1);
    expect(up.seen[0]!.url).toBe("/a/b?x=1");
    expect(up.seen[0]!.headers["x-custom"]).toBe("1");
    expect(up.seen[0]!.headers["x-forwarded-proto"]).toBe("http");
    expect(up.seen[0]!.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(up.seen[0]!.headers.host).toBe(new URL(server.url).host);
    const logs = server.host.logs("info");
    expect(logs.some((l) => /^request_headers n=\d+ eos=1 path=\/a\/b\?x=1$/.test(l))).toBe(true);
    // The stream ended like Envoy ends it: log, done, delete.
    const [log, done, del] = ["log ", "done ", "delete "].map((p) => logs.findIndex((l) => l.startsWith(p)));
    expect(log).toBeGreaterThan(-1);
    expect(done).toBeGreaterThan(log);
    expect(del).toBeGreaterThan(done);
    expect(server.lines.at(-1)).toMatch(/^GET \/a\/b\?x=1 -> 200 via_upstream \d+ms$/);
  });

  it("forwards headers named like Object.prototype members as plain headers (upstream and echo upstream)", async () => {
    // A raw request, because fetch and http.request objects cannot carry a `__proto__` header name.
    const get = (url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const socket = net.connect(Number(new URL(url).port), "127.0.0.1");
        let raw = "";
        socket.on("data", (c) => (raw += c));
        socket.on("end", () => {
          const [head, ...body] = raw.split("\r\n\r\n");
          resolve({ status: Number(head!.split(" ")[1]), body: body.join("\r\n\r\n") });
        });
        socket.on("error", reject);
        socket.write(
          "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nx-scenario: none\r\nconstructor: c\r\n__proto__: p1\r\n__proto__: p2\r\n\r\n",
        );
      });
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    expect((await get(server.url)).status).toBe(200);
    expect(up.seen[0]!.headers["constructor"]).toBe("c");
    // node's req.headers itself drops `__proto__`; the echo upstream reads rawHeaders, so it is checked there.
    const echoing = await start();
    const echoed = JSON.parse((await get(echoing.url)).body) as { headers: Record<string, unknown> };
    expect(echoed.headers["constructor"]).toBe("c");
    expect(Object.getOwnPropertyDescriptor(echoed.headers, "__proto__")?.value).toEqual(["p1", "p2"]);
  });

  it("answers 400 to an absolute URL that does not parse, without calling the upstream, and keeps serving", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const status = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(server.port, "127.0.0.1");
      let raw = "";
      socket.on("data", (c) => (raw += c));
      socket.on("end", () => resolve(raw.split("\r\n")[0]!));
      socket.on("error", reject);
      socket.write("GET http://[ HTTP/1.1\r\nHost: a\r\n\r\n");
    });
    expect(status).toBe("HTTP/1.1 400 Bad Request");
    expect(up.seen).toHaveLength(0);
    expect(server.lines.at(-1)).toMatch(/^GET http:\/\/\[ -> 400 http1.codec_error \d+ms$/);
    expect((await fetch(server.url, scenario("none"))).status).toBe(200);
  });

  it("sends the filter's local reply as Envoy does, without contacting the upstream", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(server.url, scenario("deny"));
    expect(r.status).toBe(403);
    expect(r.headers.get("x-deny")).toBe("1");
    expect(r.headers.get("content-type")).toBe("text/plain");
    expect(r.headers.get("content-length")).toBe("4");
    expect(r.headers.get("hello")).toBe("world"); // the reply went through on_response_headers
    expect(await r.text()).toBe("nope");
    expect(up.seen).toHaveLength(0);
    expect(server.lines.at(-1)).toMatch(/-> 403 access__denied_now /);
  });

  it("sends a gRPC client a trailers-only reply", async () => {
    const server = await start();
    const r = await fetch(
      server.url,
      scenario("deny-grpc", { method: "POST", body: "x", headers: { "content-type": "application/grpc" } }),
    );
    expect(r.status).toBe(200);
    expect(r.headers.get("grpc-status")).toBe("7");
    expect(await r.text()).toBe("");
  });

  it("sends a local reply made in on_response_headers instead of the upstream's response", async () => {
    const up = await upstreamServer((_s, res) => {
      res.writeHead(200, { "content-length": "100000" });
      res.write("x".repeat(50_000));
      setTimeout(() => res.end("y".repeat(50_000)), 30);
    });
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(server.url, scenario("deny-response"));
    expect(r.status).toBe(502);
    expect(await r.text()).toBe("");
    expect(server.lines.at(-1)).toMatch(/-> 502 late_reply /);
    // The proxy keeps working afterwards.
    expect((await fetch(server.url, scenario("deny"))).status).toBe(403);
  });

  it("delivers a buffered, rewritten request body upstream with its new length", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(server.url, scenario("buffer-body", { method: "POST", body: "shout this" }));
    expect(await r.text()).toBe("upstream:SHOUT THIS");
    expect(up.seen[0]!.headers["content-length"]).toBe("10");
    expect(server.host.logs("info")).toContain("body=shout this");
  });

  it("rewrites a buffered response body; headers already sent without a length go chunked", async () => {
    const up = await upstreamServer((_s, res) => {
      res.write("part1-");
      setTimeout(() => res.end("part2"), 20);
    });
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(server.url, scenario("rewrite-response"));
    expect(await r.text()).toBe("[part1-part2]");
    expect(r.headers.get("transfer-encoding")).toBe("chunked");
  });

  it("resets the stream when the filter changes a body's size under a content-length it left in place", async () => {
    const up = await upstreamServer((_s, res) => {
      res.writeHead(200, { "content-length": "11" });
      res.end("hello there");
    });
    const server = await start({ upstream: new URL(up.url) });
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    try {
      await expect(fetch(server.url, scenario("rewrite-response")).then((r) => r.text())).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(errors.join("\n")).toMatch(
      /the filter sent 2 bytes more than the response's content-length; remove content-length/,
    );
    expect(server.lines.at(-1)).toMatch(/-> reset response_content_length_mismatch/);
  });

  it("streams large bodies both ways unchanged", async () => {
    const up = await upstreamServer((s, res) => res.end(s.body.split("").reverse().join("")));
    const server = await start({ upstream: new URL(up.url) });
    const body = Array.from({ length: 300_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
    const r = await fetch(server.url, scenario("none", { method: "PUT", body }));
    expect(await r.text()).toBe(body.split("").reverse().join(""));
    expect(up.seen[0]!.body).toBe(body);
    expect(up.seen[0]!.headers["content-length"]).toBe(String(body.length));
  });

  it("answers Expect: 100-continue itself and does not forward the header", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const { port } = new URL(server.url);
    const reply = await new Promise<{ status: number; body: string; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = http.request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: { expect: "100-continue", "content-length": "5", "x-scenario": "none" },
      });
      req.on("continue", () => {
        continued = true;
        req.end("hello");
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body, continued }));
      });
      req.on("error", reject);
    });
    expect(reply).toEqual({ status: 200, body: "upstream:hello", continued: true });
    expect(up.seen[0]!.headers.expect).toBeUndefined();
    expect(server.host.logs("info").some((l) => l.startsWith("request_headers") && l.includes("eos=0"))).toBe(true);
  });

  it("answers 413 when a paused filter buffers more than the buffer limit", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    const r = await fetch(server.url, scenario("buffer-body", { method: "POST", body: "x".repeat(1024 * 1024 + 10) }));
    expect(r.status).toBe(413);
    expect(up.seen).toHaveLength(0);
  });

  it("HEAD and 204 responses carry no body", async () => {
    const up = await upstreamServer((s, res) => {
      if (s.url === "/nothing") {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { "content-length": "11" });
        res.end(s.method === "HEAD" ? undefined : "hello there");
      }
    });
    const server = await start({ upstream: new URL(up.url) });
    const head = await fetch(server.url, scenario("none", { method: "HEAD" }));
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("11");
    expect(await head.text()).toBe("");
    const empty = await fetch(`${server.url}/nothing`, scenario("none"));
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("answers 503 like Envoy when the upstream refuses the connection", async () => {
    const up = await upstreamServer();
    const deadUrl = new URL(up.url);
    await up.close();
    const server = await start({ upstream: deadUrl });
    const r = await fetch(server.url, scenario("none"));
    expect(r.status).toBe(503);
    expect(await r.text()).toBe(
      "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure",
    );
    expect(r.headers.get("hello")).toBe("world");
    expect(server.lines.at(-1)).toContain(
      "upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_Connection_refused}",
    );
  });

  it("answers 504 when the upstream does not answer within the route timeout", async () => {
    const up = await upstreamServer(() => undefined);
    const server = await start({ upstream: new URL(up.url) }, 300);
    const r = await fetch(server.url, scenario("none"));
    expect(r.status).toBe(504);
    expect(await r.text()).toBe("upstream request timeout");
    expect(server.lines.at(-1)).toContain(" response_timeout ");
  });

  it("resets the client connection when the filter closes the stream", async () => {
    const up = await upstreamServer();
    const server = await start({ upstream: new URL(up.url) });
    await expect(fetch(server.url, scenario("close"))).rejects.toThrow();
    expect(server.lines.at(-1)).toMatch(/-> reset /);
  });

  it("FAIL_CLOSED: a trap answers 503 and the VM stays failed; FAIL_OPEN: the trap answers 503, later requests bypass the filter", async () => {
    const up = await upstreamServer();
    const closed = await start({ upstream: new URL(up.url) });
    expect((await fetch(closed.url, scenario("trap"))).status).toBe(503);
    expect((await fetch(closed.url, scenario("none"))).status).toBe(503);
    expect(closed.host.failures[0]!.message).toMatch(/proxy_on_request_headers failed/);
    expect(up.seen).toHaveLength(0);
    const open = await start({ upstream: new URL(up.url), failurePolicy: "FAIL_OPEN" });
    // The trapping request itself is answered 503, as in Envoy; only later ones bypass the filter.
    expect((await fetch(open.url, scenario("trap"))).status).toBe(503);
    expect(up.seen).toHaveLength(0);
    const after = await fetch(open.url, scenario("none"));
    expect(after.status).toBe(200);
    expect(after.headers.get("hello")).toBeNull(); // the filter is bypassed
  });

  it("FAIL_RELOAD: after a trap, 503 during Envoy's back-off (1 s of host time), then a fresh VM", async () => {
    const server = await start({ failurePolicy: "FAIL_RELOAD" });
    expect((await fetch(server.url, scenario("trap"))).status).toBe(503);
    expect((await fetch(server.url, scenario("none"))).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const next = await fetch(server.url, scenario("none"));
    expect(next.status).toBe(200);
    expect(next.headers.get("hello")).toBe("world");
  });

  it("gives the filter --vm-id as plugin_vm_id (Envoy's vm_config.vm_id)", async () => {
    const server = await start({ vmId: "shared-vm" });
    expect((await fetch(server.url, scenario("props"))).status).toBe(200);
    expect(server.host.logs("info")).toContain("plugin_name=test root_id=test vm_id=shared-vm node_id=<null>");
  });

  it("prints the filter's logs at or above --log-level, before the request's access-log line", async () => {
    const printed: string[] = [];
    const { serve } = await import("../src/cli/serve.js");
    const { options, cleanups } = await import("./serve_helpers.js");
    for (const logLevel of ["info", "warn"] as const) {
      printed.length = 0;
      const server = await serve(options({ logLevel }), {
        accessLog: (l) => printed.push(l),
        filterLog: (l) => printed.push(l),
      });
      cleanups.push(() => server.close());
      await fetch(server.url, scenario("none"));
      const info = printed.filter((l) => /^\[info\] wasm log test \(worker 0\): /.test(l));
      if (logLevel === "info") {
        expect(info.some((l) => l.endsWith("configure config="))).toBe(true);
        const logLine = printed.findIndex((l) => /\): log \d+ status=200$/.test(l));
        expect(logLine).toBeGreaterThan(-1);
        expect(printed.findIndex((l) => l.startsWith("GET / -> 200"))).toBeGreaterThan(logLine);
      } else {
        expect(info).toEqual([]);
        expect(printed.some((l) => l.startsWith("GET / -> 200"))).toBe(true);
      }
    }
  });

  it("spreads requests over worker VMs", async () => {
    const server = await start({ workers: 2 });
    for (let i = 0; i < 4; i++) expect((await fetch(server.url, scenario("none"))).status).toBe(200);
    const vms = new Set(server.host.logRecords.filter((r) => r.message.startsWith("request_headers")).map((r) => r.vm));
    expect([...vms].sort()).toEqual(["worker 0", "worker 1"]);
  });

  it("ends the stream (on_log, on_done, on_delete) when the client goes away", async () => {
    const up = await upstreamServer(() => undefined);
    const server = await start({ upstream: new URL(up.url) });
    const controller = new AbortController();
    const pending = fetch(server.url, { ...scenario("none"), signal: controller.signal });
    await waitFor(() => up.seen.length === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => server.host.logs("info").some((l) => l.startsWith("delete ")));
    expect(server.lines.at(-1)).toMatch(/-> reset downstream_remote_disconnect/);
  });

  it("fires on_tick in real time", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const config = join(mkdtempSync(join(tmpdir(), "getwild-serve-")), "config.txt");
    writeFileSync(config, "tick=30");
    const server = await start({ config });
    await waitFor(() => server.host.logs("info").filter((l) => l === "tick").length >= 3);
    expect(server.host.metric("ticks")).toBeGreaterThanOrEqual(3);
  });
});
