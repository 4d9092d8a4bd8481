// SPDX-License-Identifier: Apache-2.0
// Per-route requirements through the compiled filter: `requirement_map`, `route_requirements`
// (selected by the route name the host reports as `xds.route_name`, as Envoy 1.40 does), rules'
// `requirement_name`, and `provider_and_audiences`; configuration errors name their field.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, refusalOf, type SigningKey } from "./filter_helpers";

const ISS = "https://login.example.com";
let key: SigningKey;
beforeAll(async () => {
  key = await rsaKey("k1");
});

function config(extra: Record<string, unknown> = {}) {
  return {
    providers: { users: { issuer: ISS, audiences: ["api"], local_jwks: jwks(key) } },
    requirement_map: {
      user: { provider_name: "users" },
      open: {},
      billing: { provider_and_audiences: { provider_name: "users", audiences: ["billing"] } },
    },
    route_requirements: { "admin-route": "user", "public-route": "open", "billing-route": "billing" },
    rules: [
      { match: { prefix: "/rules-open/" }, requires: {} },
      { match: { prefix: "/named/" }, requirement_name: "user" },
    ],
    ...extra,
  };
}

type Host = Awaited<ReturnType<typeof load>>;

/** Sends a request whose route Envoy named `route` (undefined: the host reports no route name). */
function send(host: Host, path: string, route: string | undefined, headers: Record<string, string> = {}) {
  const stream = host.newHttpStream();
  if (route !== undefined) stream.setProperty("xds.route_name", route);
  stream.sendRequestHeaders(
    { ":method": "GET", ":authority": "api.example.com", ":scheme": "https", ":path": path, ...headers },
    { endOfStream: true },
  );
  const status = stream.localResponse ? stream.localResponse.status : stream.upstreamRequest.complete ? 200 : 0;
  return { stream, status, details: stream.localResponse?.details ?? "" };
}

describe("route_requirements: the requirement follows the route Envoy chose", () => {
  let host: Host;
  let apiToken: string, billingToken: string;
  beforeAll(async () => {
    host = await load(config());
    apiToken = `Bearer ${await mint(key, { iss: ISS, aud: "api", sub: "u1" })}`;
    billingToken = `Bearer ${await mint(key, { iss: ISS, aud: "billing", sub: "u1" })}`;
  });

  it("a mapped route needs its requirement, whatever the path", () => {
    expect(send(host, "/rules-open/x", "admin-route").status).toBe(401);
    expect(send(host, "/rules-open/x", "admin-route").details).toBe("jwt_authn_access_denied{missing}");
    expect(send(host, "/rules-open/x", "admin-route", { authorization: apiToken }).status).toBe(200);
  });

  it("a route mapped to an empty requirement is open", () => {
    expect(send(host, "/anything", "public-route").status).toBe(200);
  });

  it("finds each of many routes, named in any order, with its own requirement", async () => {
    // Names out of order, some sharing prefixes, so the table's sorted insertion and search are
    // exercised at both ends and in the middle; every third route is open, the others need a token.
    const names = ["m", "b", "z", "a", "y", "c", "mm", "ma", "x", "a-1", "zz", "b0"];
    const routes = Object.fromEntries(names.map((n, i) => [n, i % 3 == 0 ? "open" : "user"]));
    const many = await load(config({ route_requirements: routes }));
    for (const [i, n] of names.entries()) {
      expect(send(many, "/elsewhere", n).status, n).toBe(i % 3 == 0 ? 200 : 401);
      expect(send(many, "/elsewhere", n, { authorization: apiToken }).status, n).toBe(200);
    }
    for (const unmapped of ["", "0", "aa", "mz", "zzz"]) {
      expect(send(many, "/elsewhere", unmapped).details, unmapped).toBe("jwt_authn_access_denied{no_rule_matched}");
    }
  });

  it("a route with no mapping, or no name, follows rules and then unmatched (deny by default)", () => {
    expect(send(host, "/rules-open/x", "other-route").status).toBe(200);
    expect(send(host, "/elsewhere", "other-route").details).toBe("jwt_authn_access_denied{no_rule_matched}");
    expect(send(host, "/elsewhere", "").details).toBe("jwt_authn_access_denied{no_rule_matched}");
    expect(send(host, "/elsewhere", undefined).details).toBe("jwt_authn_access_denied{no_rule_matched}");
    expect(send(host, "/rules-open/x", undefined).status).toBe(200);
  });

  it("rules[].requirement_name names a requirement of requirement_map", () => {
    expect(send(host, "/named/x", undefined).details).toBe("jwt_authn_access_denied{missing}");
    expect(send(host, "/named/x", undefined, { authorization: apiToken }).status).toBe(200);
  });

  it("provider_and_audiences replaces the provider's audiences, and only there", () => {
    const billing = send(host, "/b", "billing-route", { authorization: billingToken });
    expect(billing.status).toBe(200);
    // The token was the users provider's: stripped before the upstream, as for the provider itself.
    expect(billing.stream.upstreamRequest.headers.has("authorization")).toBe(false);
    expect(send(host, "/b", "billing-route", { authorization: apiToken }).details).toBe(
      "jwt_authn_access_denied{audience_not_allowed}",
    );
    expect(send(host, "/a", "admin-route", { authorization: billingToken }).details).toBe(
      "jwt_authn_access_denied{audience_not_allowed}",
    );
    expect(send(host, "/b", "billing-route").details).toBe("jwt_authn_access_denied{missing}");
  });

  it("a mapped route whose path the filter would have to rewrite is refused (Envoy would route the rewritten path anew)", () => {
    const r = send(host, "/public/../admin", "public-route");
    expect(r.status).toBe(400);
    expect(r.details).toBe("jwt_authn_access_denied{path_changes_route}");
  });

  it("with route_requirements set, a path the filter would rewrite is refused even when no route is reported", () => {
    // A raw path that matches no route reports no route name in Envoy, yet Envoy routes the
    // rewritten path anew, so the name's absence cannot let the rewrite through.
    const r = send(host, "/x/../rules-open/x", undefined);
    expect(r.status).toBe(400);
    expect(r.details).toBe("jwt_authn_access_denied{path_changes_route}");
    expect(r.stream.upstreamRequest.complete).toBe(false);
    // An already normal path with no route reported still follows rules.
    expect(send(host, "/rules-open/x", undefined).status).toBe(200);
  });

  it("an unmapped route whose path the filter would rewrite is refused too: the rewritten path may be a mapped route's", () => {
    // Envoy routes the raw path by its prefix /x to an unmapped route; the rules would open the
    // normalised /rules-open/admin, and Envoy would then serve whatever route that path selects
    // (admin-route, mapped to "user") without its requirement ever being checked.
    for (const route of ["other-route", ""]) {
      const r = send(host, "/x/../rules-open/admin", route);
      expect(r.status).toBe(400);
      expect(r.details).toBe("jwt_authn_access_denied{path_changes_route}");
      expect(r.stream.upstreamRequest.complete).toBe(false);
    }
    // An already normal path on an unmapped route still follows rules.
    expect(send(host, "/rules-open/admin", "other-route").status).toBe(200);
  });
});

describe("provider_and_audiences with remote keys", () => {
  it("shares the provider's key set: one fetch, counted once, used by both", async () => {
    const host = await load({
      providers: {
        users: {
          issuer: ISS,
          audiences: ["api"],
          remote_jwks: { cluster: "idp", authority: "login.example.com", path: "/keys" },
        },
      },
      requirement_map: { billing: { provider_and_audiences: { provider_name: "users", audiences: ["billing"] } } },
      route_requirements: { "billing-route": "billing" },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "users" } }],
    });
    host.advance(50);
    const calls = host.pendingCalls();
    expect(calls).toHaveLength(1);
    calls[0]!.respond({ status: 200, headers: { "cache-control": "max-age=3600" }, body: jwks(key) });
    host.advance(5000);
    expect(host.pendingCalls()).toHaveLength(0);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(1);
    const billing = `Bearer ${await mint(key, { iss: ISS, aud: "billing" })}`;
    const api = `Bearer ${await mint(key, { iss: ISS, aud: "api" })}`;
    expect(send(host, "/b", "billing-route", { authorization: billing }).status).toBe(200);
    expect(send(host, "/a", "other", { authorization: api }).status).toBe(200);
    expect(send(host, "/a", "other", { authorization: billing }).details).toBe(
      "jwt_authn_access_denied{audience_not_allowed}",
    );
  });
});

describe("per-route configuration errors name their field", () => {
  it.each([
    [
      { route_requirements: { "admin-route": "nope" } },
      'route_requirements.admin-route: no requirement named "nope" in requirement_map',
    ],
    [{ route_requirements: { "admin-route": 3 } }, "route_requirements.admin-route: must be a string"],
    [{ route_requirements: { "": "user" } }, "route_requirements.: a route name must not be empty"],
    [
      { rules: [{ match: { prefix: "/" }, requirement_name: "nope" }] },
      'rules[0].requirement_name: no requirement named "nope"',
    ],
    [
      { rules: [{ match: { prefix: "/" }, requirement_name: "user", requires: {} }] },
      "rules[0]: give either requires or requirement_name",
    ],
    [
      { requirement_map: { x: { provider_name: "nobody" } } },
      'requirement_map.x.provider_name: no provider named "nobody"',
    ],
    [
      { requirement_map: { x: { provider_and_audiences: { provider_name: "nobody", audiences: ["a"] } } } },
      'requirement_map.x.provider_and_audiences.provider_name: no provider named "nobody"',
    ],
    [
      { requirement_map: { x: { provider_and_audiences: { provider_name: "users", audiences: [] } } } },
      "requirement_map.x.provider_and_audiences.audiences: needs at least one audience",
    ],
    [
      { requirement_map: { x: { provider_and_audiences: { provider_name: "users" } } } },
      "requirement_map.x.provider_and_audiences.audiences: needs at least one audience",
    ],
    [
      { requirement_map: { x: { provider_and_audiences: { provider_name: "users", audiences: ["a"], extra: 1 } } } },
      "requirement_map.x.provider_and_audiences.extra: unknown field",
    ],
  ])("refuses %j", async (extra, message) => {
    const refusal = await refusalOf({ ...config(), ...extra });
    expect(refusal).toContain(message);
  });
});
