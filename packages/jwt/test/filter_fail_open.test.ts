// SPDX-License-Identifier: Apache-2.0
// `jwks_unavailable: "allow"` through the compiled filter: when a provider's keys cannot be had, only
// the token of that provider counts as passing; the rest of the rule is still enforced. (It used to
// let the whole rule through, so a junk users token alone passed `requires_all [users, services]`.)
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, type SigningKey } from "./filter_helpers";

let userKey: SigningKey, serviceKey: SigningKey, attackerKey: SigningKey;
beforeAll(async () => {
  [userKey, serviceKey, attackerKey] = await Promise.all([rsaKey("u1"), rsaKey("s1"), rsaKey("s1")]);
});

const USERS = "https://login.example.com";
const SERVICES = "https://mesh.example.com";
const CONFIG = {
  jwks_unavailable: "allow",
  providers: {
    users: {
      issuer: USERS,
      remote_jwks: { cluster: "idp", authority: "login.example.com", path: "/jwks", timeout_ms: 1000 },
    },
    services: {
      issuer: SERVICES,
      local_jwks: "",
      from_headers: [{ name: "x-service-token", value_prefix: "" }],
      claim_to_headers: [{ header_name: "x-service-id", claim_name: "sub" }],
    },
  },
  rules: [
    {
      match: { prefix: "/all/" },
      requires: { requires_all: { requirements: [{ provider_name: "users" }, { provider_name: "services" }] } },
    },
    {
      match: { prefix: "/any/" },
      requires: { requires_any: { requirements: [{ provider_name: "users" }, { provider_name: "services" }] } },
    },
    { match: { prefix: "/svc/" }, requires: { provider_name: "services" } },
  ],
};
const HEADERS = { ":method": "GET", ":authority": "api.example.com", ":scheme": "https" };
type Host = Awaited<ReturnType<typeof load>>;

/** Sends a request; a request that waits for the users' keys gets the key endpoint's 503. */
function send(host: Host, path: string, headers: Record<string, string>) {
  const stream = host.newHttpStream();
  const action = stream.sendRequestHeaders({ ...HEADERS, ":path": path, ...headers }, { endOfStream: true });
  if (action === "Pause") {
    host.advance(50);
    for (const c of host.pendingCalls()) c.respond({ status: 503, body: "down" });
  }
  return stream;
}
function status(s: ReturnType<typeof send>): number {
  if (s.localResponse) return s.localResponse.status;
  return s.upstreamRequest.complete ? 200 : 0;
}

describe("jwks_unavailable: allow fails open for the provider whose keys are down, only", () => {
  let junk: string, service: string, forgedService: string;
  let host: Host;
  beforeAll(async () => {
    const user = await mint(userKey, { iss: USERS, sub: "u" });
    junk = user.split(".").slice(0, 2).join(".") + ".AAAA"; // claims the users' issuer, signature junk
    service = await mint(serviceKey, { iss: SERVICES, sub: "billing" });
    forgedService = await mint(attackerKey, { iss: SERVICES, sub: "admin" });
    CONFIG.providers.services.local_jwks = jwks(serviceKey);
    host = await load(CONFIG);
  });

  it("requires_all: a junk users token without a services token is 401 missing", () => {
    const r = send(host, "/all/a", { authorization: `Bearer ${junk}` });
    expect(status(r)).toBe(401);
    expect(r.localResponse!.details).toBe("jwt_authn_access_denied{missing}");
    expect(r.upstreamRequest.complete).toBe(false);
    // Nothing at all is missing too (no keys needed to say so).
    expect(status(send(host, "/all/a", {}))).toBe(401);
    expect(host.failures).toEqual([]);
  });

  it("requires_all: with a valid services token it passes (fail-open for the users' token only)", () => {
    const r = send(host, "/all/a", { authorization: `Bearer ${junk}`, "x-service-token": service });
    expect(status(r)).toBe(200);
    expect(r.upstreamRequest.headers.get("x-service-id")).toBe("billing");
    expect(r.upstreamRequest.headers.has("x-service-token")).toBe(false);
    // The users' token was never checked: it is not taken for verified (no stripping as if it were).
    expect(r.upstreamRequest.headers.get("authorization")).toBe(`Bearer ${junk}`);
  });

  it("requires_all: a forged services token still fails while the users' keys are down", () => {
    const r = send(host, "/all/a", { authorization: `Bearer ${junk}`, "x-service-token": forgedService });
    expect(status(r)).toBe(401);
    expect(r.localResponse!.details).toBe("jwt_authn_access_denied{signature_invalid}");
  });

  it("requires_any: a junk users token passes (the documented fail-open), nothing at all does not", () => {
    expect(status(send(host, "/any/a", { authorization: `Bearer ${junk}` }))).toBe(200);
    const none = send(host, "/any/a", {});
    expect(status(none)).toBe(401);
    expect(none.localResponse!.details).toBe("jwt_authn_access_denied{missing}");
    expect(status(send(host, "/any/a", { "x-service-token": service }))).toBe(200);
    expect(status(send(host, "/any/a", { "x-service-token": forgedService }))).toBe(401);
  });

  it("a rule that names only the services is not opened by a users token whose keys are down", () => {
    const r = send(host, "/svc/a", { authorization: `Bearer ${junk}` });
    expect(status(r)).toBe(401);
    expect(r.localResponse!.details).toBe("jwt_authn_access_denied{missing}");
    expect(host.failures).toEqual([]);
  });
});
