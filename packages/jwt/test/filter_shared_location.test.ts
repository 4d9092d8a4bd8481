// SPDX-License-Identifier: Apache-2.0
// The "two providers on one header" exception through the compiled filter: a token that fails for one
// provider counts as missing for it only when another provider verified it at the same places. Equal
// values are not enough: a users token copied into the services' own header (which users do not read)
// must fail there, and must not reach the upstream as if the services had accepted it.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, type SigningKey } from "./filter_helpers";

let userKey: SigningKey, serviceKey: SigningKey;
beforeAll(async () => {
  [userKey, serviceKey] = await Promise.all([rsaKey("u1"), rsaKey("s1")]);
});

const USERS = "https://login.example.com";
const SERVICES = "https://mesh.example.com";
function config(servicesHeader: string) {
  return {
    providers: {
      users: { issuer: USERS, local_jwks: jwks(userKey), forward: true },
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
    ],
  };
}
const HEADERS = { ":method": "GET", ":authority": "api.example.com", ":scheme": "https" };
type Host = Awaited<ReturnType<typeof load>>;

function send(host: Host, path: string, headers: Record<string, string>) {
  const stream = host.newHttpStream();
  stream.sendRequestHeaders({ ...HEADERS, ":path": path, ...headers }, { endOfStream: true });
  return stream;
}
function status(s: ReturnType<typeof send>): number {
  if (s.localResponse) return s.localResponse.status;
  return s.upstreamRequest.complete ? 200 : 0;
}

describe("a token verified by one provider fails another provider's own location", () => {
  let user: string, service: string;
  beforeAll(async () => {
    user = await mint(userKey, { iss: USERS, sub: "u" });
    service = await mint(serviceKey, { iss: SERVICES, sub: "billing" });
  });

  it.each(["/public/a", "/any/a"])(
    "%s: Authorization: Bearer U plus x-service-token: U is 401, nothing forwarded",
    async (path) => {
      const host = await load(config("x-service-token"));
      const r = send(host, path, { authorization: `Bearer ${user}`, "x-service-token": user });
      expect(status(r)).toBe(401);
      expect(r.localResponse!.details).toBe("jwt_authn_access_denied{issuer_not_allowed}");
      expect(r.upstreamRequest.complete).toBe(false);
      // The users token alone in the services' header fails the same way.
      const alone = send(host, path, { "x-service-token": user });
      expect(status(alone)).toBe(401);
      expect(alone.localResponse!.details).toBe(r.localResponse!.details);
      // The users token where users read it still passes (forwarded, as configured).
      const ok = send(host, path, { authorization: `Bearer ${user}` });
      expect(status(ok)).toBe(200);
      expect(ok.upstreamRequest.headers.get("authorization")).toBe(`Bearer ${user}`);
      expect(host.failures).toEqual([]);
    },
  );

  it("a header both providers read keeps the exception: each one's token passes there", async () => {
    const host = await load(config("authorization"));
    for (const path of ["/public/a", "/any/a"]) {
      expect(status(send(host, path, { authorization: `Bearer ${user}` })), path).toBe(200);
      const s = send(host, path, { authorization: `Bearer ${service}` });
      expect(status(s), path).toBe(200);
      expect(s.upstreamRequest.headers.has("authorization"), path).toBe(false);
    }
    expect(host.failures).toEqual([]);
  });
});
