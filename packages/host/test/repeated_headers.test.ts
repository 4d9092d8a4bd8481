// SPDX-License-Identifier: Apache-2.0
// Repeated headers (two `accept`, two `set-cookie`) keep every value in order, as Envoy's header map does: host.request() and getwild serve.
import { describe, it, expect } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { filterHost } from "./helpers.js";
import { start, cleanups } from "./serve_helpers.js";

describe("host.request(): repeated headers", () => {
  it("keeps repeated request and reply headers given as pairs, in order", async () => {
    const host = await filterHost();
    const r = await host.request(
      {
        headers: [
          ["x-scenario", "multi"],
          ["accept", "text/html"],
          ["x-b", "1"],
          ["accept", "application/json"],
        ],
      },
      (up) => {
        expect(up.headers!.getAll("accept")).toEqual(["text/html", "application/json"]);
        return {
          status: 200,
          headers: [
            ["set-cookie", "a=1"],
            ["x-other", "o"],
            ["set-cookie", "b=2"],
          ],
        };
      },
    );
    expect(host.logs("info")).toContain("accept=text/html|application/json x-b=1");
    expect(host.logs("info")).toContain("set-cookie=a=1|b=2");
    expect(r.headers.getAll("set-cookie")).toEqual(["a=1", "b=2"]);
    expect(r.status).toBe(200);
  });

  it("reads an object with an array value as several values; explicit pseudo-headers replace the defaults", async () => {
    const host = await filterHost();
    const r = await host.request(
      { path: "/ignored", headers: { ":path": "/given", "x-scenario": "multi", accept: ["a", "b", "c"] } },
      { status: 201, headers: { ":status": "202", "set-cookie": ["s=1", "t=2"] } },
    );
    expect(host.logs("info")).toContain("accept=a|b|c x-b=");
    expect(r.upstreamRequest!.headers!.getAll(":path")).toEqual(["/given"]);
    expect(r.status).toBe(202);
    expect(r.headers.getAll(":status")).toEqual(["202"]);
    expect(r.headers.getAll("set-cookie")).toEqual(["s=1", "t=2"]);
  });
});

/** An upstream that records the raw request header lines and answers with two set-cookie lines. */
async function cookieUpstream(): Promise<{ url: URL; raw: string[][] }> {
  const raw: string[][] = [];
  const server = http.createServer((req, res) => {
    raw.push(req.rawHeaders);
    req.resume();
    req.on("end", () => {
      res.setHeader("set-cookie", ["a=1; Path=/", "b=2; HttpOnly"]);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), raw };
}

/** Values of `name` in node rawHeaders, one per header line. */
const linesOf = (raw: string[], name: string): string[] =>
  raw.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === name ? [raw[i + 1]!] : []));

describe("getwild serve: repeated headers", () => {
  it("passes two accept lines from a real client and two set-cookie lines from a real upstream intact", async () => {
    const up = await cookieUpstream();
    const server = await start({ upstream: up.url });
    const res = await new Promise<http.IncomingMessage & { text: string }>((resolve, reject) => {
      const req = http.request(
        server.url,
        { headers: { "x-scenario": "multi", accept: ["text/html", "application/json"] } },
        (r) => {
          let text = "";
          r.on("data", (c: Buffer) => (text += c));
          r.on("end", () => resolve(Object.assign(r, { text })));
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(res.statusCode).toBe(200);
    expect(res.text).toBe("ok");
    expect(linesOf(res.rawHeaders, "set-cookie")).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(linesOf(up.raw[0]!, "accept")).toEqual(["text/html", "application/json"]);
    const logs = server.host.logs("info");
    expect(logs).toContain("accept=text/html|application/json x-b=");
    expect(logs).toContain("set-cookie=a=1; Path=/|b=2; HttpOnly");
  });
});
