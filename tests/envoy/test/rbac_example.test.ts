// SPDX-License-Identifier: Apache-2.0
// examples/jwt-authn as shipped (its own envoy.yaml and plugin-config.json): the named routes
// `reports` and `billing` get their requirements through `route_requirements`, and the RBAC filter
// after the JWT filter lets into /reports/ only tokens whose `groups` claim holds "auditors" (the
// filter writes it to the filter state wasm.jwt_groups). Key servers as in jwt_authn.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleDir, loadExampleBootstrap } from "../lib/bootstrap";
import { send } from "../lib/client";
import { envoyDescribe } from "../lib/envoy";
import { startIdp } from "../lib/idp";
import { startJwtExample, type JwtExampleRig } from "../lib/jwt_example";
import { upstreamTls } from "../lib/tls_cluster";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";

const EXAMPLE = "jwt-authn";
const config = JSON.parse(readFileSync(join(exampleDir(EXAMPLE), "plugin-config.json"), "utf8"));
const users = config.providers.users;
const services = config.providers.services;
const LOGIN: string = users.remote_jwks.cluster;
const MESH: string = services.remote_jwks.cluster;
const BILLING_AUDIENCE: string = config.requirement_map.billing.provider_and_audiences.audiences[0];

envoyDescribe("jwt-authn as shipped: route requirements and RBAC on a claim", () => {
  let rig: JwtExampleRig;
  let userKey: SigningKey;
  let url: string;

  function userToken(claims: Record<string, unknown> = {}): Promise<string> {
    const now = nowSeconds();
    return mint(userKey, {
      iss: users.issuer,
      aud: users.audiences[0],
      sub: "user|42",
      scope: "api:read",
      iat: now - 5,
      exp: now + 600,
      ...claims,
    });
  }

  beforeAll(async () => {
    userKey = await signingKey("u1", "RS256");
    const serviceKey = await signingKey("s1", "ES256");
    const tls = upstreamTls(loadExampleBootstrap(EXAMPLE), LOGIN);
    rig = await startJwtExample(EXAMPLE, [LOGIN], async (pki, ca) => ({
      [LOGIN]: await startIdp({
        path: new URL(users.remote_jwks.uri).pathname,
        jwks: jwksOf(userKey),
        tls: pki.serverCertificate(ca, tls.sni),
        cacheControl: "max-age=3600",
      }),
      [MESH]: await startIdp({
        path: services.remote_jwks.path,
        jwks: jwksOf(serviceKey),
        cacheControl: "max-age=3600",
      }),
    }));
    url = rig.proxy.url;
  });
  afterAll(() => rig?.close());

  it("/reports/: a user token whose groups hold auditors reaches the upstream", async () => {
    const answer = await send(`${url}/reports/q3`, {
      authorization: `Bearer ${await userToken({ groups: ["staff", "auditors"] })}`,
    });
    expect(answer.status).toBe(200);
    expect(rig.upstream.received.at(-1)!.path).toBe("/reports/q3");
  });

  it("/reports/: other groups, or none, are denied by RBAC; no token is the JWT filter's 401", async () => {
    for (const claims of [{ groups: ["staff"] }, { groups: "auditors-lite" }, {}]) {
      const answer = await send(`${url}/reports/q3`, { authorization: `Bearer ${await userToken(claims)}` });
      expect(answer.status, JSON.stringify(claims)).toBe(403);
      expect(answer.body).toBe("RBAC: access denied");
    }
    const missing = await send(`${url}/reports/q3`);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).reason).toBe("missing");
  });

  it("/billing/: the users provider with the billing audience (provider_and_audiences)", async () => {
    expect(
      (await send(`${url}/billing/invoices`, { authorization: `Bearer ${await userToken({ aud: BILLING_AUDIENCE })}` }))
        .status,
    ).toBe(200);
    const api = await send(`${url}/billing/invoices`, { authorization: `Bearer ${await userToken()}` });
    expect(api.status).toBe(config.audience_failure_status);
    expect(JSON.parse(api.body).reason).toBe("audience_not_allowed");
  });
});
