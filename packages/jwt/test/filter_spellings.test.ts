// SPDX-License-Identifier: Apache-2.0
// Names an upstream reads as the configured one, through the compiled filter. CGI-style upstreams
// (WSGI, PHP, Rack) read a header name with any mix of `-` and `_`, in any case, as one variable;
// PHP reads `.`, space and an unmatched `[` in parameter and cookie names as `_` (and `name[...]`
// as an array replacing `name`), the last value winning. Each such name is a place a token may be
// smuggled in (two distinct tokens: 400) and is stripped; an output header the client sent under
// such a name never reaches the upstream.
import { describe, it, expect, beforeAll } from "vitest";
import { jwks, load, get, validAndForgedTokens, type SigningKey } from "./filter_helpers";

let key: SigningKey;
let valid: string, forged: string;
beforeAll(async () => {
  ({ key, valid, forged } = await validAndForgedTokens(ISS));
});
const ISS = "https://issuer.example.com";
const LONG = "x-a-b-c-d-e-token"; // six dashes: 64 spellings, more than any list would hold
function config(provider: Record<string, unknown> = {}) {
  return {
    providers: {
      main: {
        issuer: ISS,
        local_jwks: jwks(key),
        claim_to_headers: [{ header_name: "x-user-id", claim_name: "sub" }],
        forward_payload_header: "x-jwt-payload",
        from_headers: [{ name: "x_api_token" }, { name: LONG }],
        from_cookies: ["session_id"],
        from_params: ["access_token"],
        ...provider,
      },
    },
    rules: [
      { match: { prefix: "/public/" }, requires: { allow_missing: {} } },
      { match: { prefix: "/" }, requires: { provider_name: "main" } },
    ],
  };
}
const req = (path: string, headers: [string, string][]) => ({
  method: "GET",
  path,
  headers: [[":authority", "api.example.com"], ...headers] as [string, string][],
});

describe("CGI spellings of header names", () => {
  it.each([
    ["a configured name with _ sent with -", ["x_api_token", "x-api-token"]],
    ["a name with six dashes in a mixed spelling", [LONG, "x_a-b_c-d_e-token"]],
    ["a name with six dashes, mixed spelling and upper case", [LONG, "X-A_B-C_D-E_TOKEN"]],
    ["two spellings, neither the configured one", ["x-api_token", "X-API-TOKEN"]],
  ] as [string, [string, string]][])("%s holding two tokens: 400 multiple_tokens", async (_name, [first, second]) => {
    const host = await load(config());
    const res = await host.request(
      req("/a", [
        [first, valid],
        [second, forged],
      ]),
      { status: 200 },
    );
    expect(res.status).toBe(400);
    expect(JSON.parse(res.bodyText).reason).toBe("multiple_tokens");
    expect(res.upstreamRequest).toBeNull();
    expect(host.failures).toEqual([]);
  });

  it("reads the token under a spelling that is not the configured one, and strips every spelling", async () => {
    const host = await load(config());
    const res = await host.request(
      req("/a", [
        ["x-a_b-c_d-e-token", valid],
        ["x_a_b_c_d_e_token", valid],
        ["x-api-token", valid],
      ]),
      { status: 200 },
    );
    expect(res.status).toBe(200);
    const h = res.upstreamRequest!.headers;
    expect(h.get("x-user-id")).toBe("alice");
    for (const n of ["x-a_b-c_d-e-token", "x_a_b_c_d_e_token", LONG, "x-api-token", "x_api_token"])
      expect(h.has(n)).toBe(false);
  });

  it("removes a client's output header sent with _, beside the filter's own and on an allow_missing path", async () => {
    const host = await load(config());
    const res = await host.request(
      req("/a", [
        [LONG, valid],
        ["x_user_id", "admin"],
        ["X_User-Id", "root"],
        ["x_jwt_payload", "e30"],
      ]),
      { status: 200 },
    );
    expect(res.status).toBe(200);
    const pairs = res.upstreamRequest!.headers.pairs() as [string, string][];
    expect(pairs.filter(([n]) => n.toLowerCase().replaceAll("_", "-") === "x-user-id")).toEqual([
      ["x-user-id", "alice"],
    ]);
    expect(pairs.filter(([n]) => n.toLowerCase().replaceAll("_", "-") === "x-jwt-payload").map(([n]) => n)).toEqual([
      "x-jwt-payload",
    ]);
    const open = await host.request(
      req("/public/a", [
        ["x_user_id", "admin"],
        ["x-jwt_payload", "e30"],
        ["x-other_header", "kept"],
      ]),
      { status: 200 },
    );
    expect(open.status).toBe(200);
    const h = open.upstreamRequest!.headers;
    for (const n of ["x_user_id", "x-user-id", "x-jwt_payload", "x-jwt-payload"]) expect(h.has(n)).toBe(false);
    expect(h.get("x-other_header")).toBe("kept");
  });
});

describe("PHP spellings of parameter and cookie names", () => {
  it.each([
    ["access.token", (v: string, f: string) => get(`/a?access_token=${v}&access.token=${f}`)],
    ["access%20token", (v: string, f: string) => get(`/a?access_token=${v}&access%20token=${f}`)],
    ["access+token", (v: string, f: string) => get(`/a?access_token=${v}&access+token=${f}`)],
    ["access[token", (v: string, f: string) => get(`/a?access_token=${v}&access[token=${f}`)],
    ["access%5Btoken", (v: string, f: string) => get(`/a?access_token=${v}&access%5Btoken=${f}`)],
    ["a leading space", (v: string, f: string) => get(`/a?access_token=${v}&%20access_token=${f}`)],
    [
      "access_token[] (an array replacing the string)",
      (v: string, f: string) => get(`/a?access_token=${v}&access_token[]=${f}`),
    ],
    ["cookie session.id", (v: string, f: string) => get("/a", { cookie: `session_id=${v}; session.id=${f}` })],
    ["cookie session+id", (v: string, f: string) => get("/a", { cookie: `session_id=${v}; session+id=${f}` })],
    ["cookie session[id", (v: string, f: string) => get("/a", { cookie: `session_id=${v}; session[id=${f}` })],
  ])("%s beside the configured name with another token: 400 multiple_tokens", async (_name, request) => {
    const host = await load(config());
    const res = await host.request(request(valid, forged), { status: 200 });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.bodyText).reason).toBe("multiple_tokens");
    expect(res.upstreamRequest).toBeNull();
    expect(host.failures).toEqual([]);
  });

  it("reads a token under a PHP spelling and strips every spelling, keeping other parameters and cookies", async () => {
    const host = await load(config());
    const res = await host.request(
      get(`/a?x=1&access.token=${valid}&a.b=2&access%20token=${valid}&access[token=${valid}&z=3`, {
        cookie: `a.b=1; session.id=${valid}; session+id=${valid}; session_id=${valid}; c=2`,
      }),
      { status: 200 },
    );
    expect(res.status).toBe(200);
    const h = res.upstreamRequest!.headers;
    expect(h.get("x-user-id")).toBe("alice");
    expect(h.get(":path")).toBe("/a?x=1&a.b=2&z=3");
    expect(h.get("cookie")).toBe("a.b=1; c=2");
  });

  it("a forged token under a PHP spelling alone is refused, not ignored", async () => {
    const host = await load(config());
    const bad = await host.request(get(`/a?access.token=${forged}`), { status: 200 });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.bodyText).reason).toBe("signature_invalid");
    // A name PHP keeps apart (`[` closed later in the name is an array of another variable) is no token.
    const other = await host.request(get(`/a?access[x]token=${forged}`), { status: 200 });
    expect(JSON.parse(other.bodyText).reason).toBe("missing");
  });
});
