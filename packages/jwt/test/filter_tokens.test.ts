// SPDX-License-Identifier: Apache-2.0
// Issue 12, classes 3, 4 and 6 (query tokens), through the compiled filter: the token reader sees
// every occurrence in headers, cookies and query parameters, with names and values percent-decoded;
// more than one distinct token is 400; the one token is stripped at every occurrence unless the
// provider forwards it; a percent-encoded token in a query parameter is read.
import { describe, it, expect, beforeAll } from "vitest";
import { jwks, load, get, validAndForgedTokens, type SigningKey } from "./filter_helpers";

let key: SigningKey;
let valid: string, forged: string;
beforeAll(async () => {
  ({ key, valid, forged } = await validAndForgedTokens(ISS));
});
const ISS = "https://issuer.example.com";
function config(provider: Record<string, unknown> = {}) {
  return {
    providers: {
      main: {
        issuer: ISS,
        local_jwks: jwks(key),
        claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
        from_headers: [
          { name: "authorization", value_prefix: "Bearer " },
          { name: "x-token" },
          { name: "x-my-long-token" },
        ],
        from_cookies: ["session"],
        from_params: ["access_token"],
        ...provider,
      },
    },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
  };
}
const encodeAll = (s: string) =>
  [...s].map((c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")).join("");

describe("strict token reader", () => {
  it.each([
    [
      "two cookies of one name in one Cookie header",
      () => get("/a", { cookie: `session=${valid}; other=1; session=${forged}` }),
    ],
    ["a query parameter given twice", () => get(`/a?access_token=${valid}&access_token=${forged}`)],
    [
      "a percent-encoded parameter name beside the plain one",
      () => get(`/a?access%5Ftoken=${forged}&access_token=${valid}`),
    ],
    ["a parameter name encoded in full", () => get(`/a?access_token=${valid}&${encodeAll("access_token")}=${forged}`)],
    ["a percent-encoded cookie name", () => get("/a", { cookie: `sess%69on=${forged}; session=${valid}` })],
    [
      "two Cookie headers",
      () => ({
        method: "GET",
        path: "/a",
        headers: [
          [":authority", "x"],
          ["cookie", `session=${valid}`],
          ["cookie", `session=${forged}`],
        ] as [string, string][],
      }),
    ],
    ["header name with _ for -", () => get("/a", { "x-token": valid, x_token: forged })],
    [
      "header name with some of its - as _",
      () => ({
        method: "GET",
        path: "/a",
        headers: [
          [":authority", "x"],
          ["x-my-long-token", valid],
          ["x-my_long-token", forged],
        ] as [string, string][],
      }),
    ],
    ["a header and a query parameter", () => get(`/a?access_token=${forged}`, { authorization: `Bearer ${valid}` })],
    [
      "a parameter after ; (split there by some upstream parsers)",
      () => get(`/a?x=1;access_token=${forged}&access_token=${valid}`),
    ],
    [
      "a token parameter whose value runs on past a ; (another token to a ;-splitting parser)",
      () => get(`/a?access_token=${valid};access_token=${forged}`),
    ],
    [
      "two cookies joined with , (RFC 2965-era parsers split there)",
      () => get("/a", { cookie: `session=${valid}, session=${forged}` }),
    ],
  ])("%s holding two different tokens: 400 multiple_tokens, nothing upstream", async (_name, request) => {
    const host = await load(config());
    const res = await host.request(request(), { status: 200 });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.bodyText)).toEqual({ error: "invalid_request", reason: "multiple_tokens" });
    expect(res.upstreamRequest).toBeNull();
    expect(host.failures).toEqual([]);
  });

  it("the same token at several places verifies once and is stripped from every one of them", async () => {
    const host = await load(config());
    const res = await host.request(
      get(`/a?x=1&access_token=${valid}&y=2&access%5Ftoken=${valid}`, {
        authorization: `Bearer ${valid}`,
        "x-token": valid,
        x_token: valid,
        cookie: `a=1; session=${valid}; b=2; session="${valid}"`,
      }),
      { status: 200 },
    );
    expect(res.status).toBe(200);
    const h = res.upstreamRequest!.headers;
    expect(h.get("x-sub")).toBe("alice");
    expect(h.get(":path")).toBe("/a?x=1&y=2");
    expect(h.has("authorization")).toBe(false);
    expect(h.has("x-token")).toBe(false);
    expect(h.has("x_token")).toBe(false);
    expect(h.get("cookie")).toBe("a=1; b=2");
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(1);
  });

  it("strips a token parameter joined with ; and a cookie joined with , as well, keeping their neighbours", async () => {
    const host = await load(config());
    const res = await host.request(get(`/a?x=1;access_token=${valid};y=2&z=3`), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest!.headers.get(":path")).toBe("/a?x=1;y=2&z=3");
    const comma = await host.request(get("/a", { cookie: `a=1, session=${valid}; b=2` }), { status: 200 });
    expect(comma.status).toBe(200);
    expect(comma.upstreamRequest!.headers.get("cookie")).toBe("a=1; b=2");
  });

  it("a cookie header left with no cookie is removed; forward keeps every occurrence", async () => {
    const host = await load(config());
    const only = await host.request(get("/a", { cookie: `session=${valid}` }), { status: 200 });
    expect(only.status).toBe(200);
    expect(only.upstreamRequest!.headers.has("cookie")).toBe(false);
    const kept = await load(config({ forward: true }));
    const path = `/a?access_token=${valid}&access_token=${valid}`;
    const res = await kept.request(get(path, { cookie: `session=${valid}; session=${valid}` }), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest!.headers.get(":path")).toBe(path);
    expect(res.upstreamRequest!.headers.get("cookie")).toBe(`session=${valid}; session=${valid}`);
  });

  it("reads a percent-encoded token in a query parameter or cookie, and a + in a name as a space (PHP: _)", async () => {
    const host = await load(config());
    const dots = valid.replaceAll(".", "%2E");
    const viaParam = await host.request(get(`/a?access_token=${dots}&z=1`), { status: 200 });
    expect(viaParam.status).toBe(200);
    expect(viaParam.upstreamRequest!.headers.get(":path")).toBe("/a?z=1");
    expect((await host.request(get(`/a?%61ccess_token=${encodeAll(valid)}`), { status: 200 })).status).toBe(200);
    expect((await host.request(get("/a", { cookie: `session=${dots}` }), { status: 200 })).status).toBe(200);
    // "access+token" is "access token" to a form parser, which PHP reads as "access_token": the token.
    const plus = await host.request(get(`/a?access+token=${valid}`), { status: 200 });
    expect(plus.status).toBe(200);
    expect(plus.upstreamRequest!.headers.get(":path")).toBe("/a");
  });

  it("matches the scheme without case and trims spaces and tabs, whether the value is ASCII (read as bytes) or not", async () => {
    const host = await load(config());
    const spaced = await host.request(get("/a", { authorization: `bEaReR \t${valid} \t`, "x-token": `\t${valid} ` }), {
      status: 200,
    });
    expect(spaced.status).toBe(200); // one token at both places, not two
    expect(spaced.upstreamRequest!.headers.has("authorization")).toBe(false);
    expect(spaced.upstreamRequest!.headers.get("x-sub")).toBe("alice");
    // A non-ASCII value is read as text: its token differs from the ASCII one, so two tokens.
    const accent = await host.request(get("/a", { authorization: `Bearer ${valid}`, "x-token": `${valid} é` }), {
      status: 200,
    });
    expect(accent.status).toBe(400);
    expect(JSON.parse(accent.bodyText).reason).toBe("multiple_tokens");
    // A scheme that only looks like the prefix holds no token: the other location's token decides.
    const scheme = await host.request(get("/a", { authorization: `Beärer ${forged}`, "x-token": valid }), {
      status: 200,
    });
    expect(scheme.status).toBe(200);
    expect(scheme.upstreamRequest!.headers.get("authorization")).toBe(`Beärer ${forged}`);
    expect(host.failures).toEqual([]);
  });

  it("an empty occurrence is no token and no conflict; a forged token alone is 401", async () => {
    const host = await load(config());
    expect(
      (await host.request(get(`/a?access_token=&access_token=${valid}`, { cookie: "session=" }), { status: 200 }))
        .status,
    ).toBe(200);
    const bad = await host.request(get(`/a?access_token=${forged}`), { status: 200 });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.bodyText).reason).toBe("signature_invalid");
  });

  it.each([
    ["from_params", ["access%5Ftoken"]],
    ["from_cookies", ["a;b"]],
    ["from_params", ["a b"]],
    ["from_headers", [{ name: ":path" }]],
    ["from_headers", [{ name: "x-a b" }]],
  ])("refuses %s %j at configure time", async (field, value) => {
    await expect(load(config({ [field]: value }))).rejects.toThrow(/proxy_on_configure returned false/);
  });
});
