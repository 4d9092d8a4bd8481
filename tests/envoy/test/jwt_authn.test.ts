// SPDX-License-Identifier: Apache-2.0
// examples/jwt-authn in Envoy, from its own envoy.yaml: the `login` cluster reaches an IdP stand-in
// over real TLS (test CA, certificate for the cluster's SNI), `mesh_ca` a plain-HTTP one; tokens are
// minted with jose for the issuers and audience in plugin-config.json. One fetch per key set for two
// workers, claim headers upstream, every rule, RFC 6750 answers, refresh per Cache-Control, key
// services down at start, and certificates the shipped validation_context must refuse; counters from
// Envoy's /stats.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleDir, loadExampleBootstrap } from "../lib/bootstrap";
import { eventually, eventuallyGranted, send, type Answer } from "../lib/client";
import { envoyDescribe, type ExampleInEnvoy } from "../lib/envoy";
import { startIdp, type Idp } from "../lib/idp";
import {
  fetchLog,
  metric,
  onEveryWorker,
  startJwtExample,
  stat,
  statReaches,
  type JwtExampleRig,
} from "../lib/jwt_example";
import type { CertificateAuthority, TestPki } from "../lib/pki";
import { upstreamTls } from "../lib/tls_cluster";
import { jwksOf, mint, nowSeconds, signingKey, tamper, type SigningKey } from "../lib/tokens";
import { header, type Upstream } from "../lib/upstream";

const EXAMPLE = "jwt-authn";
const config = JSON.parse(readFileSync(join(exampleDir(EXAMPLE), "plugin-config.json"), "utf8"));
const users = config.providers.users;
const services = config.providers.services;
const usersUri = new URL(users.remote_jwks.uri);
const tls = upstreamTls(loadExampleBootstrap(EXAMPLE), users.remote_jwks.cluster);
const LOGIN: string = users.remote_jwks.cluster;
const MESH: string = services.remote_jwks.cluster;
const REALM = `Bearer realm="${config.realm}"`;
// Provider users allows DPoP (default algorithms): a refusal for a missing token names it too (RFC 9449 §7.1).
const DPOP = `DPoP algs="ES256 ES384 ES512 EdDSA PS256 RS256"`;
const SERVICE_HEADER: string = services.from_headers[0].name;

interface Keys {
  user: SigningKey;
  service: SigningKey;
}

function userToken(key: SigningKey, claims: Record<string, unknown> = {}): Promise<string> {
  const now = nowSeconds();
  return mint(key, {
    iss: users.issuer,
    aud: users.audiences[0],
    sub: "user|42",
    scope: "openid api:read",
    "https://example.com/claims": { tenant: "acme" },
    iat: now - 5,
    exp: now + 600,
    ...claims,
  });
}

function serviceToken(key: SigningKey, claims: Record<string, unknown> = {}): Promise<string> {
  const now = nowSeconds();
  // The audience only when the configuration asks for one.
  const aud = services.audiences === undefined ? {} : { aud: services.audiences[0] };
  return mint(key, { iss: services.issuer, ...aud, sub: "billing", iat: now - 5, exp: now + 300, ...claims });
}

async function keys(): Promise<Keys> {
  return { user: await signingKey("u1", "RS256"), service: await signingKey("s1", "ES256") };
}

/** The stand-ins for login.example.com (HTTPS, certificate for the SNI) and mesh-ca.internal (HTTP), by cluster. */
async function keyServices(
  pki: TestPki,
  ca: CertificateAuthority,
  k: Keys,
  listening = true,
): Promise<Record<string, Idp>> {
  const login = await startIdp({
    path: usersUri.pathname,
    jwks: jwksOf(k.user),
    tls: pki.serverCertificate(ca, tls.sni),
    cacheControl: "max-age=3600",
    listening,
  });
  const mesh = await startIdp({
    path: services.remote_jwks.path,
    jwks: jwksOf(k.service),
    cacheControl: "max-age=3600",
    listening,
  });
  return { [LOGIN]: login, [MESH]: mesh };
}

/** The example with both stand-ins started, `login` trusting the rig's test CA. */
async function startRig(
  k: Keys,
  listening = true,
  options: Parameters<typeof startJwtExample>[3] = {},
): Promise<JwtExampleRig> {
  return startJwtExample(EXAMPLE, [LOGIN], (pki, ca) => keyServices(pki, ca, k, listening), options);
}

function expectRefused(answer: Answer, status: number, error: string, reason: string, what = reason): void {
  expect(answer.status, what).toBe(status);
  expect(answer.headers["www-authenticate"], what).toBe(
    error === "" ? `${REALM}, ${DPOP}` : `${REALM}, error="${error}"`,
  );
  expect(JSON.parse(answer.body), what).toEqual({ error: error === "" ? "unauthorized" : error, reason });
}

describe("jwt-authn envoy.yaml as shipped", () => {
  it("verifies the login key server: system CA bundle, SAN matched to the SNI host", () => {
    expect(tls.sni).toBe(usersUri.hostname);
    expect(tls.trustedCaFile).toBe("/etc/ssl/certs/ca-certificates.crt");
    expect(tls.sanNames).toEqual([tls.sni]);
  });
});

envoyDescribe("jwt-authn in Envoy, two workers", () => {
  let rig: JwtExampleRig;
  let k: Keys;
  let login: Idp;
  let mesh: Idp;
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;
  const url = (path = "/orders") => `${proxy.url}${path}`;

  beforeAll(async () => {
    k = await keys();
    rig = await startRig(k, true, { concurrency: 2 });
    ({
      upstream,
      proxy,
      keyServers: { [LOGIN]: login, [MESH]: mesh },
    } = rig);
  });
  afterAll(() => rig?.close());

  it("accepts a user token on both workers with its claim headers, after one fetch per key set for the proxy", async () => {
    const token = await userToken(k.user);
    const granted = await onEveryWorker(proxy.envoy, 2, async () => {
      const answer = await send(url(), {
        authorization: `Bearer ${token}`,
        "x-user-id": "forged",
        "x-caller": "forged",
      });
      expect(answer.status).toBe(200);
      const received = upstream.received.at(-1)!;
      expect(header(received, "x-user-id")).toBe("user|42");
      expect(received.headers.filter(([n]) => n === "x-user-id")).toHaveLength(1);
      expect(header(received, "x-tenant")).toBe("acme");
      expect(header(received, users.forward_payload_header)).toBe(token.split(".")[1]);
      expect(header(received, "x-caller")).toBeUndefined();
      expect(header(received, "authorization")).toBeUndefined();
    });
    // The services key set is fetched on the first tick too, maybe by another VM; user tokens do not wait for it.
    await statReaches(proxy.envoy, "wasmcustom.jwt_authn.jwks_fetch_success", 2);
    expect(login.hits, fetchLog(proxy)).toBe(1);
    expect(login.fetches[0]).toMatchObject({ authority: usersUri.host, servername: tls.sni, path: usersUri.pathname });
    expect(mesh.hits, fetchLog(proxy)).toBe(1);
    expect(mesh.fetches[0]).toMatchObject({
      authority: services.remote_jwks.authority,
      servername: "",
      path: services.remote_jwks.path,
    });
    expect([...login.strayRequests, ...mesh.strayRequests]).toEqual([]);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(2);
    expect(await metric(proxy.envoy, "jwt_authn.allowed")).toBe(granted);
  });

  it("accepts a service token in its own header, with x-caller", async () => {
    const answer = await send(url(), { [SERVICE_HEADER]: await serviceToken(k.service) });
    expect(answer.status).toBe(200);
    const received = upstream.received.at(-1)!;
    expect(header(received, "x-caller")).toBe("billing");
    expect(header(received, SERVICE_HEADER)).toBeUndefined();
    expect(header(received, "x-user-id")).toBeUndefined();
  });

  it("applies the rules: /admin/ needs both tokens, /healthz none, /public/ a valid one if any", async () => {
    const user = `Bearer ${await userToken(k.user)}`;
    const service = await serviceToken(k.service);
    expectRefused(
      await send(url("/admin/x"), { authorization: user }),
      401,
      "",
      "missing",
      "/admin/ with a user token only",
    );
    expect((await send(url("/admin/x"), { authorization: user, [SERVICE_HEADER]: service })).status).toBe(200);
    expect(upstream.received.at(-1)!.path).toBe("/admin/x");
    expect((await send(url("/healthz"))).status).toBe(200);
    expect((await send(url("/public/a"))).status).toBe(200);
    const expired = await userToken(k.user, { exp: nowSeconds() - 600 });
    expectRefused(
      await send(url("/public/a"), { authorization: `Bearer ${expired}` }),
      401,
      "invalid_token",
      "expired",
      "/public/ with an expired token",
    );
  });

  it("refuses missing, expired, wrong-audience, wrong-issuer, tampered, out-of-scope and unknown-kid tokens with RFC 6750 challenges", async () => {
    const strangerService = await signingKey("s-unknown", "ES256");
    const now = nowSeconds();
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const cases: Array<[string, Record<string, string>, number, string, string]> = [
      ["missing", {}, 401, "", "missing"],
      [
        "expired",
        bearer(await userToken(k.user, { exp: now - 3600, iat: now - 7200 })),
        401,
        "invalid_token",
        "expired",
      ],
      [
        "wrong audience",
        bearer(await userToken(k.user, { aud: "https://other.example.com" })),
        403,
        "invalid_token",
        "audience_not_allowed",
      ],
      [
        "wrong issuer",
        bearer(await userToken(k.user, { iss: "https://login.example.org/" })),
        401,
        "invalid_token",
        "issuer_not_allowed",
      ],
      [
        "tampered",
        bearer(tamper(await userToken(k.user), { sub: "admin" })),
        401,
        "invalid_token",
        "signature_invalid",
      ],
      [
        "no api scope",
        bearer(await userToken(k.user, { scope: "openid" })),
        403,
        "insufficient_scope",
        "claim_requirement_failed",
      ],
      ["unknown kid", { [SERVICE_HEADER]: await serviceToken(strangerService) }, 401, "invalid_token", "key_not_found"],
    ];
    // Only the refetch the unknown kid forces reads this: a max-age under the services provider's
    // 30 s minimum (the default), so those keys live 30 s and are refreshed 15 s (half the lifetime)
    // before they expire.
    mesh.setCacheControl("max-age=5");
    const before = upstream.received.length;
    const deniedBefore = (await metric(proxy.envoy, "jwt_authn.denied"))!;
    for (const [what, headers, status, error, reason] of cases) {
      const counted = (await metric(proxy.envoy, `jwt_authn.denied.${reason}`)) ?? 0;
      expectRefused(await send(url(), headers), status, error, reason, what);
      expect(await metric(proxy.envoy, `jwt_authn.denied.${reason}`), what).toBe(counted + 1);
    }
    expect(await metric(proxy.envoy, "jwt_authn.denied")).toBe(deniedBefore + cases.length);
    mesh.setCacheControl("max-age=3600");
    expect(upstream.received.length).toBe(before);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_refetch_unknown_kid")).toBe(1);
    expect(mesh.hits, fetchLog(proxy)).toBe(2);
    expect(login.hits, fetchLog(proxy)).toBe(1);
  });

  it("refreshes a key set when its max-age says, and so picks up a rotated key; the other set is left alone", async () => {
    const rotated = await signingKey("s2", "ES256");
    mesh.setJwks(jwksOf(k.service, rotated));
    const token = await serviceToken(rotated);
    // The unknown-kid refetch of the previous test was less than 30 s ago: this kid waits for the refresh.
    expectRefused(
      await send(url(), { [SERVICE_HEADER]: token }),
      401,
      "invalid_token",
      "key_not_found",
      "rotated kid before the refresh",
    );
    expect(mesh.hits, fetchLog(proxy)).toBe(2);
    const shortLived = mesh.fetches[1].at;
    await eventually(
      "the refresh of the keys fetched with max-age=5",
      () => (mesh.hits === 3 ? true : undefined),
      40_000,
      250,
    );
    // Lifetime 30 s (the minimum), refreshed 15 s before expiry: not sooner than 15 s after (less a tick).
    expect(mesh.fetches[2].at - shortLived).toBeGreaterThanOrEqual(14_000);
    await eventuallyGranted("the refreshed keys in the workers", url(), { [SERVICE_HEADER]: token }, 5_000, 250);
    expect(header(upstream.received.at(-1)!, "x-caller")).toBe("billing");
    // login's keys came with max-age=3600: not fetched again.
    expect(login.hits, fetchLog(proxy)).toBe(1);
    expect(mesh.hits, fetchLog(proxy)).toBe(3);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(4);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_failed")).toBe(0);
  });
});

envoyDescribe("jwt-authn in Envoy, both key services down at start", () => {
  let rig: JwtExampleRig;
  let k: Keys;
  let login: Idp;
  let mesh: Idp;
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    k = await keys();
    rig = await startRig(k, false);
    ({
      upstream,
      proxy,
      keyServers: { [LOGIN]: login, [MESH]: mesh },
    } = rig);
  });
  afterAll(() => rig?.close());

  it("answers valid tokens with 401 jwks_unavailable while no keys can be had (no request left hanging)", async () => {
    await statReaches(proxy.envoy, "wasmcustom.jwt_authn.jwks_fetch_failed", 2);
    // The bound is the longest wait the filter documents (callout timeout 3 s plus two ticks), not a speed.
    const user = await send(
      `${proxy.url}/orders`,
      { authorization: `Bearer ${await userToken(k.user)}` },
      { noAnswerAfterMs: 6_000 },
    );
    expectRefused(user, 401, "invalid_token", "jwks_unavailable", "user token");
    const service = await send(
      `${proxy.url}/orders`,
      { [SERVICE_HEADER]: await serviceToken(k.service) },
      { noAnswerAfterMs: 6_000 },
    );
    expectRefused(service, 401, "invalid_token", "jwks_unavailable", "service token");
    expect(upstream.received).toEqual([]);
    expect(await metric(proxy.envoy, "jwt_authn.denied.jwks_unavailable")).toBe(2);
    expect(await stat(proxy.envoy, `cluster.${LOGIN}.upstream_cx_connect_fail`)).toBeGreaterThanOrEqual(1);
    expect(await stat(proxy.envoy, `cluster.${MESH}.upstream_cx_connect_fail`)).toBeGreaterThanOrEqual(1);
    expect(login.hits + mesh.hits).toBe(0);
    // A refused connection reaches the filter as Envoy's 503 reply, not as a failed call.
    await proxy.envoy.waitForLog(/wasm log .*JWKS fetch from mesh_ca mesh-ca\.internal\/keys failed: status 503;/);
  });

  it("recovers once they are back, after the backoff", async () => {
    await login.up();
    await mesh.up();
    const user = await userToken(k.user);
    const service = await serviceToken(k.service);
    await eventuallyGranted(
      "both tokens granted after the key services came back",
      `${proxy.url}/admin/x`,
      { authorization: `Bearer ${user}`, [SERVICE_HEADER]: service },
      40_000,
      500,
      { noAnswerAfterMs: 6_000 },
    );
    const received = upstream.received.at(-1)!;
    expect(header(received, "x-user-id")).toBe("user|42");
    expect(header(received, "x-caller")).toBe("billing");
    expect(login.hits, fetchLog(proxy)).toBe(1);
    expect(mesh.hits, fetchLog(proxy)).toBe(1);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(2);
  });
});

envoyDescribe("jwt-authn in Envoy, the login key server's certificate", () => {
  let rig: JwtExampleRig;
  let pki: TestPki;
  let ca: CertificateAuthority;
  let k: Keys;
  let login: Idp;
  let mesh: Idp;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    k = await keys();
    rig = await startJwtExample(EXAMPLE, [LOGIN], async (rigPki, rigCa) => {
      const servers = await keyServices(rigPki, rigCa, k);
      // Right name, but from a CA the cluster does not trust.
      servers[LOGIN].setCertificate(rigPki.serverCertificate(rigPki.authority("other-ca"), tls.sni));
      return servers;
    });
    ({
      pki,
      ca,
      proxy,
      keyServers: { [LOGIN]: login, [MESH]: mesh },
    } = rig);
  });
  afterAll(() => rig?.close());

  const userRefused = async () => {
    const answer = await send(
      `${proxy.url}/orders`,
      { authorization: `Bearer ${await userToken(k.user)}` },
      { noAnswerAfterMs: 6_000 },
    );
    expectRefused(answer, 401, "invalid_token", "jwks_unavailable", "user token");
  };

  it("refuses a certificate from another CA: no user keys, user tokens answered 401, service tokens still fine", async () => {
    await statReaches(proxy.envoy, `cluster.${LOGIN}.ssl.fail_verify_error`, 1);
    await statReaches(proxy.envoy, "wasmcustom.jwt_authn.jwks_fetch_failed", 1);
    await userRefused();
    expect(login.hits, fetchLog(proxy)).toBe(0);
    expect(login.refusedHandshakes).toBeGreaterThanOrEqual(1);
    // A refused certificate reaches the filter as Envoy's 503 reply, not as a failed call.
    await proxy.envoy.waitForLog(
      /wasm log .*JWKS fetch from login login\.example\.com\/\.well-known\/jwks\.json failed: status 503;/,
    );
    expect((await send(`${proxy.url}/orders`, { [SERVICE_HEADER]: await serviceToken(k.service) })).status).toBe(200);
    expect(mesh.hits, fetchLog(proxy)).toBe(1);
  });

  it("refuses a certificate from the trusted CA for another name", async () => {
    login.setCertificate(pki.serverCertificate(ca, "login.example.com.evil.example"));
    await statReaches(proxy.envoy, `cluster.${LOGIN}.ssl.fail_verify_san`, 1);
    await userRefused();
    expect(login.hits, fetchLog(proxy)).toBe(0);
  });

  it("accepts the trusted CA's certificate for the name", async () => {
    login.setCertificate(pki.serverCertificate(ca, tls.sni));
    const token = await userToken(k.user);
    await eventuallyGranted(
      "a granted user token once the certificate is right",
      `${proxy.url}/orders`,
      { authorization: `Bearer ${token}` },
      40_000,
      500,
      { noAnswerAfterMs: 6_000 },
    );
    expect(login.hits, fetchLog(proxy)).toBe(1);
    expect(await stat(proxy.envoy, `cluster.${LOGIN}.ssl.handshake`)).toBe(1);
  });
});

envoyDescribe("jwt-authn in Envoy, the services key server taking requests and never answering", () => {
  let rig: JwtExampleRig;
  let k: Keys;
  let mesh: Idp;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    k = await keys();
    rig = await startJwtExample(EXAMPLE, [LOGIN], async (pki, ca) => {
      const servers = await keyServices(pki, ca, k);
      servers[MESH].setStalling(true);
      return servers;
    });
    ({
      proxy,
      keyServers: { [MESH]: mesh },
    } = rig);
  });
  afterAll(() => rig?.close());

  it("answers a request waiting for those keys once the callout times out (no hang), and logs the timeout", async () => {
    await eventually(
      "the first fetch at the stalling key server",
      () => (mesh.hits >= 1 ? true : undefined),
      10_000,
      50,
    );
    // The request arrives while the fetch is in flight: it waits for it. Bound: the callout timeout
    // (1 s) plus two ticks, as the filter documents, with room; not a speed.
    const answer = await send(
      `${proxy.url}/orders`,
      { [SERVICE_HEADER]: await serviceToken(k.service) },
      { noAnswerAfterMs: 6_000 },
    );
    expectRefused(answer, 401, "invalid_token", "jwks_unavailable", "service token");
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_failed")).toBeGreaterThanOrEqual(1);
    // Envoy's async client ends a timed-out callout with its own 504 reply, not a failed call.
    await proxy.envoy.waitForLog(/wasm log .*JWKS fetch from mesh_ca mesh-ca\.internal\/keys failed: status 504;/);
    expect(await stat(proxy.envoy, `cluster.${MESH}.upstream_rq_timeout`)).toBeGreaterThanOrEqual(1);
    // User tokens are not held up by the other key set.
    expect((await send(`${proxy.url}/orders`, { authorization: `Bearer ${await userToken(k.user)}` })).status).toBe(
      200,
    );
  });
});
