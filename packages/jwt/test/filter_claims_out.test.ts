// SPDX-License-Identifier: Apache-2.0
// `claim_to_filter_state` through the compiled filter: verified claims are written with
// proxy_set_property, which Envoy keeps as filter state `wasm.<name>` (what its RBAC filter
// matches; tests/envoy/test/rbac.test.ts shows it there). Nothing is written for a request that is
// not allowed, for a token that was not verified, or for a claim that has no single text form.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, refusedConfigLog, type SigningKey } from "./filter_helpers";

const ISS = "https://login.example.com";
let key: SigningKey, other: SigningKey;
beforeAll(async () => {
  [key, other] = await Promise.all([rsaKey("k1"), rsaKey("k1")]);
});

function config() {
  return {
    providers: {
      users: {
        issuer: ISS,
        local_jwks: jwks(key),
        claim_to_filter_state: [
          { claim_name: "groups", key: "wasm.jwt_groups" },
          { claim_name: "sub", key: "wasm.jwt.sub" },
          { claim_name: "org.tier", key: "wasm.jwt_tier" },
          { claim_name: "admin", key: "wasm.jwt_admin" },
        ],
      },
    },
    rules: [
      { match: { prefix: "/open/" }, requires: { allow_missing: {} } },
      { match: { prefix: "/" }, requires: { provider_name: "users" } },
    ],
  };
}

type Host = Awaited<ReturnType<typeof load>>;

function send(host: Host, path: string, headers: Record<string, string> = {}) {
  const stream = host.newHttpStream();
  stream.sendRequestHeaders(
    { ":method": "GET", ":authority": "api.example.com", ":scheme": "https", ":path": path, ...headers },
    { endOfStream: true },
  );
  const state = (name: string) => {
    const v = stream.filterState.get(name);
    return v === undefined ? undefined : Buffer.from(v).toString("utf8");
  };
  return { stream, state, status: stream.localResponse ? stream.localResponse.status : 200 };
}

describe("claim_to_filter_state", () => {
  let host: Host;
  beforeAll(async () => {
    host = await load(config());
  });

  it("writes the selected claims of a verified token as filter state", async () => {
    const token = await mint(key, { iss: ISS, sub: "alice", groups: ["admins", "dev"], org: { tier: 3 }, admin: true });
    const r = send(host, "/api", { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(r.state("wasm.jwt_groups")).toBe("admins,dev");
    expect(r.state("wasm.jwt.sub")).toBe("alice");
    expect(r.state("wasm.jwt_tier")).toBe("3");
    expect(r.state("wasm.jwt_admin")).toBe("true");
  });

  it("writes a single string claim as it is, and nothing for objects, empty arrays or elements with a comma", async () => {
    const token = await mint(key, { iss: ISS, sub: "bob", groups: "admins", org: {}, admin: { nested: 1 } });
    const r = send(host, "/api", { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(r.state("wasm.jwt_groups")).toBe("admins");
    expect(r.state("wasm.jwt_tier")).toBeUndefined();
    expect(r.state("wasm.jwt_admin")).toBeUndefined();
    const comma = await mint(key, { iss: ISS, sub: "c", groups: ["a,admins"] });
    expect(send(host, "/api", { authorization: `Bearer ${comma}` }).state("wasm.jwt_groups")).toBeUndefined();
    const empty = await mint(key, { iss: ISS, sub: "c", groups: [] });
    expect(send(host, "/api", { authorization: `Bearer ${empty}` }).state("wasm.jwt_groups")).toBeUndefined();
  });

  it("writes nothing for a refused request or a token that was not verified", async () => {
    const forged = await mint(other, { iss: ISS, sub: "mallory", groups: ["admins"] });
    const refused = send(host, "/api", { authorization: `Bearer ${forged}` });
    expect(refused.status).toBe(401);
    expect(refused.stream.filterState.size).toBe(0);
    const open = send(host, "/open/x");
    expect(open.status).toBe(200);
    expect(open.stream.filterState.size).toBe(0);
  });

  it("writes the claims again on a verified-token cache hit", async () => {
    const token = await mint(key, { iss: ISS, sub: "dora", groups: ["ops"] });
    expect(send(host, "/api", { authorization: `Bearer ${token}` }).state("wasm.jwt_groups")).toBe("ops");
    const hit = send(host, "/api", { authorization: `Bearer ${token}` });
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBeGreaterThan(0);
    expect(hit.state("wasm.jwt_groups")).toBe("ops");
  });
});

describe("claim_to_filter_state configuration errors name their field", () => {
  it.each([
    [[{ claim_name: "groups", key: "jwt_groups" }], 'providers.users.claim_to_filter_state[0].key: must be "wasm."'],
    [[{ claim_name: "groups", key: "wasm." }], 'providers.users.claim_to_filter_state[0].key: must be "wasm."'],
    [[{ claim_name: "groups", key: "wasm.a b" }], 'providers.users.claim_to_filter_state[0].key: must be "wasm."'],
    [[{ key: "wasm.g" }], "providers.users.claim_to_filter_state[0].claim_name: is required"],
    [[{ claim_name: "g" }], "providers.users.claim_to_filter_state[0].key: is required"],
    [
      [{ claim_name: "g", key: "wasm.g", header: "x" }],
      "providers.users.claim_to_filter_state[0].header: unknown field",
    ],
  ])("refuses %j", async (states, message) => {
    const cfg = config();
    (cfg.providers.users as Record<string, unknown>).claim_to_filter_state = states;
    expect(await refusedConfigLog(cfg)).toContain(message);
  });
});
