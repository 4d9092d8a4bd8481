// SPDX-License-Identifier: Apache-2.0
// HTTP callouts: configured clusters, required headers, per-VM tokens, answering, failing and timing out calls, automatic answers.
import { describe, expect, it } from "vitest";
import { filterHost, req, workerLogs } from "./helpers.js";

describe("http callouts", () => {
  it("records the call with Envoy's checks and tokens 4, 8, … per VM", async () => {
    const host = await filterHost({ canary: false, workers: 2 });
    host.newHttpStream({ worker: 0 }).sendRequestHeaders(req("callout"), { endOfStream: true });
    host.newHttpStream({ worker: 0 }).sendRequestHeaders(req("callout"), { endOfStream: true });
    host.newHttpStream({ worker: 1 }).sendRequestHeaders(req("callout"), { endOfStream: true });
    const calls = host.pendingCalls();
    expect(calls.map((c) => [c.worker, c.token])).toEqual([
      [0, 4],
      [0, 8],
      [1, 4],
    ]);
    const c = calls[0]!;
    expect(c.cluster).toBe("auth");
    expect(c.headers.toObject()).toEqual({
      ":method": "GET",
      ":path": "/check",
      ":authority": "auth.local",
      "content-length": "3",
    });
    expect(c.bodyText).toBe("q=1");
    expect(c.timeoutMs).toBe(500);
    expect(workerLogs(host, 0)).toContain("callout status=Ok token=4");
  });

  it("refuses unknown clusters and calls without :authority (BAD_ARGUMENT)", async () => {
    const host = await filterHost({ canary: false });
    await host.request({ headers: { "x-scenario": "callout-bad" } });
    expect(host.logs("info")).toContain("unknown_cluster=BadArgument missing_authority=BadArgument");
    expect(host.pendingCalls()).toEqual([]);
  });

  it("delivers a response on the root context; the plugin answers the stream through the effective context", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("callout"), { endOfStream: true });
    host.pendingCalls()[0]!.respond({ status: 403, body: "no" });
    expect(host.logs("info")).toContain("auth status=403 body=no x-user=<null>");
    expect(s.clientResponse.status).toBe(401);
    expect(s.clientResponse.bodyText).toBe("denied");
    expect(host.pendingCalls()).toEqual([]);
  });

  it('fails a call like a reset: no headers, get_status 11 "reset"', async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("callout"), { endOfStream: true });
    host.pendingCalls()[0]!.fail();
    expect(host.logs("info")).toContain("auth failed code=BrokenConnection msg=reset");
    expect(s.clientResponse.status).toBe(503);
    expect(s.localResponse?.details).toBe("auth_unreachable");
  });

  it("times calls out when time passes their timeout: Envoy's 504 through the success path", async () => {
    const host = await filterHost({ canary: false });
    const s = host.newHttpStream();
    s.sendRequestHeaders(req("callout"), { endOfStream: true });
    host.advance(499);
    expect(host.pendingCalls().length).toBe(1);
    host.advance(1);
    expect(host.pendingCalls().length).toBe(0);
    expect(host.logs("info")).toContain("auth status=504 body=upstream request timeout x-user=<null>");
    expect(s.clientResponse.status).toBe(401);
  });

  it("refuses to answer a call twice", async () => {
    const host = await filterHost({ canary: false });
    host.newHttpStream().sendRequestHeaders(req("callout"), { endOfStream: true });
    const call = host.pendingCalls()[0]!;
    call.timeout();
    expect(() => call.respond({})).toThrow("http call 4 is not pending");
  });

  it("answers calls automatically through httpCallHandler, and request() drives the whole stream", async () => {
    const host = await filterHost({
      canary: false,
      httpCallHandler: async (call) => ({ status: 200, headers: { "x-user": call.headers.get(":authority")! } }),
    });
    const r = await host.request({ path: "/x", headers: { "x-scenario": "callout" } }, (up) => ({
      status: 201,
      body: `user=${up.headers!.get("x-user")}`,
    }));
    expect(r.status).toBe(201);
    expect(r.bodyText).toBe("user=auth.local");
    expect(r.headers.get("hello")).toBe("world");
    expect(r.stalled).toBe(false);
  });

  it("reports a stalled request when nobody answers the call", async () => {
    const host = await filterHost({ canary: false });
    const r = await host.request({ headers: { "x-scenario": "callout" } });
    expect(r.stalled).toBe(true);
    expect(r.stream.requestPaused).toBe(true);
  });

  it("cancels pending calls when the root context goes away", async () => {
    const host = await filterHost({ canary: false });
    host.newHttpStream().sendRequestHeaders(req("callout"), { endOfStream: true });
    host.close();
    expect(host.pendingCalls()).toEqual([]);
  });
});

describe("fetchCallHandler", () => {
  it("performs the callout over HTTP against the URL mapped to the cluster", async () => {
    const { createServer } = await import("node:http");
    const { fetchCallHandler } = await import("../src/index.js");
    const seen: string[] = [];
    const server = createServer((rq, rs) => {
      seen.push(`${rq.method} ${rq.url}`);
      rs.writeHead(200, { "x-user": "bob" }).end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as { port: number }).port;
      const host = await filterHost({
        canary: false,
        httpCallHandler: fetchCallHandler({ auth: `http://127.0.0.1:${port}` }),
      });
      const r = await host.request({ headers: { "x-scenario": "callout" } }, (up) => ({
        body: up.headers!.get("x-user")!,
      }));
      expect(seen).toEqual(["GET /check"]);
      expect(r.bodyText).toBe("bob");
    } finally {
      server.close();
    }
  });
});
