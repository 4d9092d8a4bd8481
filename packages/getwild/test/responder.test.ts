// SPDX-License-Identifier: Apache-2.0
// The config-driven responder plugin through the compiled responder fixture in @getwild/host:
// rules answer in order, unmatched requests pass on, bad configurations are refused with the field named.
import { describe, it, expect, vi, afterEach } from "vitest";
import { createHost, HostLoadError } from "@getwild/host";
import { builds } from "./paths.js";

const config = {
  rules: [
    {
      match: { method: ["GET", "HEAD"], path: "/teapot" },
      status: 418,
      headers: { "powered-by": "getwild", "set-cookie": ["a=1", "b=2"] },
      body: "short and stout\n",
      details: "teapot rule",
    },
    { match: { prefix: "/old/", not: { headers: { "x-keep": true } } }, status: 410, body: "gone\n" },
    { match: { headers: { "x-env": "prod", "x-debug": true } }, status: 403 },
    { match: { any: [{ path: "/a" }, { path: "/b", method: "POST" }] }, status: 202, body: "a|post b" },
    {
      match: { headers: { authorization: false }, prefix: "/private/" },
      status: 401,
      body: "who are you?",
      grpc_status: 16,
    },
    { match: { method: "PATCH" }, status: 200, body: "patched locally" },
  ],
};

/** Runs fn with console.log captured (the host echoes plugin logs there); returns what was printed. */
async function captureLogs(fn: () => Promise<unknown>): Promise<{ lines: string[]; error: unknown }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  let error: unknown = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    spy.mockRestore();
  }
  return { lines, error };
}

afterEach(() => vi.restoreAllMocks());

describe.each(builds("responder"))("responder plugin ($target)", ({ wasm }) => {
  const start = (pluginConfig: unknown) =>
    createHost({
      wasm,
      rootId: "responder",
      pluginConfig: typeof pluginConfig === "string" ? pluginConfig : JSON.stringify(pluginConfig),
    });

  describe("with a valid configuration", () => {
    const cases: [string, { method?: string; path: string; headers?: Record<string, string> }, number][] = [
      ["exact path and method list", { method: "GET", path: "/teapot" }, 418],
      ["exact path with a query", { method: "HEAD", path: "/teapot?milk=no" }, 418],
      ["method outside the list", { method: "POST", path: "/teapot" }, 0],
      ["prefix without the excluded header", { path: "/old/page" }, 410],
      ["prefix with the excluded header", { path: "/old/page", headers: { "x-keep": "1" } }, 0],
      ["header equal and present", { path: "/x", headers: { "x-env": "prod", "x-debug": "" } }, 403],
      ["header equal only", { path: "/x", headers: { "x-env": "prod" } }, 0],
      ["any: first alternative", { method: "GET", path: "/a" }, 202],
      ["any: second alternative needs POST", { method: "GET", path: "/b" }, 0],
      ["any: second alternative", { method: "POST", path: "/b" }, 202],
      ["header absent", { path: "/private/x" }, 401],
      ["header absent, but it is there", { path: "/private/x", headers: { authorization: "Bearer x" } }, 0],
      ["rule order: the teapot rule is before PATCH", { method: "PATCH", path: "/elsewhere" }, 200],
      ["no rule", { method: "GET", path: "/" }, 0],
    ];
    it.each(cases)("%s", async (_name, req, status) => {
      const host = await start(config);
      const r = await host.request(req, { status: 299, body: "upstream" });
      if (status === 0) {
        expect(r.localResponse).toBeNull();
        expect(r.status).toBe(299);
        expect(r.upstreamRequest?.headers?.get(":path")).toBe(req.path);
      } else {
        expect(r.localResponse?.status).toBe(status);
        expect(r.upstreamRequest).toBeNull();
      }
    });

    it("sends the configured headers (repeated), body and details", async () => {
      const host = await start(config);
      const r = await host.request({ path: "/teapot" });
      expect(r.status).toBe(418);
      expect(r.headers.get("powered-by")).toBe("getwild");
      expect(r.headers.getAll("set-cookie")).toEqual(["a=1", "b=2"]);
      expect(r.bodyText).toBe("short and stout\n");
      expect(r.localResponse?.details).toBe("teapot_rule");
    });

    it("sends the configured gRPC status to gRPC clients", async () => {
      const host = await start(config);
      const r = await host.request({
        method: "POST",
        path: "/private/svc",
        headers: { "content-type": "application/grpc" },
      });
      expect(r.localResponse?.grpcStatus).toBe(16);
      expect(r.headers.get("grpc-status")).toBe("16");
    });

    it("sets names of letters, digits, -, _ and . up to 256 characters, and matches any token name", async () => {
      const long = "a".repeat(256);
      const host = await start({
        rules: [{ match: { headers: { "x!flag": true } }, status: 200, headers: { "X.Trace_Id-1": "v", [long]: "w" } }],
      });
      const r = await host.request({ path: "/", headers: { "x!flag": "1" } });
      expect(r.localResponse?.status).toBe(200);
      expect(r.headers.get("x.trace_id-1")).toBe("v");
      expect(r.headers.get(long)).toBe("w");
      expect((await host.request({ path: "/" }, { status: 299 })).status).toBe(299);
    });

    it("logs how many rules it loaded", async () => {
      const host = await start(config);
      expect(host.logs("info")).toContain(`getwild responder: ${config.rules.length} rules loaded`);
    });

    it("a rule without match answers every request", async () => {
      const host = await start({ rules: [{ status: 503, body: "maintenance\n" }] });
      for (const method of ["GET", "POST", "OPTIONS"]) {
        const r = await host.request({ method, path: `/${method}` });
        expect(r.status).toBe(503);
      }
    });

    it("an empty configuration loads no rules, warns, and passes everything on", async () => {
      for (const empty of ["", "  \n"]) {
        const host = await start(empty);
        expect(host.logs("warn")).toContain("getwild responder: no rules configured; every request passes on");
        const r = await host.request({ path: "/teapot" }, { status: 204 });
        expect(r.status).toBe(204);
      }
      const host = await start({ rules: [] });
      expect((await host.request({ path: "/" }, { status: 204 })).status).toBe(204);
    });
  });

  describe("refuses a bad configuration at configure time, naming the field", () => {
    const rule = (extra: object) => ({ rules: [{ status: 200, ...extra }] });
    const bad: [string, unknown, string][] = [
      ["unknown top-level field", { rules: [], rule: [] }, "rule: unknown field"],
      ["missing rules", {}, "rules: is required"],
      ["rules not an array", { rules: {} }, "rules: must be an array, got an object"],
      ["rule not an object", { rules: [418] }, "rules[0]: must be an object, got a number"],
      ["unknown rule field", rule({ stauts: 418 }), "rules[0].stauts: unknown field"],
      ["missing status", { rules: [{ body: "x" }] }, "rules[0].status: is required"],
      [
        "status as a string",
        { rules: [{ status: "418" }] },
        "rules[0].status: must be an integer from 200 to 599, got a string",
      ],
      [
        "status below 200",
        { rules: [{ status: 199 }] },
        "rules[0].status: must be an integer from 200 to 599, got 199",
      ],
      [
        "status above 599",
        { rules: [{ status: 600 }] },
        "rules[0].status: must be an integer from 200 to 599, got 600",
      ],
      [
        "status far out of range",
        '{"rules":[{"status":99999999999999999999}]}',
        "rules[0].status: must be an integer from 200 to 599, got 99999999999999999999",
      ],
      [
        "status with a fraction",
        '{"rules":[{"status":418.0}]}',
        "rules[0].status: must be an integer from 200 to 599, got 418.0",
      ],
      [
        "status with an exponent",
        '{"rules":[{"status":4.18e2}]}',
        "rules[0].status: must be an integer from 200 to 599, got 4.18e2",
      ],
      [
        "second rule wrong",
        { rules: [{ status: 200 }, { status: 700 }] },
        "rules[1].status: must be an integer from 200 to 599, got 700",
      ],
      [
        "header name with a space",
        rule({ headers: { "bad name": "x" } }),
        "rules[0].headers.bad name: must be a header name of 1 to 256 letters, digits, -, _ or . (no pseudo-header)",
      ],
      [
        "pseudo-header in a reply",
        rule({ headers: { ":status": "200" } }),
        "rules[0].headers.:status: must be a header name",
      ],
      ["empty header name", rule({ headers: { "": "x" } }), "rules[0].headers.: must be a header name"],
      // Token characters outside letters, digits, - _ . are read differently by upstreams (CGI folds them to _).
      ["header name with |", rule({ headers: { "x|id": "1" } }), "rules[0].headers.x|id: must be a header name"],
      [
        "header name of 257 characters",
        rule({ headers: { ["a".repeat(257)]: "1" } }),
        `rules[0].headers.${"a".repeat(257)}: must be a header name`,
      ],
      [
        "content-length in a reply",
        rule({ headers: { "Content-Length": "3" } }),
        "rules[0].headers.Content-Length: Envoy sets this header itself",
      ],
      [
        "header value with a newline",
        rule({ headers: { "x-a": "1\r\nx-b: 2" } }),
        "rules[0].headers.x-a: must be a header value (no control characters but tab)",
      ],
      [
        "header value not a string",
        rule({ headers: { "x-a": 1 } }),
        "rules[0].headers.x-a: must be a string or an array of strings, got a number",
      ],
      [
        "header value list with a number",
        rule({ headers: { "x-a": ["1", 2] } }),
        "rules[0].headers.x-a[1]: must be a string, got a number",
      ],
      ["headers not an object", rule({ headers: ["x-a"] }), "rules[0].headers: must be an object, got an array"],
      ["body not a string", rule({ body: 5 }), "rules[0].body: must be a string, got a number"],
      [
        "grpc_status out of range",
        rule({ grpc_status: 17 }),
        "rules[0].grpc_status: must be an integer from 0 to 16, got 17",
      ],
      ["details not a string", rule({ details: null }), "rules[0].details: must be a string, got null"],
      ["match not an object", rule({ match: "/x" }), "rules[0].match: must be an object, got a string"],
      ["unknown match field", rule({ match: { pathprefix: "/x" } }), "rules[0].match.pathprefix: unknown field"],
      ["method not a string", rule({ match: { method: 1 } }), "rules[0].match.method: must be a string, got a number"],
      [
        "method list item wrong",
        rule({ match: { method: ["GET", true] } }),
        "rules[0].match.method[1]: must be a string, got a boolean",
      ],
      ["method empty list", rule({ match: { method: [] } }), "rules[0].match.method: must list at least one method"],
      [
        "method with a space",
        rule({ match: { method: "GE T" } }),
        'rules[0].match.method: must be a method (RFC 9110 token characters), got "GE T"',
      ],
      ["path without slash", rule({ match: { path: "teapot" } }), 'rules[0].match.path: must start with "/"'],
      ["path with a query", rule({ match: { path: "/t?x=1" } }), "rules[0].match.path: must not contain a query"],
      [
        "prefix not a string",
        rule({ match: { prefix: ["/a"] } }),
        "rules[0].match.prefix: must be a string, got an array",
      ],
      [
        "header condition a number",
        rule({ match: { headers: { "x-a": 1 } } }),
        "rules[0].match.headers.x-a: must be true (present), false (absent) or a string (equals), got a number",
      ],
      [
        "header condition bad name",
        rule({ match: { headers: { "x a": true } } }),
        "rules[0].match.headers.x a: must be a header name (RFC 9110 token characters) or a pseudo-header",
      ],
      [
        "nested any wrong",
        rule({ match: { any: [{ path: "/a" }, { path: 3 }] } }),
        "rules[0].match.any[1].path: must be a string, got a number",
      ],
      [
        "any not an array",
        rule({ match: { any: { path: "/a" } } }),
        "rules[0].match.any: must be an array, got an object",
      ],
      ["nested not wrong", rule({ match: { not: { color: "red" } } }), "rules[0].match.not.color: unknown field"],
      ["invalid JSON", '{"rules": [', "configuration: invalid JSON: ends early at byte 11"],
      ["trailing comma", '{"rules": [],}', "configuration: invalid JSON: unexpected character at byte 13"],
      ["duplicate field", '{"rules": [], "rules": []}', "configuration: invalid JSON: duplicate member name at byte"],
    ];
    it.each(bad)("%s", async (_name, pluginConfig, expected) => {
      const { lines, error } = await captureLogs(() =>
        createHost({
          wasm,
          rootId: "responder",
          echoLogs: true,
          pluginConfig: typeof pluginConfig === "string" ? pluginConfig : JSON.stringify(pluginConfig),
        }),
      );
      expect(error).toBeInstanceOf(HostLoadError);
      expect((error as Error).message).toMatch(/proxy_on_configure returned false/);
      const refusal = lines.filter((l) => l.includes("getwild responder: configuration refused: "));
      expect(refusal.length).toBe(1); // the canary refuses it; no worker is started
      expect(refusal[0]).toMatch(/^\[error\]/);
      expect(refusal[0]).toContain(`configuration refused: ${expected}`);
    });

    /** The list of errors of the one refusal line for `pluginConfig`. */
    async function refusalList(pluginConfig: unknown): Promise<string[]> {
      const { lines, error } = await captureLogs(() =>
        createHost({ wasm, rootId: "responder", echoLogs: true, pluginConfig: JSON.stringify(pluginConfig) }),
      );
      expect(error).toBeInstanceOf(HostLoadError);
      const refusal = lines.filter((l) => l.includes("getwild responder: configuration refused: "));
      expect(refusal.length).toBe(1);
      return refusal[0]!.split("configuration refused: ")[1]!.split("; ");
    }

    it("lists every error of a configuration in one refusal, in reading order", async () => {
      const listed = await refusalList({
        rules: [
          { status: 700, body: 5 },
          { stauts: 418 },
          { status: 200, match: { method: [], any: {} }, headers: { "bad name": "x", "x-a": 1 } },
        ],
      });
      expect(listed).toEqual([
        "rules[0].status: must be an integer from 200 to 599, got 700",
        "rules[0].body: must be a string, got a number",
        "rules[1].stauts: unknown field",
        "rules[1].status: is required",
        "rules[2].match.method: must list at least one method",
        "rules[2].match.any: must be an array, got an object",
        "rules[2].headers.bad name: must be a header name of 1 to 256 letters, digits, -, _ or . (no pseudo-header)",
        "rules[2].headers.x-a: must be a string or an array of strings, got a number",
      ]);
    });

    it("lists at most 20 errors and counts the rest", async () => {
      const listed = await refusalList({ rules: Array.from({ length: 25 }, () => ({ status: 100 })) });
      expect(listed.length).toBe(21);
      for (let i = 0; i < 20; i++)
        expect(listed[i]).toBe(`rules[${i}].status: must be an integer from 200 to 599, got 100`);
      expect(listed[20]).toBe("(5 more not listed)");
    });
  });
});
