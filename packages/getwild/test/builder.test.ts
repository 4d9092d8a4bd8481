// SPDX-License-Identifier: Apache-2.0
// The reply builder, the matchers and GET_WILD, through the compiled builder fixture in @getwild/host.
import { describe, it, expect, beforeAll } from "vitest";
import { createHost, type Host } from "@getwild/host";
import { builds } from "./paths.js";

describe.each(builds("builder"))("builder fixture ($target)", ({ wasm }) => {
  let host: Host;
  beforeAll(async () => {
    host = await createHost({ wasm, rootId: "builder" });
  });

  it("sends status, repeated headers and a UTF-8 text body, and stops the request", async () => {
    const r = await host.request({ path: "/text" }, { status: 200, body: "upstream" });
    expect(r.status).toBe(201);
    expect(r.headers.getAll("x-multi")).toEqual(["one", "two"]);
    expect(r.bodyText).toBe("héllo\n");
    expect(r.headers.get("content-length")).toBe(String(Buffer.byteLength("héllo\n")));
    expect(r.headers.get("content-type")).toBe("text/plain"); // Envoy's default for a body
    expect(r.upstreamRequest).toBeNull();
    expect(r.localResponse?.details).toBe("getwild");
  });

  it("returns Pause from the callback that sent the reply", () => {
    const stream = host.newHttpStream();
    const action = stream.sendRequestHeaders(
      { ":method": "GET", ":path": "/text", ":authority": "h", ":scheme": "http" },
      { endOfStream: true },
    );
    expect(action).toBe("Pause");
    expect(stream.localResponse?.status).toBe(201);
    expect(stream.upstreamRequest.headers).toBeNull();
    stream.complete();
  });

  it("sends a byte body exactly, with its own content-type", async () => {
    const r = await host.request({ path: "/bytes" });
    expect(r.status).toBe(200);
    expect([...r.body]).toEqual([0xff, 0x00, 0x41, 0x80]);
    expect(r.headers.getAll("content-type")).toEqual(["application/octet-stream"]);
  });

  it("gives gRPC clients the asked gRPC status in a trailers-only reply", async () => {
    const grpc = await host.request({ method: "POST", path: "/grpc", headers: { "content-type": "application/grpc" } });
    expect(grpc.localResponse?.grpcStatus).toBe(14);
    expect(grpc.status).toBe(200);
    expect(grpc.headers.get("grpc-status")).toBe("14");
    // Envoy percent-encodes only bytes outside printable ASCII and '%' (tests/envoy differential row local-grpc).
    expect(grpc.headers.get("grpc-message")).toBe("backend unavailable");
    const plain = await host.request({ path: "/grpc" });
    expect(plain.status).toBe(503);
    expect(plain.bodyText).toBe("backend unavailable");
    expect(plain.headers.has("grpc-status")).toBe(false);
  });

  it("treats a gRPC status outside 0..16 as none", async () => {
    const r = await host.request({ path: "/bad-grpc" });
    expect(r.localResponse?.grpcStatus).toBeNull();
    expect(r.status).toBe(500);
  });

  it("sends no body, content-type or content-length for an empty text", async () => {
    const r = await host.request({ path: "/empty" });
    expect(r.status).toBe(204);
    expect(r.body.length).toBe(0);
    expect(r.headers.has("content-type")).toBe(false);
    expect(r.headers.has("content-length")).toBe(false);
  });

  it("lets other paths reach the upstream untouched", async () => {
    const r = await host.request({ path: "/elsewhere", method: "PUT", body: "data" }, { status: 202, body: "ok" });
    expect(r.status).toBe(202);
    expect(r.bodyText).toBe("ok");
    expect(r.upstreamRequest?.headers?.get(":path")).toBe("/elsewhere");
    expect(r.localResponse).toBeNull();
  });

  it("splits the query string off the path", async () => {
    const r = await host.request({ path: "/text?x=1&y=2#frag" });
    expect(r.status).toBe(201);
    expect(host.logs("info")).toContain("path=/text query=x=1&y=2");
  });

  describe("GET_WILD", () => {
    it("is a 418 with powered-by, an ASCII art body and Envoy's content-length", async () => {
      const r = await host.request({ path: "/getwild" });
      expect(r.status).toBe(418);
      expect(r.headers.get("powered-by")).toBe("getwild");
      expect(r.headers.get("content-type")).toBe("text/plain; charset=us-ascii");
      expect(r.headers.get("content-length")).toBe(String(r.body.length));
      expect(r.body.length).toBeGreaterThan(200);
      expect([...r.body].every((b) => b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
      expect(r.bodyText.endsWith("\n")).toBe(true);
      expect(r.bodyText).toMatch(/I'M A/);
      expect(r.localResponse?.details).toBe("getwild_teapot");
    });

    it("is answered the same every time (the shared value is not consumed)", async () => {
      const first = await host.request({ path: "/getwild" });
      const second = await host.request({ path: "/getwild" });
      expect(second.bodyText).toBe(first.bodyText);
      expect(second.headers.toObject()).toEqual(first.headers.toObject());
    });

    it("clone() and getWildReply() give independent copies", async () => {
      const base = await host.request({ path: "/getwild" });
      const modified = await host.request({ path: "/getwild-modified" });
      const fresh = await host.request({ path: "/getwild-fresh" });
      expect(modified.headers.get("x-extra")).toBe("yes");
      expect(base.headers.has("x-extra")).toBe(false);
      expect(modified.bodyText).toBe(base.bodyText);
      expect(fresh.status).toBe(419);
      expect(base.status).toBe(418);
    });
  });

  describe("matchers and Responder", () => {
    const cases: [
      string,
      { method?: string; path: string; headers?: Record<string, string>; authority?: string },
      number,
    ][] = [
      ["method and prefix both hold", { method: "DELETE", path: "/rules/api/items/1" }, 405],
      ["prefix holds, method does not", { method: "GET", path: "/rules/api/items/1" }, 200],
      ["method holds, prefix does not", { method: "DELETE", path: "/rules/other" }, 200],
      ["prefix is matched without the query", { method: "DELETE", path: "/rules/api/?a=/b" }, 405],
      ["a query does not turn a prefix miss into a match", { method: "DELETE", path: "/rules/ap?i/" }, 200],
      ["header equal and header present", { path: "/rules/x", headers: { "x-env": "prod", "x-debug": "" } }, 403],
      ["header equal without the present one", { path: "/rules/x", headers: { "x-env": "prod" } }, 200],
      ["header present with another value", { path: "/rules/x", headers: { "x-env": "dev", "x-debug": "1" } }, 200],
      ["header names are case-insensitive", { path: "/rules/x", headers: { "X-Env": "prod", "X-DEBUG": "1" } }, 403],
      ["header values are case-sensitive", { path: "/rules/x", headers: { "x-env": "PROD", "x-debug": "1" } }, 200],
      ["not(GET|HEAD) and exact path", { method: "POST", path: "/rules/readonly" }, 409],
      ["GET is excluded by not()", { method: "GET", path: "/rules/readonly" }, 200],
      ["exact path is exact", { method: "POST", path: "/rules/readonly/more" }, 200],
      ["exact path ignores the query", { method: "POST", path: "/rules/readonly?force=1" }, 409],
      ["methods are case-sensitive", { method: "delete", path: "/rules/api/x" }, 200],
      ["anyOf: first", { path: "/rules/a" }, 207],
      ["anyOf: second", { path: "/rules/b" }, 207],
      ["anyOf: neither", { path: "/rules/c" }, 200],
      ["pseudo-header :authority", { path: "/rules/z", authority: "teapot.local" }, 418],
      [
        "first matching rule wins",
        { method: "DELETE", path: "/rules/api/a", headers: { "x-env": "prod", "x-debug": "1" } },
        405,
      ],
    ];
    it.each(cases)("%s", async (_name, req, status) => {
      const r = await host.request(req, { status: 200, body: "from upstream" });
      expect(r.status).toBe(status);
      expect(r.upstreamRequest === null).toBe(status !== 200);
    });

    it("matches a repeated header on any of its values", async () => {
      const headers: [string, string][] = [
        [":method", "GET"],
        [":path", "/rules/x"],
        [":authority", "h"],
        [":scheme", "http"],
        ["x-env", "dev"],
        ["x-env", "prod"],
        ["x-debug", "1"],
      ];
      const stream = host.newHttpStream();
      expect(stream.sendRequestHeaders(headers, { endOfStream: true })).toBe("Pause");
      expect(stream.localResponse?.status).toBe(403);
      stream.complete();
    });
  });
});
