// SPDX-License-Identifier: Apache-2.0
// OIDC discovery through the compiled filter in @getwild/host: a provider with only its issuer (and
// a cluster) fetches `<issuer>/.well-known/openid-configuration`, checks the document's issuer, then
// fetches the keys at its jwks_uri through the cluster the host of that URI maps to. The document
// is cached like the JWKS: one fetch for the whole proxy, Cache-Control lifetime, refresh, backoff
// after failures, fail closed while nothing usable is known.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, refusedConfigLog, type SigningKey } from "./filter_helpers";

const ISS = "https://login.example.com/tenant-a";
const WELL_KNOWN = "/tenant-a/.well-known/openid-configuration";
let key: SigningKey;
beforeAll(async () => {
  key = await rsaKey("k1");
});

function config(discovery: Record<string, unknown> = {}) {
  return {
    providers: { users: { issuer: ISS, oidc_discovery: { cluster: "idp", timeout_ms: 2000, ...discovery } } },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "users" } }],
  };
}

type Host = Awaited<ReturnType<typeof load>>;

function json(body: unknown, maxAge?: number) {
  return {
    status: 200,
    headers: {
      "content-type": "application/json",
      ...(maxAge === undefined ? {} : { "cache-control": `max-age=${maxAge}` }),
    },
    body: JSON.stringify(body),
  };
}

function document(extra: Record<string, unknown> = {}) {
  return {
    issuer: ISS,
    jwks_uri: "https://login.example.com/tenant-a/keys",
    authorization_endpoint: "https://login.example.com/auth",
    ...extra,
  };
}

function send(host: Host, token: string | null, worker?: number) {
  const stream = host.newHttpStream(worker === undefined ? {} : { worker });
  const headers: Record<string, string> = {
    ":method": "GET",
    ":path": "/data",
    ":authority": "api.example.com",
    ":scheme": "https",
  };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const action = stream.sendRequestHeaders(headers, { endOfStream: true });
  const status = () => (stream.localResponse ? stream.localResponse.status : stream.upstreamRequest.complete ? 200 : 0);
  return { stream, action, status, reason: () => stream.localResponse?.details ?? "" };
}

/** Starts the host and answers the discovery fetch and then the key fetch; returns the calls seen. */
async function warm(host: Host, doc: unknown = document(), maxAge = 3600, keysMaxAge = 3600) {
  host.advance(50);
  const [discovery] = host.pendingCalls();
  discovery!.respond(json(doc, maxAge));
  const [keys] = host.pendingCalls();
  keys!.respond(json(JSON.parse(jwks(key)), keysMaxAge));
  return { discovery: discovery!, keys: keys! };
}

describe("oidc_discovery", () => {
  it("fetches the discovery document through the cluster, then the keys at its jwks_uri, once for the whole proxy", async () => {
    const host = await load(config(), { workers: 2 });
    expect(host.pendingCalls()).toHaveLength(0);
    const { discovery, keys } = await warm(host);
    expect(discovery.cluster).toBe("idp");
    expect(discovery.headers.get(":authority")).toBe("login.example.com");
    expect(discovery.headers.get(":path")).toBe(WELL_KNOWN);
    expect(discovery.timeoutMs).toBe(2000);
    expect(keys.cluster).toBe("idp");
    expect(keys.headers.get(":authority")).toBe("login.example.com");
    expect(keys.headers.get(":path")).toBe("/tenant-a/keys");
    const token = await mint(key, { iss: ISS });
    for (const worker of [0, 1]) expect(send(host, token, worker).status()).toBe(200);
    host.advance(5000);
    expect(host.pendingCalls()).toHaveLength(0);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("a request that arrives cold waits through both fetches and is then granted", async () => {
    const host = await load(config());
    const token = await mint(key, { iss: ISS });
    const r = send(host, token);
    expect(r.action).toBe("Pause");
    const [discovery] = host.pendingCalls();
    expect(discovery!.headers.get(":path")).toBe(WELL_KNOWN);
    discovery!.respond(json(document()));
    expect(r.status()).toBe(0); // still waiting: the keys are being fetched now
    const [keys] = host.pendingCalls();
    expect(keys!.headers.get(":path")).toBe("/tenant-a/keys");
    keys!.respond(json(JSON.parse(jwks(key))));
    expect(r.status()).toBe(200);
  });

  it("refuses a document whose issuer is not the configured one: no key fetch, requests fail closed", async () => {
    for (const issuer of ["https://login.example.com/tenant-b", `${ISS}/`, "https://evil.example.com/tenant-a"]) {
      const host = await load(config());
      const token = await mint(key, { iss: ISS });
      const r = send(host, token);
      host.pendingCalls()[0]!.respond(json(document({ issuer })));
      expect(host.pendingCalls(), issuer).toHaveLength(0);
      expect(r.status(), issuer).toBe(401);
      expect(r.reason()).toBe("jwt_authn_access_denied{jwks_unavailable}");
      expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(1);
    }
  });

  it("refuses a jwks_uri on another host unless jwks_cluster names a cluster for it", async () => {
    const google = document({ jwks_uri: "https://www.googleapis.com/oauth2/v3/certs" });
    const closed = await load(config());
    const r = send(closed, await mint(key, { iss: ISS }));
    closed.pendingCalls()[0]!.respond(json(google));
    expect(closed.pendingCalls()).toHaveLength(0);
    expect(r.status()).toBe(401);

    const open = await load(config({ jwks_cluster: "googleapis" }), { clusters: ["idp", "googleapis"] });
    const { keys } = await warm(open, google);
    expect(keys.cluster).toBe("googleapis");
    expect(keys.headers.get(":authority")).toBe("www.googleapis.com");
    expect(keys.headers.get(":path")).toBe("/oauth2/v3/certs");
    expect(send(open, await mint(key, { iss: ISS })).status()).toBe(200);
  });

  it.each([
    ["not JSON", "<html>", 200],
    ["no jwks_uri", JSON.stringify({ issuer: ISS }), 200],
    ["an http jwks_uri", JSON.stringify(document({ jwks_uri: "http://login.example.com/keys" })), 200],
    ["a jwks_uri with userinfo", JSON.stringify(document({ jwks_uri: "https://u@login.example.com/keys" })), 200],
    ["a 404", "not found", 404],
  ])("a document with %s is a failed fetch (backoff, then tried again)", async (_what, body, status) => {
    const host = await load(config({ backoff_base_ms: 1000 }));
    host.advance(50);
    host.pendingCalls()[0]!.respond({ status, headers: {}, body });
    expect(host.pendingCalls()).toHaveLength(0);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(1);
    host.advance(1100);
    const retry = host.pendingCalls();
    expect(retry).toHaveLength(1);
    expect(retry[0]!.headers.get(":path")).toBe(WELL_KNOWN);
  });

  it("caches the document for its max-age, refreshes it, and follows a new jwks_uri; a failed refresh keeps the last good one", async () => {
    const host = await load(config({ min_lifetime_seconds: 30, refresh_before_seconds: 10 }));
    await warm(host, document(), 60, 60);
    const paths = () =>
      host
        .pendingCalls()
        .map((c) => c.headers.get(":path"))
        .sort();
    host.advance(45_000);
    expect(paths()).toEqual([]);
    host.advance(6_000); // 51 s: both were due 10 s before their 60 s lifetime
    expect(paths()).toEqual([WELL_KNOWN, "/tenant-a/keys"]);
    const v2 = document({ jwks_uri: "https://login.example.com/tenant-a/keys-v2" });
    for (const call of host.pendingCalls())
      call.respond(call.headers.get(":path") === WELL_KNOWN ? json(v2, 60) : json(JSON.parse(jwks(key)), 60));
    const token = await mint(key, { iss: ISS });
    expect(send(host, token).status()).toBe(200);
    host.advance(51_000);
    // The keys are fetched from the document's new location at their next refresh.
    expect(paths()).toEqual([WELL_KNOWN, "/tenant-a/keys-v2"]);
    // Refreshes that fail keep the location and the keys.
    for (const call of host.pendingCalls()) call.respond({ status: 503, headers: {}, body: "down" });
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(2);
    expect(send(host, token).status()).toBe(200);
  });

  it("an issuer with a trailing slash: the well-known path has one slash", async () => {
    const iss = "https://login.example.com/";
    const host = await load({
      providers: { users: { issuer: iss, oidc_discovery: { cluster: "idp" } } },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "users" } }],
    });
    host.advance(50);
    expect(host.pendingCalls()[0]!.headers.get(":path")).toBe("/.well-known/openid-configuration");
  });
});

describe("oidc_discovery configuration errors name their field", () => {
  it.each([
    [{ issuer: ISS, oidc_discovery: {} }, "providers.users.oidc_discovery.cluster: is required"],
    [{ oidc_discovery: { cluster: "idp" } }, "providers.users.issuer: oidc_discovery needs exactly one issuer"],
    [
      { issuers: [ISS, "https://other.example.com"], oidc_discovery: { cluster: "idp" } },
      "providers.users.issuer: oidc_discovery needs exactly one issuer",
    ],
    [
      { issuer: "http://login.example.com", oidc_discovery: { cluster: "idp" } },
      "providers.users.issuer: must be an https URL",
    ],
    [
      { issuer: ISS, oidc_discovery: { cluster: "idp", uri: "https://x/k" } },
      "providers.users.oidc_discovery.uri: unknown field",
    ],
    [
      { issuer: ISS, oidc_discovery: { cluster: "idp", timeout_ms: 0 } },
      "providers.users.oidc_discovery.timeout_ms: must be an integer from 1 to 60000",
    ],
    [
      { issuer: ISS, oidc_discovery: { cluster: "idp" }, remote_jwks: { cluster: "idp", uri: "https://x/k" } },
      "providers.users: oidc_discovery excludes local_jwks, remote_jwks and firebase",
    ],
  ])("refuses %j", async (provider, message) => {
    expect(await refusedConfigLog({ providers: { users: provider }, rules: [] })).toContain(message);
  });
});
