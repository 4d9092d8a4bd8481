// SPDX-License-Identifier: Apache-2.0
// Issue 12, class 1, through the compiled filter: rules match the path as a normalising upstream
// reads it (percent-encoded unreserved characters decoded, dot segments removed, slashes merged),
// the upstream receives that path, encoded slashes and backslashes are refused with 400 by default
// (or read as slashes with UNESCAPE_AND_FORWARD), and rules not written in normal form are refused
// at configure time.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, get, refusalOf, type SigningKey } from "./filter_helpers";

let key: SigningKey;
let admin: string;
beforeAll(async () => {
  key = await rsaKey("k1");
  admin = await mint(key, { iss: ISS });
});
const ISS = "https://issuer.example.com";
function config(extra: Record<string, unknown> = {}) {
  return {
    providers: {
      main: { issuer: ISS, local_jwks: jwks(key), claim_to_headers: [{ header_name: "x-checked", claim_name: "iss" }] },
    },
    rules: [
      { match: { path: "/healthz" } },
      { match: { prefix: "/public/" } },
      { match: { prefix: "/admin/" }, requires: { provider_name: "main" } },
      { match: { prefix: "/" }, requires: { provider_name: "main" } },
    ],
    ...extra,
  };
}

describe("rule matching on the normalised path", () => {
  it.each([
    ["/public/../orders", "/orders"],
    ["/public/%2e%2e/orders", "/orders"],
    ["/public/.%2E/admin/x", "/admin/x"],
    ["/public/./../admin/x?a=1", "/admin/x?a=1"],
    ["//admin/x", "/admin/x"],
    ["/public/..//admin/", "/admin/"],
    ["/%61dmin/x", "/admin/x"],
    ["/ad%6Din/x", "/admin/x"],
    ["/healthz/..", "/"],
    ["/public/..#/public/x", "/"],
    // The query is kept exactly as sent, a bare "?" too; a "?" after a fragment is no query.
    ["/public/../admin/x?", "/admin/x?"],
    ["/public/../admin/x?a=%2F&b=/..", "/admin/x?a=%2F&b=/.."],
    ["/public/../admin/x#f?a=1", "/admin/x"],
  ])("%s is matched as %s: a token is required, and the upstream gets the normalised path", async (raw, normalized) => {
    const host = await load(config());
    const denied = await host.request(get(raw), { status: 200 });
    expect(denied.status).toBe(401);
    expect(denied.upstreamRequest).toBeNull();
    const res = await host.request(get(raw, { authorization: `Bearer ${admin}` }), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest!.headers.get(":path")).toBe(normalized);
    expect(res.upstreamRequest!.headers.get("x-checked")).toBe(ISS);
  });

  it.each([
    ["/public/a/../b", "/public/b"],
    ["/public/%7Euser", "/public/~user"],
    ["/public/a%20b%3a", "/public/a%20b%3A"],
    ["///public///x", "/public/x"],
    ["/healthz", "/healthz"],
  ])("%s stays public as %s", async (raw, normalized) => {
    const host = await load(config());
    const res = await host.request(get(raw), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest!.headers.get(":path")).toBe(normalized);
  });

  it.each([
    ["/admin%2Fx", "path_escaped_slash"],
    ["/public%2f..%2fadmin/x", "path_escaped_slash"],
    ["/public/..%5Cadmin", "path_escaped_slash"],
    ["/public\\..\\admin", "path_escaped_slash"],
    ["/public/%zz", "path_malformed"],
    ["/public/%4", "path_malformed"],
    ["/a//../public/x", "path_ambiguous"],
    ["public/x", "path_not_origin_form"],
  ])("%s is refused with 400 (%s), with or without a token", async (raw, reason) => {
    const host = await load(config());
    for (const headers of [{}, { authorization: `Bearer ${admin}` }]) {
      const res = await host.request(get(raw, headers), { status: 200 });
      expect(res.status).toBe(400);
      expect(res.upstreamRequest).toBeNull();
      expect(JSON.parse(res.bodyText)).toEqual({ error: "invalid_request", reason });
      expect(res.headers.has("www-authenticate")).toBe(false);
      expect(res.localResponse?.details).toBe(`jwt_authn_access_denied{${reason}}`);
    }
    expect(host.metric(`jwt_authn.denied.${reason}`)).toBe(2);
  });

  it("UNESCAPE_AND_FORWARD reads %2F, %5C and \\ as / for matching, and forwards them so", async () => {
    const host = await load(config({ path_with_escaped_slashes_action: "UNESCAPE_AND_FORWARD" }));
    for (const raw of ["/admin%2Fx", "/public%2F..%2Fadmin%5Cx", "/public\\..\\admin\\x"]) {
      expect((await host.request(get(raw), { status: 200 })).status, raw).toBe(401);
      const res = await host.request(get(raw, { authorization: `Bearer ${admin}` }), { status: 200 });
      expect(res.status).toBe(200);
      expect(res.upstreamRequest!.headers.get(":path")).toBe("/admin/x");
    }
  });

  it.each([
    [{ match: { prefix: "/admin/../x" } }, "rules[0].match.prefix"],
    [{ match: { prefix: "//admin" } }, "rules[0].match.prefix"],
    [{ match: { path: "/a%2Fb" } }, "rules[0].match.path"],
    [{ match: { path: "/%61dmin" } }, "rules[0].match.path"],
    [{ match: { prefix: "admin" } }, "rules[0].match.prefix"],
    [{ match: { path: "/a?b=1" } }, "rules[0].match.path"],
  ])("refuses a rule not in normal form (%#)", async (rule, field) => {
    const refusal = await refusalOf({ ...config(), rules: [rule] });
    expect(refusal.startsWith(field + ":"), refusal).toBe(true);
  });
});
