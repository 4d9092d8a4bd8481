// SPDX-License-Identifier: Apache-2.0
// Claims for Envoy's RBAC filter, in Envoy 1.40: the jwt-authn filter writes selected claims with
// proxy_set_property (`claim_to_filter_state`), Envoy keeps them as filter state `wasm.<name>`, and
// an RBAC filter placed after it matches them with a `filter_state` principal. One claim value is
// allowed, others are denied; nothing of it reaches the upstream.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { send } from "../lib/client";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { allowFilterState, routesBootstrap } from "../lib/routes_bootstrap";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { startUpstream, type Upstream } from "../lib/upstream";

const ISS = "https://login.example.com/";

envoyDescribe("claims for Envoy's RBAC filter", () => {
  let upstream: Upstream;
  let envoy: EnvoyProcess;
  let url: string;
  let key: SigningKey;

  const token = (claims: Record<string, unknown>) => {
    const now = nowSeconds();
    return mint(key, { iss: ISS, aud: "api", sub: "u1", iat: now - 5, exp: now + 600, ...claims });
  };

  beforeAll(async () => {
    key = await signingKey("k1", "RS256");
    upstream = await startUpstream();
    const configuration = {
      providers: {
        users: {
          issuer: ISS,
          audiences: ["api"],
          local_jwks: JSON.stringify(jwksOf(key)),
          claim_to_filter_state: [
            { claim_name: "groups", key: "wasm.jwt_groups" },
            { claim_name: "sub", key: "wasm.jwt.sub" },
          ],
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "users" } }],
    };
    envoy = await startEnvoy({
      envoy: envoyPath(),
      bootstrap: routesBootstrap({
        configuration,
        backend: upstream,
        routes: [
          // RE2 matches the whole value: one element of the comma-joined groups.
          {
            name: "audit",
            prefix: "/audit/",
            rbac: allowFilterState("wasm.jwt_groups", { safe_regex: { regex: "(.*,)?auditors(,.*)?" } }),
          },
          { name: "alice", prefix: "/alice/", rbac: allowFilterState("wasm.jwt.sub", { exact: "alice" }) },
          { prefix: "/" },
        ],
      }),
    });
    url = await envoy.url();
  });
  afterAll(async () => {
    await envoy?.stop();
    await upstream?.close();
  });

  it("RBAC allows the claim value its policy names (one element of an array claim)", async () => {
    const answer = await send(`${url}/audit/log`, {
      authorization: `Bearer ${await token({ groups: ["staff", "auditors"] })}`,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("upstream");
    // The claims went to RBAC only: nothing of them is in the request the upstream got.
    const received = upstream.received.at(-1)!;
    expect(received.path).toBe("/audit/log");
    expect(received.headers.some(([, value]) => value.includes("auditors"))).toBe(false);
  });

  it("RBAC denies other values: 403 from RBAC, the upstream never sees the request", async () => {
    const before = upstream.received.length;
    for (const groups of [["staff"], ["superauditors"], "auditors-lite"]) {
      const answer = await send(`${url}/audit/log`, { authorization: `Bearer ${await token({ groups })}` });
      expect(answer.status, JSON.stringify(groups)).toBe(403);
      expect(answer.body).toBe("RBAC: access denied");
    }
    // No groups claim at all: no filter state, nothing for the matcher to match.
    expect((await send(`${url}/audit/log`, { authorization: `Bearer ${await token({})}` })).status).toBe(403);
    expect(upstream.received.length).toBe(before);
  });

  it("a dotted state name works too (wasm.jwt.sub), matched exactly", async () => {
    expect((await send(`${url}/alice/x`, { authorization: `Bearer ${await token({ sub: "alice" })}` })).status).toBe(
      200,
    );
    expect((await send(`${url}/alice/x`, { authorization: `Bearer ${await token({ sub: "alice2" })}` })).status).toBe(
      403,
    );
  });

  it("the JWT filter answers first: no token is its 401, not RBAC's 403", async () => {
    const answer = await send(`${url}/audit/log`);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).reason).toBe("missing");
  });

  it("a forged token with the allowed claim is refused by the JWT filter before RBAC", async () => {
    const other = await signingKey("k1", "RS256");
    const now = nowSeconds();
    const forged = await mint(other, {
      iss: ISS,
      aud: "api",
      sub: "u1",
      groups: ["auditors"],
      iat: now - 5,
      exp: now + 600,
    });
    const answer = await send(`${url}/audit/log`, { authorization: `Bearer ${forged}` });
    expect(answer.status).toBe(401);
  });
});
