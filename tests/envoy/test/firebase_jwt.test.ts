// SPDX-License-Identifier: Apache-2.0
// examples/firebase-jwt in Envoy, from its own envoy.yaml: the `googleapis` cluster reaches an IdP
// stand-in over real TLS (test CA, certificate for the cluster's SNI), Firebase ID tokens are minted
// with jose for the project id in plugin-config.json. One key fetch for two workers, the claim
// headers upstream, RFC 6750 answers, refresh per Cache-Control, an endpoint that is down at start,
// and certificates the shipped validation_context must refuse; counters from Envoy's /stats.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exampleDir, loadExampleBootstrap } from "../lib/bootstrap";
import { eventually, eventuallyGranted, send } from "../lib/client";
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
import { repoRoot } from "../lib/locate";
import type { CertificateAuthority, TestPki } from "../lib/pki";
import { upstreamTls } from "../lib/tls_cluster";
import { jwksOf, mint, nowSeconds, signingKey, tamper, type SigningKey } from "../lib/tokens";
import { header, type Upstream } from "../lib/upstream";

const EXAMPLE = "firebase-jwt";
const pluginConfig = JSON.parse(readFileSync(join(exampleDir(EXAMPLE), "plugin-config.json"), "utf8"));
const PROJECT: string = pluginConfig.providers.firebase.firebase.project_id;
const CLUSTER: string = pluginConfig.providers.firebase.firebase.cluster;
const tls = upstreamTls(loadExampleBootstrap(EXAMPLE), CLUSTER);
// Where the preset fetches Google's keys: read from the preset, not restated here.
const preset = readFileSync(join(repoRoot, "packages", "jwt", "assembly", "presets", "firebase.ts"), "utf8");
const JWKS_AUTHORITY = /FIREBASE_JWKS_AUTHORITY = "([^"]+)"/.exec(preset)![1];
const JWKS_PATH = /FIREBASE_JWKS_PATH = "([^"]+)"/.exec(preset)![1];
const GOOGLE_CACHE_CONTROL = "public, max-age=19845, must-revalidate, no-transform";

function idToken(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = nowSeconds();
  return mint(
    key,
    {
      iss: `https://securetoken.google.com/${PROJECT}`,
      aud: PROJECT,
      sub: "alice-uid",
      auth_time: now - 600,
      iat: now - 60,
      exp: now + 3540,
      firebase: { sign_in_provider: "password" },
      ...claims,
    },
    header,
  );
}

/** The stand-in for www.googleapis.com, with a certificate for the name the cluster sends as SNI. */
async function googleStandIn(pki: TestPki, ca: CertificateAuthority, key: SigningKey, listening = true): Promise<Idp> {
  return startIdp({
    path: JWKS_PATH,
    jwks: jwksOf(key),
    tls: pki.serverCertificate(ca, tls.sni),
    cacheControl: GOOGLE_CACHE_CONTROL,
    listening,
  });
}

describe("firebase-jwt envoy.yaml as shipped", () => {
  it("verifies the key server: system CA bundle, SAN matched to the SNI host", () => {
    expect(tls.sni).toBe(JWKS_AUTHORITY);
    expect(tls.trustedCaFile).toBe("/etc/ssl/certs/ca-certificates.crt");
    expect(tls.sanNames).toEqual([tls.sni]);
  });
});

envoyDescribe("firebase-jwt in Envoy, two workers", () => {
  let rig: JwtExampleRig;
  let key: SigningKey;
  let idp: Idp;
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;
  const url = (path = "/profile") => `${proxy.url}${path}`;

  beforeAll(async () => {
    key = await signingKey("google-1");
    rig = await startJwtExample(
      EXAMPLE,
      [CLUSTER],
      async (pki, ca) => ({ [CLUSTER]: await googleStandIn(pki, ca, key) }),
      { concurrency: 2 },
    );
    ({ upstream, proxy } = rig);
    idp = rig.keyServers[CLUSTER];
  });
  afterAll(() => rig?.close());

  it("grants a valid ID token on both workers with the claim headers, after one key fetch for the proxy", async () => {
    const token = await idToken(key);
    const granted = await onEveryWorker(proxy.envoy, 2, async () => {
      const answer = await send(url(), { authorization: `Bearer ${token}`, "x-firebase-uid": "forged" });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe("upstream");
      const received = upstream.received.at(-1)!;
      expect(header(received, "x-firebase-uid")).toBe("alice-uid");
      expect(received.headers.filter(([n]) => n === "x-firebase-uid")).toHaveLength(1);
      expect(header(received, "x-firebase-sign-in-provider")).toBe("password");
      expect(header(received, "authorization")).toBeUndefined();
    });
    expect(idp.hits, fetchLog(proxy)).toBe(1);
    expect(idp.fetches[0]).toMatchObject({ authority: JWKS_AUTHORITY, servername: tls.sni, path: JWKS_PATH });
    expect(idp.strayRequests).toEqual([]);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(1);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_failed")).toBe(0);
    expect(await metric(proxy.envoy, "firebase_jwt.granted")).toBe(granted);
    expect(await metric(proxy.envoy, "jwt_authn.allowed")).toBe(granted);
    expect(await stat(proxy.envoy, `cluster.${CLUSTER}.ssl.handshake`)).toBe(1);
  });

  it("lets /healthz through without a token", async () => {
    const answer = await send(url("/healthz"));
    expect(answer.status).toBe(200);
    expect(upstream.received.at(-1)!.path).toBe("/healthz");
  });

  it("refuses missing, expired, foreign-audience, other-project (issuer), tampered and unknown-kid tokens with RFC 6750 challenges", async () => {
    const stranger = await signingKey("not-google");
    const now = nowSeconds();
    const cases: Array<[string, Record<string, string>, number, string, string]> = [
      ["missing", {}, 401, "", "missing"],
      [
        "expired",
        { authorization: `Bearer ${await idToken(key, { exp: now - 3600, iat: now - 7200, auth_time: now - 7200 })}` },
        401,
        "invalid_token",
        "expired",
      ],
      [
        "this issuer, another audience",
        { authorization: `Bearer ${await idToken(key, { aud: "someone-else" })}` },
        403,
        "invalid_token",
        "audience_not_allowed",
      ],
      [
        "another issuer",
        { authorization: `Bearer ${await idToken(key, { iss: "https://securetoken.google.com/someone-else" })}` },
        401,
        "invalid_token",
        "issuer_not_allowed",
      ],
      [
        "another project",
        {
          authorization: `Bearer ${await idToken(key, { iss: "https://securetoken.google.com/someone-else", aud: "someone-else" })}`,
        },
        401,
        "invalid_token",
        "issuer_not_allowed",
      ],
      [
        "tampered",
        { authorization: `Bearer ${tamper(await idToken(key), { sub: "admin-uid" })}` },
        401,
        "invalid_token",
        "signature_invalid",
      ],
      ["unknown kid", { authorization: `Bearer ${await idToken(stranger)}` }, 401, "invalid_token", "key_not_found"],
    ];
    // Only the refetch the unknown kid forces reads this: a max-age under the preset's 30 s minimum,
    // so those keys live 30 s and are refreshed 15 s (half the lifetime) before they expire.
    idp.setCacheControl("public, max-age=5");
    const before = upstream.received.length;
    for (const [what, headers, status, error, reason] of cases) {
      const counted = (await metric(proxy.envoy, `jwt_authn.denied.${reason}`)) ?? 0;
      const answer = await send(url(), headers);
      const realm = `Bearer realm="${proxy.url}/profile"`;
      expect(answer.status, what).toBe(status);
      expect(answer.headers["www-authenticate"], what).toBe(error === "" ? realm : `${realm}, error="${error}"`);
      expect(JSON.parse(answer.body), what).toEqual({ error: error === "" ? "unauthorized" : error, reason });
      expect(await metric(proxy.envoy, `jwt_authn.denied.${reason}`), what).toBe(counted + 1);
    }
    expect(upstream.received.length).toBe(before);
    expect(await metric(proxy.envoy, "jwt_authn.denied")).toBe(cases.length);
    // The unknown kid made the proxy fetch the keys again once (Google may have rotated), no more.
    expect(await metric(proxy.envoy, "jwt_authn.jwks_refetch_unknown_kid")).toBe(1);
    expect(idp.hits, fetchLog(proxy)).toBe(2);
    idp.setCacheControl(GOOGLE_CACHE_CONTROL);
  });

  it("refreshes the keys when their max-age says, and so picks up a rotated key", async () => {
    const rotated = await signingKey("google-2");
    idp.setJwks(jwksOf(key, rotated));
    const token = await idToken(rotated);
    // The unknown-kid refetch of the previous test was less than 30 s ago: this kid waits for the refresh.
    const early = await send(url(), { authorization: `Bearer ${token}` });
    expect(early.status).toBe(401);
    expect(JSON.parse(early.body).reason).toBe("key_not_found");
    expect(idp.hits, fetchLog(proxy)).toBe(2);
    const shortLived = idp.fetches[1].at;
    await eventually(
      "the refresh of the keys fetched with max-age=5",
      () => (idp.hits === 3 ? true : undefined),
      40_000,
      250,
    );
    // Lifetime 30 s (the minimum), refreshed 15 s before expiry: not sooner than 15 s after (less a tick).
    expect(idp.fetches[2].at - shortLived).toBeGreaterThanOrEqual(14_000);
    const answer = await eventuallyGranted(
      "the refreshed keys in the workers",
      url(),
      { authorization: `Bearer ${token}` },
      5_000,
      250,
    );
    expect(header(upstream.received.at(-1)!, "x-firebase-uid")).toBe("alice-uid");
    expect(answer.body).toBe("upstream");
    // The refresh brought Google's long max-age back: no further fetch.
    expect(idp.hits, fetchLog(proxy)).toBe(3);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(3);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_failed")).toBe(0);
  });
});

envoyDescribe("firebase-jwt in Envoy, Google's endpoint down at start", () => {
  let rig: JwtExampleRig;
  let key: SigningKey;
  let idp: Idp;
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    key = await signingKey("google-1");
    rig = await startJwtExample(EXAMPLE, [CLUSTER], async (pki, ca) => ({
      [CLUSTER]: await googleStandIn(pki, ca, key, false),
    }));
    ({ upstream, proxy } = rig);
    idp = rig.keyServers[CLUSTER];
  });
  afterAll(() => rig?.close());

  it("answers a valid token with 401 jwks_unavailable while no keys can be had (no request left hanging)", async () => {
    await statReaches(proxy.envoy, "wasmcustom.jwt_authn.jwks_fetch_failed", 1);
    // The bound is the wait the filter documents at most (callout timeout 5 s plus two ticks), not a speed.
    const answer = await send(
      `${proxy.url}/profile`,
      { authorization: `Bearer ${await idToken(key)}` },
      { noAnswerAfterMs: 8_000 },
    );
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe(`Bearer realm="${proxy.url}/profile", error="invalid_token"`);
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_token", reason: "jwks_unavailable" });
    expect(upstream.received).toEqual([]);
    expect(await metric(proxy.envoy, "jwt_authn.denied.jwks_unavailable")).toBe(1);
    expect(await stat(proxy.envoy, `cluster.${CLUSTER}.upstream_cx_connect_fail`)).toBeGreaterThanOrEqual(1);
    expect(idp.hits, fetchLog(proxy)).toBe(0);
    // A refused connection reaches the filter as Envoy's 503 reply, not as a failed call.
    await proxy.envoy.waitForLog(/wasm log .*JWKS fetch from googleapis www\.googleapis\.com\/.* failed: status 503;/);
  });

  it("recovers once the endpoint is back, after the backoff", async () => {
    await idp.up();
    const token = await idToken(key);
    await eventuallyGranted(
      "a granted request after the key server came back",
      `${proxy.url}/profile`,
      { authorization: `Bearer ${token}` },
      40_000,
      500,
      { noAnswerAfterMs: 8_000 },
    );
    expect(header(upstream.received.at(-1)!, "x-firebase-uid")).toBe("alice-uid");
    expect(idp.hits, fetchLog(proxy)).toBe(1);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(1);
    expect(await metric(proxy.envoy, "firebase_jwt.granted")).toBe(1);
  });
});

envoyDescribe("firebase-jwt in Envoy, the key server's certificate", () => {
  let rig: JwtExampleRig;
  let pki: TestPki;
  let ca: CertificateAuthority;
  let key: SigningKey;
  let idp: Idp;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    key = await signingKey("google-1");
    rig = await startJwtExample(EXAMPLE, [CLUSTER], async (rigPki) => {
      const other = rigPki.authority("other-ca");
      // Right name, but from a CA the cluster does not trust: what a MITM without Google's key can show.
      return {
        [CLUSTER]: await startIdp({
          path: JWKS_PATH,
          jwks: jwksOf(key),
          tls: rigPki.serverCertificate(other, tls.sni),
          cacheControl: GOOGLE_CACHE_CONTROL,
        }),
      };
    });
    ({ pki, ca, proxy } = rig);
    idp = rig.keyServers[CLUSTER];
  });
  afterAll(() => rig?.close());

  const refused = async () => {
    const answer = await send(
      `${proxy.url}/profile`,
      { authorization: `Bearer ${await idToken(key)}` },
      { noAnswerAfterMs: 8_000 },
    );
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_token", reason: "jwks_unavailable" });
  };

  it("refuses a certificate from another CA: no keys, requests answered 401", async () => {
    await statReaches(proxy.envoy, `cluster.${CLUSTER}.ssl.fail_verify_error`, 1);
    await statReaches(proxy.envoy, "wasmcustom.jwt_authn.jwks_fetch_failed", 1);
    await refused();
    expect(idp.hits, fetchLog(proxy)).toBe(0);
    expect(idp.refusedHandshakes).toBeGreaterThanOrEqual(1);
    await proxy.envoy.waitForLog(/wasm log .*JWKS fetch from googleapis www\.googleapis\.com\/.* failed: status 503;/);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(0);
  });

  it("refuses a certificate from the trusted CA for another name", async () => {
    idp.setCertificate(pki.serverCertificate(ca, "www.googleapis.com.evil.example"));
    await statReaches(proxy.envoy, `cluster.${CLUSTER}.ssl.fail_verify_san`, 1);
    await refused();
    expect(idp.hits, fetchLog(proxy)).toBe(0);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(0);
  });

  it("accepts the trusted CA's wildcard certificate for the domain (as Google serves *.googleapis.com)", async () => {
    const domain = tls.sni.slice(tls.sni.indexOf(".") + 1);
    idp.setCertificate(pki.serverCertificate(ca, `*.${domain}`));
    const token = await idToken(key);
    await eventuallyGranted(
      "a granted request once the certificate is right",
      `${proxy.url}/profile`,
      { authorization: `Bearer ${token}` },
      40_000,
      500,
      { noAnswerAfterMs: 8_000 },
    );
    expect(idp.hits, fetchLog(proxy)).toBe(1);
    expect(await stat(proxy.envoy, `cluster.${CLUSTER}.ssl.handshake`)).toBe(1);
    expect(await metric(proxy.envoy, "jwt_authn.jwks_fetch_success")).toBe(1);
  });
});
