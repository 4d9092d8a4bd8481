// SPDX-License-Identifier: Apache-2.0
// Issue 12, class 2, through the compiled filter: a token that is present but fails verification
// fails allow_missing and requires_any whatever else the request carries (a valid token of another
// provider included), with warm keys, cold keys (request paused until the fetch), failed fetches and
// a warm verified-token cache; nothing of the failed token reaches the upstream except under
// allow_missing_or_failed. Two providers that read one header do not fail each other's tokens.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, type SigningKey } from "./filter_helpers";

let userKey: SigningKey, serviceKey: SigningKey, attackerKey: SigningKey;
beforeAll(async () => {
  [userKey, serviceKey, attackerKey] = await Promise.all([rsaKey("u1"), rsaKey("s1"), rsaKey("u1")]);
});

const USERS = "https://login.example.com";
const SERVICES = "https://mesh.example.com";
function config(servicesHeader = "x-service-token") {
  return {
    providers: {
      users: {
        issuer: USERS,
        remote_jwks: { cluster: "idp", authority: "login.example.com", path: "/jwks", timeout_ms: 1000 },
      },
      services: {
        issuer: SERVICES,
        local_jwks: jwks(serviceKey),
        from_headers: [{ name: servicesHeader, value_prefix: servicesHeader === "authorization" ? "Bearer " : "" }],
      },
    },
    rules: [
      { match: { prefix: "/public/" }, requires: { allow_missing: {} } },
      {
        match: { prefix: "/any/" },
        requires: { requires_any: { requirements: [{ provider_name: "users" }, { provider_name: "services" }] } },
      },
      { match: { prefix: "/open/" }, requires: { allow_missing_or_failed: {} } },
    ],
  };
}
const HEADERS = { ":method": "GET", ":authority": "api.example.com", ":scheme": "https" };
type Host = Awaited<ReturnType<typeof load>>;

function send(host: Host, path: string, headers: Record<string, string>) {
  const stream = host.newHttpStream();
  const action = stream.sendRequestHeaders({ ...HEADERS, ":path": path, ...headers }, { endOfStream: true });
  return { stream, action };
}
function status(s: ReturnType<typeof send>["stream"]): number {
  if (s.localResponse) return s.localResponse.status;
  return s.upstreamRequest.complete ? 200 : 0;
}
async function warm(host: Host) {
  host.advance(50);
  for (const c of host.pendingCalls())
    c.respond({ status: 200, headers: { "cache-control": "max-age=3600" }, body: jwks(userKey) });
  host.advance(1000);
  expect(host.pendingCalls()).toHaveLength(0);
}

describe("allow_missing / requires_any with a bad token beside a good one", () => {
  let forged: string, unknownKid: string, user: string, service: string;
  beforeAll(async () => {
    forged = await mint(attackerKey, { iss: USERS, sub: "admin" }); // kid u1, wrong key
    unknownKid = await mint(attackerKey, { iss: USERS, sub: "admin" }, { kid: "nope" });
    user = await mint(userKey, { iss: USERS, sub: "u" });
    service = await mint(serviceKey, { iss: SERVICES, sub: "billing" });
  });

  it.each(["/public/a", "/any/a"])(
    "warm keys: %s refuses a forged Authorization token beside a valid service token",
    async (path) => {
      const host = await load(config());
      await warm(host);
      const ok = send(host, path, { "x-service-token": service });
      expect(status(ok.stream)).toBe(200);
      expect(ok.stream.upstreamRequest.headers.has("x-service-token")).toBe(false);
      // The valid service token is now in the verified-token cache: the answer must not change.
      const r = send(host, path, { authorization: `Bearer ${forged}`, "x-service-token": service });
      expect(status(r.stream)).toBe(401);
      expect(r.stream.localResponse!.details).toBe("jwt_authn_access_denied{signature_invalid}");
      expect(r.stream.upstreamRequest.complete).toBe(false);
      // Either order of the headers, and a token of an unknown kid (one refetch, then refused).
      expect(status(send(host, path, { "x-service-token": service, authorization: `Bearer ${forged}` }).stream)).toBe(
        401,
      );
      const kid = send(host, path, { authorization: `Bearer ${unknownKid}`, "x-service-token": service });
      expect(kid.action).toBe("Pause");
      host.pendingCalls()[0]!.respond({ status: 200, body: jwks(userKey) });
      expect(status(kid.stream)).toBe(401);
      expect(host.failures).toEqual([]);
    },
  );

  it.each(["/public/a", "/any/a"])(
    "cold keys: %s waits for the users' keys, then refuses the same pair",
    async (path) => {
      const host = await load(config());
      const r = send(host, path, { authorization: `Bearer ${forged}`, "x-service-token": service });
      expect(r.action).toBe("Pause"); // the service token alone would pass; the forged one must be checked first
      host.advance(50);
      const calls = host.pendingCalls();
      expect(calls).toHaveLength(1);
      calls[0]!.respond({ status: 200, body: jwks(userKey) });
      expect(status(r.stream)).toBe(401);
      expect(r.stream.upstreamRequest.complete).toBe(false);
      // A valid user token beside the service token passes, both stripped.
      const both = send(host, path, { authorization: `Bearer ${user}`, "x-service-token": service });
      expect(status(both.stream)).toBe(200);
      expect(both.stream.upstreamRequest.headers.has("authorization")).toBe(false);
      expect(both.stream.upstreamRequest.headers.has("x-service-token")).toBe(false);
    },
  );

  it("two cold key sets: the request waits for one, then the other, and passes with both tokens", async () => {
    const cfg = config();
    (cfg.providers as Record<string, any>).services = {
      issuer: SERVICES,
      remote_jwks: { cluster: "mesh", authority: "mesh.example.com", path: "/keys", timeout_ms: 1000 },
      from_headers: [{ name: "x-service-token" }],
    };
    for (const path of ["/public/a", "/any/a"]) {
      const host = await load(cfg, { clusters: ["idp", "mesh"] });
      const r = send(host, path, { authorization: `Bearer ${user}`, "x-service-token": service });
      expect(r.action, path).toBe("Pause");
      host.advance(50);
      const calls = host.pendingCalls();
      expect(calls.map((c) => c.cluster).sort()).toEqual(["idp", "mesh"]);
      calls.find((c) => c.cluster === "idp")!.respond({ status: 200, body: jwks(userKey) });
      expect(status(r.stream), path).toBe(0); // still waiting, now for the services' keys
      calls.find((c) => c.cluster === "mesh")!.respond({ status: 200, body: jwks(serviceKey) });
      expect(status(r.stream), path).toBe(200);
    }
  });

  it("keys that cannot be fetched: a present user token fails closed even beside a valid service token", async () => {
    const host = await load(config());
    const r = send(host, "/public/a", { authorization: `Bearer ${user}`, "x-service-token": service });
    expect(r.action).toBe("Pause");
    host.advance(50);
    host.pendingCalls()[0]!.respond({ status: 503, body: "down" });
    expect(status(r.stream)).toBe(401);
    expect(r.stream.localResponse!.details).toBe("jwt_authn_access_denied{jwks_unavailable}");
    // No token at all still passes allow_missing; no keys are needed for that.
    expect(status(send(host, "/public/a", {}).stream)).toBe(200);
  });

  it("allow_missing_or_failed lets the pair through: the verified token is stripped, the failed one is forwarded as sent", async () => {
    const host = await load(config());
    await warm(host);
    const r = send(host, "/open/a", { authorization: `Bearer ${forged}`, "x-service-token": service });
    expect(status(r.stream)).toBe(200);
    expect(r.stream.upstreamRequest.headers.get("authorization")).toBe(`Bearer ${forged}`);
    expect(r.stream.upstreamRequest.headers.has("x-service-token")).toBe(false);
  });

  it("two providers reading Authorization: a token valid for one is not a failure of the other", async () => {
    const host = await load(config("authorization"));
    await warm(host);
    for (const path of ["/public/a", "/any/a"]) {
      const s = send(host, path, { authorization: `Bearer ${service}` });
      expect(status(s.stream), path).toBe(200);
      expect(s.stream.upstreamRequest.headers.has("authorization")).toBe(false);
      const u = send(host, path, { authorization: `Bearer ${user}` });
      expect(status(u.stream), path).toBe(200);
      expect(status(send(host, path, { authorization: `Bearer ${forged}` }).stream), path).toBe(401);
    }
  });
});
