// SPDX-License-Identifier: Apache-2.0
// Per-route requirements in Envoy 1.40: the jwt-authn filter reads the name of the route Envoy chose
// (`xds.route_name`) and applies the requirement `route_requirements` maps it to; routes without a
// mapping, and unnamed ones, follow the filter's rules (deny when none matches). Also shown here:
// `provider_and_audiences` on a route, and why a route-decided request must arrive normalised (Envoy
// chooses the route again after a wasm filter changes the path, so the filter refuses to change it).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { send, type Answer } from "../lib/client";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { rawRequest } from "../lib/raw_http";
import { routesBootstrap, type TestRoute } from "../lib/routes_bootstrap";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { header, startUpstream, type Upstream } from "../lib/upstream";

const ISS = "https://login.example.com/";

function configuration(key: SigningKey) {
  return {
    providers: { users: { issuer: ISS, audiences: ["api"], local_jwks: JSON.stringify(jwksOf(key)) } },
    requirement_map: {
      user: { provider_name: "users" },
      open: {},
      billing: { provider_and_audiences: { provider_name: "users", audiences: ["billing"] } },
    },
    route_requirements: { reports: "user", "reports-public": "open", billing: "billing" },
    // Only for routes Envoy reports without a mapping (or without a name).
    rules: [{ match: { prefix: "/rules-open/" } }],
  };
}

const ROUTES: TestRoute[] = [
  { name: "reports-public", prefix: "/reports/public/" },
  { name: "reports", prefix: "/reports/" },
  { name: "billing", prefix: "/billing/" },
  { name: "unmapped", prefix: "/rules-open/" },
  { prefix: "/" },
];

function reason(answer: Answer): string {
  return answer.body === "" ? "" : JSON.parse(answer.body).reason;
}

envoyDescribe("per-route requirements in Envoy", () => {
  let upstream: Upstream;
  let envoy: EnvoyProcess;
  let normalizing: EnvoyProcess;
  let url: string;
  let key: SigningKey;
  let apiToken: string;
  let billingToken: string;

  beforeAll(async () => {
    key = await signingKey("k1", "RS256");
    const now = nowSeconds();
    apiToken = await mint(key, { iss: ISS, aud: "api", sub: "u1", iat: now - 5, exp: now + 600 });
    billingToken = await mint(key, { iss: ISS, aud: "billing", sub: "u1", iat: now - 5, exp: now + 600 });
    upstream = await startUpstream();
    const options = { configuration: configuration(key), backend: upstream, routes: ROUTES };
    envoy = await startEnvoy({ envoy: envoyPath(), bootstrap: routesBootstrap(options) });
    url = await envoy.url();
    normalizing = await startEnvoy({
      envoy: envoyPath(),
      bootstrap: routesBootstrap({ ...options, normalizePath: true }),
    });
  });
  afterAll(async () => {
    await envoy?.stop();
    await normalizing?.stop();
    await upstream?.close();
  });

  it("a mapped route needs its requirement: no token 401, a valid token reaches the upstream without it", async () => {
    const missing = await send(`${url}/reports/q3`);
    expect(missing.status).toBe(401);
    expect(reason(missing)).toBe("missing");
    const granted = await send(`${url}/reports/q3`, { authorization: `Bearer ${apiToken}` });
    expect(granted.status).toBe(200);
    const received = upstream.received.at(-1)!;
    expect(received.path).toBe("/reports/q3");
    expect(header(received, "authorization")).toBeUndefined();
  });

  it("the route decides, not the path: the more specific route mapped to {} is open", async () => {
    expect((await send(`${url}/reports/public/summary`)).status).toBe(200);
  });

  it("provider_and_audiences on the billing route: the billing audience passes, the provider's own does not", async () => {
    expect((await send(`${url}/billing/invoices`, { authorization: `Bearer ${billingToken}` })).status).toBe(200);
    const api = await send(`${url}/billing/invoices`, { authorization: `Bearer ${apiToken}` });
    expect(api.status).toBe(401);
    expect(reason(api)).toBe("audience_not_allowed");
    // …and the billing token is not good where the provider itself is required.
    expect(reason(await send(`${url}/reports/q3`, { authorization: `Bearer ${billingToken}` }))).toBe(
      "audience_not_allowed",
    );
  });

  it("a named route without a mapping, and an unnamed route, follow the rules (deny when none matches)", async () => {
    expect((await send(`${url}/rules-open/status`)).status).toBe(200);
    const unnamed = await send(`${url}/elsewhere`, { authorization: `Bearer ${apiToken}` });
    expect(unnamed.status).toBe(401);
    expect(reason(unnamed)).toBe("no_rule_matched");
  });

  it("without normalize_path, a route-decided request whose path the filter would rewrite is refused with 400", async () => {
    // Envoy routes the raw path by prefix to the open "reports-public" route; the filter would make it
    // /reports/secret, after which Envoy picks the route again ("reports", which needs a token).
    const port = Number(new URL(url).port);
    const raw = await rawRequest(
      port,
      { method: "GET", path: "/reports/public/../secret", headers: [["host", "api.example.com"]] },
      5000,
    );
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body).reason).toBe("path_changes_route");
    expect(upstream.received.some((r) => r.path.includes("secret"))).toBe(false);
  });

  it("with normalize_path on the connection manager, Envoy routes the normal path and the mapped requirement applies", async () => {
    const port = Number(new URL(await normalizing.url()).port);
    const raw = await rawRequest(
      port,
      { method: "GET", path: "/reports/public/../secret", headers: [["host", "api.example.com"]] },
      5000,
    );
    expect(raw.status).toBe(401);
    expect(JSON.parse(raw.body).reason).toBe("missing");
  });
});
