// SPDX-License-Identifier: Apache-2.0
// JwtAuthn through the compiled filter in @getwild/host, with inline keys: token extraction,
// failure answers (status, WWW-Authenticate, body, details), rules, outputs, claims, metrics,
// the verified-token cache, and configuration refused with the field named.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, get, T0, refusalOf, refusedConfigLog, type SigningKey } from "./filter_helpers";

let key: SigningKey;
let other: SigningKey;
beforeAll(async () => {
  key = await rsaKey("k1");
  other = await rsaKey("k2");
});

const ISS = "https://issuer.example.com";
function provider(extra: Record<string, unknown> = {}) {
  return { issuer: ISS, audiences: ["api"], local_jwks: jwks(key), ...extra };
}
function config(extra: Record<string, unknown> = {}, providerExtra: Record<string, unknown> = {}) {
  return {
    providers: { main: provider(providerExtra) },
    rules: [{ match: { prefix: "/public" } }, { match: { prefix: "/" }, requires: { provider_name: "main" } }],
    ...extra,
  };
}

describe("JwtAuthn with inline keys", () => {
  it("lets a valid token through and strips it before the upstream", async () => {
    const host = await load(config());
    const token = await mint(key, { iss: ISS, aud: "api", sub: "u1" });
    const res = await host.request(get("/data", { authorization: `Bearer ${token}` }), { status: 200, body: "ok" });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest?.headers.has("authorization")).toBe(false);
    expect(host.metric("jwt_authn.allowed")).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("matches the Bearer scheme case-insensitively and keeps the token when forward is set", async () => {
    const host = await load(config({}, { forward: true }));
    const token = await mint(key, { iss: ISS, aud: "api" });
    const res = await host.request(get("/data", { authorization: `bEaReR ${token}` }), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest?.headers.get("authorization")).toBe(`bEaReR ${token}`);
  });

  it("answers a missing token with 401 and a challenge without an error attribute", async () => {
    const host = await load(config());
    const res = await host.request(get("/data?x=1"), { status: 200 });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="https://api.example.com/data"');
    expect(JSON.parse(res.bodyText)).toEqual({ error: "unauthorized", reason: "missing" });
    expect(res.localResponse?.details).toBe("jwt_authn_access_denied{missing}");
    expect(host.metric("jwt_authn.denied.missing")).toBe(1);
    expect(host.metric("jwt_authn.denied")).toBe(1);
    // The realm is a quoted-string: a quote in the path is percent-encoded (a backslash never gets
    // this far: the path is refused, or read as a slash, before any rule).
    const quoted = await host.request(get('/a"b"'), { status: 200 });
    expect(quoted.headers.get("www-authenticate")).toBe('Bearer realm="https://api.example.com/a%22b%22"');
  });

  it.each([
    ["expired", { exp: T0 - 3600, iat: T0 - 7200 }],
    ["issuer_not_allowed", { iss: "https://evil.example.com" }],
    ["not_yet_valid", { nbf: T0 + 3600 }],
  ])("answers %s with 401 invalid_token, and never echoes the token", async (reason, claims) => {
    const host = await load(config());
    const token = await mint(key, { iss: ISS, aud: "api", ...claims });
    const res = await host.request(get("/data", { authorization: `Bearer ${token}` }), { status: 200 });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(
      'Bearer realm="https://api.example.com/data", error="invalid_token"',
    );
    const body = JSON.parse(res.bodyText);
    expect(body.error).toBe("invalid_token");
    expect(typeof body.reason).toBe("string");
    expect(res.bodyText).not.toContain(token.split(".")[1]);
    expect(host.logRecords.map((r) => r.message).join("\n")).not.toContain(token);
    expect(host.metric(`jwt_authn.denied.${body.reason}`)).toBe(1);
    if (reason === "expired") expect(body.reason).toBe("expired");
  });

  it("refuses a token signed by an unknown key and a tampered one", async () => {
    const host = await load(config());
    const foreign = await mint(other, { iss: ISS, aud: "api" }, { kid: "k1" });
    const r1 = await host.request(get("/a", { authorization: `Bearer ${foreign}` }), { status: 200 });
    expect(r1.status).toBe(401);
    expect(JSON.parse(r1.bodyText).reason).toBe("signature_invalid");
    const unknownKid = await mint(other, { iss: ISS, aud: "api" });
    const r2 = await host.request(get("/a", { authorization: `Bearer ${unknownKid}` }), { status: 200 });
    expect(r2.status).toBe(401);
    const garbage = await host.request(get("/a", { authorization: "Bearer not.a.jwt" }), { status: 200 });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(host.failures).toEqual([]);
  });

  it("logs a refused token at debug level as its length and 32-bit FNV-1a tag in hex, never the token", async () => {
    const host = await load(config(), { logLevel: "debug" });
    const foreign = await mint(other, { iss: ISS, aud: "api" }, { kid: "k1" });
    const r = await host.request(get("/a", { authorization: `Bearer ${foreign}` }), { status: 200 });
    expect(r.status).toBe(401);
    let h = 0x811c9dc5;
    for (let i = 0; i < foreign.length; i++) h = Math.imul(h ^ foreign.charCodeAt(i), 0x01000193) >>> 0;
    const line = host.logs("debug").find((m) => m.includes("refused token"));
    expect(line).toBe(
      `jwt_authn: provider main refused token (len=${foreign.length} fnv=${h.toString(16)}): signature_invalid`,
    );
    expect(host.logs().some((m) => m.includes(foreign.split(".")[2]))).toBe(false);
  });

  it("answers a wrong audience with 401 by default and 403 when configured", async () => {
    const token = await mint(key, { iss: ISS, aud: "other" });
    const h1 = await load(config());
    const r1 = await h1.request(get("/a", { authorization: `Bearer ${token}` }), { status: 200 });
    expect(r1.status).toBe(401);
    const h2 = await load(config({ audience_failure_status: 403 }));
    const r2 = await h2.request(get("/a", { authorization: `Bearer ${token}` }), { status: 200 });
    expect(r2.status).toBe(403);
    expect(r2.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("checks claim requirements: 403 insufficient_scope when one fails", async () => {
    const host = await load(
      config(
        {},
        {
          claims: [
            { name: "email_verified", equals: true },
            { name: "scope", contains_any: ["read"] },
          ],
        },
      ),
    );
    const good = await mint(key, { iss: ISS, aud: "api", email_verified: true, scope: "write read" });
    expect((await host.request(get("/a", { authorization: `Bearer ${good}` }), { status: 200 })).status).toBe(200);
    const bad = await mint(key, { iss: ISS, aud: "api", email_verified: false, scope: "read" });
    const res = await host.request(get("/a", { authorization: `Bearer ${bad}` }), { status: 200 });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("sends an empty body when failure_body is empty, with the challenge kept", async () => {
    const host = await load(config({ failure_body: "empty", realm: "api" }));
    const res = await host.request(get("/a"), { status: 200 });
    expect(res.status).toBe(401);
    expect(res.bodyText).toBe("");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("applies rules: first match wins, no requirement, unmatched deny or allow, header presence", async () => {
    const cfg = config({
      rules: [
        { match: { prefix: "/public" } },
        { match: { path: "/admin", headers: [{ name: "x-admin" }] }, requires: { provider_name: "main" } },
        { match: { prefix: "/api" }, requires: { provider_name: "main" } },
      ],
    });
    const host = await load(cfg);
    expect((await host.request(get("/public/x"), { status: 200 })).status).toBe(200);
    expect((await host.request(get("/api/x"), { status: 200 })).status).toBe(401);
    expect((await host.request(get("/admin", { "x-admin": "1" }), { status: 200 })).status).toBe(401);
    const noRule = await host.request(get("/admin"), { status: 200 });
    expect(noRule.status).toBe(401);
    expect(noRule.localResponse?.details).toBe("jwt_authn_access_denied{no_rule_matched}");
    const open = await load({ ...cfg, unmatched: "allow" });
    expect((await open.request(get("/elsewhere"), { status: 200 })).status).toBe(200);
  });

  it("lets CORS preflights through without a token only when bypass_cors_preflight is set (default false, as Envoy)", async () => {
    const preflight = {
      method: "OPTIONS",
      path: "/a",
      headers: { ":authority": "x", origin: "https://app", "access-control-request-method": "GET" },
    };
    const strict = await load(config());
    expect((await strict.request(preflight, { status: 204 })).status).toBe(401);
    expect(strict.metric("jwt_authn.cors_preflight_bypassed")).toBe(0);
    const host = await load(config({ bypass_cors_preflight: true }));
    const res = await host.request(
      {
        method: "OPTIONS",
        path: "/a",
        headers: { ":authority": "x", origin: "https://app", "access-control-request-method": "GET" },
      },
      { status: 204 },
    );
    expect(res.status).toBe(204);
    expect(host.metric("jwt_authn.cors_preflight_bypassed")).toBe(1);
    const plain = await host.request(
      { method: "OPTIONS", path: "/a", headers: { ":authority": "x" } },
      { status: 204 },
    );
    expect(plain.status).toBe(401);
  });

  it("allow_missing passes without a token and fails with a bad one; allow_missing_or_failed always passes", async () => {
    const bad = await mint(other, { iss: ISS, aud: "api" });
    const h = await load(config({ rules: [{ match: { prefix: "/" }, requires: { allow_missing: {} } }] }));
    expect((await h.request(get("/a"), { status: 200 })).status).toBe(200);
    expect((await h.request(get("/a", { authorization: `Bearer ${bad}` }), { status: 200 })).status).toBe(401);
    const h2 = await load(config({ rules: [{ match: { prefix: "/" }, requires: { allow_missing_or_failed: {} } }] }));
    expect((await h2.request(get("/a", { authorization: `Bearer ${bad}` }), { status: 200 })).status).toBe(200);
  });

  it("requires_any / requires_all over two providers with different token locations", async () => {
    const cfg = {
      providers: {
        a: provider(),
        b: { issuer: "https://b.example.com", local_jwks: jwks(other), from_headers: [{ name: "x-b-token" }] },
      },
      rules: [
        {
          match: { prefix: "/any" },
          requires: { requires_any: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
        },
        {
          match: { prefix: "/all" },
          requires: { requires_all: { requirements: [{ provider_name: "a" }, { provider_name: "b" }] } },
        },
      ],
    };
    const host = await load(cfg);
    const ta = await mint(key, { iss: ISS, aud: "api" });
    const tb = await mint(other, { iss: "https://b.example.com" });
    expect((await host.request(get("/any", { "x-b-token": tb }), { status: 200 })).status).toBe(200);
    expect((await host.request(get("/any", { authorization: `Bearer ${ta}` }), { status: 200 })).status).toBe(200);
    expect((await host.request(get("/all", { authorization: `Bearer ${ta}` }), { status: 200 })).status).toBe(401);
    const both = await host.request(get("/all", { authorization: `Bearer ${ta}`, "x-b-token": tb }), { status: 200 });
    expect(both.status).toBe(200);
    expect(both.upstreamRequest?.headers.has("x-b-token")).toBe(false);
  });

  it("takes tokens from cookies, and from a query parameter only when asked (stripping it)", async () => {
    const token = await mint(key, { iss: ISS, aud: "api" });
    const h = await load(config({}, { from_cookies: ["session"], from_params: ["access_token"] }));
    expect((await h.request(get("/a", { cookie: `a=b; session=${token}` }), { status: 200 })).status).toBe(200);
    const viaParam = await h.request(get(`/a?x=1&access_token=${token}`), { status: 200 });
    expect(viaParam.status).toBe(200);
    expect(viaParam.upstreamRequest?.headers.get(":path")).toBe("/a?x=1");
    const defaults = await load(config());
    expect((await defaults.request(get(`/a?access_token=${token}`), { status: 200 })).status).toBe(401);
  });

  it("answers 400 invalid_request for two different tokens (header and cookie, or two Authorization headers)", async () => {
    const a = await mint(key, { iss: ISS, aud: "api" });
    const b = await mint(key, { iss: ISS, aud: "api", sub: "someone-else" });
    const h = await load(
      config({}, { from_headers: [{ name: "authorization", value_prefix: "Bearer " }], from_cookies: ["session"] }),
    );
    const res = await h.request(get("/a", { authorization: `Bearer ${a}`, cookie: `session=${b}` }), { status: 200 });
    expect(res.status).toBe(400);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_request"');
    expect(JSON.parse(res.bodyText).reason).toBe("multiple_tokens");
    expect(
      (await h.request(get("/a", { authorization: `Bearer ${a}`, cookie: `session=${a}` }), { status: 200 })).status,
    ).toBe(200);
    const plain = await load(config({}, { forward: true }));
    const two = await plain.request(
      {
        method: "GET",
        path: "/a",
        headers: [
          [":authority", "x"],
          ["authorization", `Bearer ${a}`],
          ["authorization", `Bearer ${b}`],
        ],
      },
      { status: 200 },
    );
    expect(two.status).toBe(400);
  });

  it("forwards the payload and claims as headers and always drops incoming copies", async () => {
    const host = await load(
      config(
        {},
        {
          forward_payload_header: "x-jwt-payload",
          claim_to_headers: [
            { header_name: "x-sub", claim_name: "sub" },
            { header_name: "x-tenant", claim_name: "org.tenant" },
            { header_name: "x-admin", claim_name: "admin" },
          ],
        },
      ),
    );
    const claims = { iss: ISS, aud: "api", sub: "user-7", org: { tenant: "t9" }, admin: true };
    const token = await mint(key, claims);
    const res = await host.request(
      get("/a", { authorization: `Bearer ${token}`, "x-sub": "spoofed", "x-jwt-payload": "spoofed" }),
      { status: 200 },
    );
    expect(res.status).toBe(200);
    const h = res.upstreamRequest!.headers;
    expect(h.get("x-sub")).toBe("user-7");
    expect(h.get("x-tenant")).toBe("t9");
    expect(h.get("x-admin")).toBe("true");
    expect(JSON.parse(Buffer.from(h.get("x-jwt-payload")!, "base64url").toString())).toMatchObject(claims);
    expect(h.get("x-jwt-payload")).toBe(token.split(".")[1]);
    // A claim with CR/LF is not copied into a header (header injection), the request still passes.
    const crlf = await host.request(
      get("/a", { authorization: `Bearer ${await mint(key, { ...claims, sub: "a\r\nx-admin: true" })}` }),
      { status: 200 },
    );
    expect(crlf.status).toBe(200);
    expect(crlf.upstreamRequest!.headers.has("x-sub")).toBe(false);
    const publicRes = await host.request(get("/public", { "x-sub": "spoofed", "x-tenant": "x" }), { status: 200 });
    expect(publicRes.upstreamRequest!.headers.has("x-sub")).toBe(false);
    expect(publicRes.upstreamRequest!.headers.has("x-tenant")).toBe(false);
  });

  it("folds header names and the auth scheme in ASCII case only (RFC 9110)", async () => {
    const host = await load(
      config(
        {},
        {
          from_headers: [{ name: "X-My-Token", value_prefix: "Token " }],
          forward_payload_header: "X-JWT-Payload",
          claim_to_headers: [{ header_name: "X-Sub", claim_name: "sub" }],
        },
      ),
    );
    const token = await mint(key, { iss: ISS, aud: "api", sub: "user-8" });
    const res = await host.request(get("/a", { "x-my-token": `TOKEN ${token}` }), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest!.headers.get("x-sub")).toBe("user-8");
    expect(res.upstreamRequest!.headers.has("x-jwt-payload")).toBe(true);
    // U+212A KELVIN SIGN lower-cases to "k" in Unicode, not in ASCII: it is no spelling of "Key".
    const kelvin = await load(config({}, { from_headers: [{ name: "x-my-token", value_prefix: "Key " }] }));
    expect((await kelvin.request(get("/a", { "x-my-token": `Key ${token}` }), { status: 200 })).status).toBe(200);
    expect((await kelvin.request(get("/a", { "x-my-token": `\u212Aey ${token}` }), { status: 200 })).status).toBe(401);
  });

  it("serves a repeated token from the verified-token cache until its exp", async () => {
    const host = await load(config());
    const token = await mint(key, { iss: ISS, aud: "api", exp: T0 + 120 });
    for (let i = 0; i < 3; i++)
      expect((await host.request(get("/a", { authorization: `Bearer ${token}` }), { status: 200 })).status).toBe(200);
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(1);
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(2);
    // Past exp the entry is gone: the token is verified again (still inside the 60 s skew)…
    host.advance(121_000);
    expect((await host.request(get("/a", { authorization: `Bearer ${token}` }), { status: 200 })).status).toBe(200);
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(2);
    // …and refused once exp + skew has passed.
    host.advance(60_000);
    const late = await host.request(get("/a", { authorization: `Bearer ${token}` }), { status: 200 });
    expect(late.status).toBe(401);
    expect(JSON.parse(late.bodyText).reason).toBe("expired");
  });

  it("keeps exactly the newest jwt_cache_size tokens through many evictions (every one still found)", async () => {
    const size = 12;
    const host = await load(config({ jwt_cache_size: size }));
    const tokens = await Promise.all(
      Array.from({ length: 60 }, (_, n) => mint(key, { iss: ISS, aud: "api", sub: `user-${n}` })),
    );
    let hits = 0;
    for (let k = 0; k < tokens.length; k++) {
      // Token k is new (a miss); then every token still cached must be found: k-11..k.
      for (let j = Math.max(0, k - size + 1); j <= k; j++) {
        const r = await host.request(get("/a", { authorization: `Bearer ${tokens[j]}` }), { status: 200 });
        expect(r.status).toBe(200);
        if (j < k) hits++;
      }
      expect([host.metric("jwt_authn.jwt_cache_miss"), host.metric("jwt_authn.jwt_cache_hit")]).toEqual([k + 1, hits]);
    }
  });

  it("bounds the verified-token cache (jwt_cache_size), oldest entry out first", async () => {
    const host = await load(config({ jwt_cache_size: 2 }));
    const tokens = await Promise.all([1, 2, 3].map((n) => mint(key, { iss: ISS, aud: "api", sub: `u${n}` })));
    const send = async (t: string) =>
      expect((await host.request(get("/a", { authorization: `Bearer ${t}` }), { status: 200 })).status).toBe(200);
    await send(tokens[0]!);
    await send(tokens[1]!);
    await send(tokens[0]!); // miss, miss, hit
    await send(tokens[2]!); // miss: the cache is full, token 1 (oldest) goes
    await send(tokens[1]!); // hit
    await send(tokens[0]!); // miss
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(2);
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(4);
    const off = await load(config({ jwt_cache_size: 0 }));
    for (let i = 0; i < 2; i++)
      expect((await off.request(get("/a", { authorization: `Bearer ${tokens[0]}` }), { status: 200 })).status).toBe(
        200,
      );
    expect(off.metric("jwt_authn.jwt_cache_miss")).toBe(2);
  });

  it("refuses at configure time a local JWKS whose only RSA key has a 34-bit exponent (BoringSSL's limit is 33 bits)", async () => {
    const bigE = { ...key.publicJwk, e: Buffer.from([0x02, 0, 0, 0, 1]).toString("base64url") };
    expect(await refusedConfigLog(config({}, { local_jwks: JSON.stringify({ keys: [bigE] }) }))).toContain(
      "configuration refused: providers.main.local_jwks:",
    );
    // The same set with the usual e = 65537 key beside it loads, and that key verifies.
    const host = await load(
      config({}, { local_jwks: JSON.stringify({ keys: [{ ...bigE, kid: "big" }, key.publicJwk] }) }),
    );
    expect(
      (
        await host.request(get("/a", { authorization: `Bearer ${await mint(key, { iss: ISS, aud: "api" })}` }), {
          status: 200,
        })
      ).status,
    ).toBe(200);
  });

  it.each([
    [{ providers: {} }, "providers"],
    [{ providers: { p: { issuer: 5, local_jwks: "{}" } } }, "providers.p.issuer"],
    [{ providers: { p: { local_jwks: '{"keys":[]}' } } }, "providers.p.local_jwks"],
    [{ providers: { p: { remote_jwks: { authority: "x", path: "/k" } } } }, "providers.p.remote_jwks.cluster"],
    [
      { providers: { p: { remote_jwks: { cluster: "c", authority: "x", path: "/k", timeout_ms: 0 } } } },
      "providers.p.remote_jwks.timeout_ms",
    ],
    [{ providers: { p: { firebase: { project_id: "Bad Id" } } } }, "providers.p.firebase.project_id"],
    [
      {
        providers: { p: { firebase: { project_id: "x" } } },
        rules: [{ match: { prefix: "/" }, requires: { provider_name: "q" } }],
      },
      "rules[0].requires.provider_name",
    ],
    [{ providers: { p: { firebase: { project_id: "x" } } }, audience_failure_status: 402 }, "audience_failure_status"],
    [{ providers: { p: { firebase: { project_id: "x" } } }, realm: "a\nb" }, "realm"],
    [
      {
        providers: {
          p: { firebase: { project_id: "x" }, claim_to_headers: [{ header_name: "x-a\r\nb", claim_name: "sub" }] },
        },
      },
      "providers.p.claim_to_headers[0].header_name",
    ],
    [
      { providers: { p: { firebase: { project_id: "x" }, forward_payload_header: ":path" } } },
      "providers.p.forward_payload_header",
    ],
    [{ providers: { p: { firebase: { project_id: "x" }, algorithms: ["none"] } } }, "providers.p.algorithms"],
    [
      { providers: { p: { firebase: { project_id: "x" }, clock_skew_seconds: 900 } } },
      "providers.p.clock_skew_seconds",
    ],
    [{ providers: { p: { firebase: { project_id: "x" }, isuer: "typo" } } }, "providers.p.isuer"],
  ])("refuses a bad configuration and names the field (%#)", async (cfg, field) => {
    const refusal = await refusalOf(cfg);
    expect(refusal.startsWith(field + ":")).toBe(true);
  });

  it("lists every error of a configuration in one refusal, not only the first", async () => {
    const cfg = {
      providers: { p: { firebase: { project_id: "Bad Id" }, clock_skew_seconds: 900, isuer: "typo" } },
      audience_failure_status: 402,
    };
    const refusal = await refusalOf(cfg);
    for (const field of [
      "providers.p.firebase.project_id",
      "providers.p.clock_skew_seconds",
      "providers.p.isuer",
      "audience_failure_status",
    ]) {
      expect(refusal, refusal).toContain(field + ":");
    }
    expect(refusal.split("; ").length).toBe(4);
  });
});
