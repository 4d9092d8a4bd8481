// SPDX-License-Identifier: Apache-2.0
// DPoP (RFC 9449) through real Envoy with two worker threads: the JwtAuthn filter (the jwt-authn
// example's build) with a provider that requires DPoP, tokens bound to a client key (cnf.jkt) and
// proofs made per request with jose as a client library makes them. A replayed proof is refused on
// whichever worker it lands, since the used jti values live in Envoy's shared data; a proof for
// another method, URI, token or key is refused with the RFC 9449 challenge.
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from "jose";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { exampleDir } from "../lib/bootstrap";
import { send } from "../lib/client";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { fixtureBootstrap } from "../lib/fixture_bootstrap";
import { metric, onEveryWorker } from "../lib/jwt_example";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { header, startUpstream, type Upstream } from "../lib/upstream";

const ISS = "https://issuer.example.com";
const PREFIX = "dpop_e2e";
const ALGS = "ES256 ES384 ES512 EdDSA PS256 RS256";

interface ClientKey {
  privateKey: KeyObject;
  jwk: JWK;
  jkt: string;
}
async function clientKey(): Promise<ClientKey> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");
let counter = 0;

function proof(
  key: ClientKey,
  htm: string,
  htu: string,
  token: string,
  claims: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    jti: `e2e-${process.pid}-${++counter}`,
    htm,
    htu,
    iat: nowSeconds(),
    ath: ath(token),
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.jwk })
    .sign(key.privateKey);
}

envoyDescribe("DPoP-bound tokens in Envoy (RFC 9449)", () => {
  let upstream: Upstream;
  let envoy: EnvoyProcess;
  let url: string;
  let idp: SigningKey;
  let alice: ClientKey;
  let mallory: ClientKey;
  let token: string;

  beforeAll(async () => {
    [idp, alice, mallory] = await Promise.all([signingKey("k1", "ES256"), clientKey(), clientKey()]);
    upstream = await startUpstream();
    const configuration = JSON.stringify({
      stat_prefix: PREFIX,
      providers: {
        api: {
          issuer: ISS,
          local_jwks: JSON.stringify(jwksOf(idp)),
          claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
          dpop: { mode: "required" },
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "api" } }],
    });
    const bootstrap = fixtureBootstrap({
      wasm: join(exampleDir("jwt-authn"), "build", "filter.wasm"),
      rootId: "jwt-authn",
      backend: upstream,
      configuration,
    });
    envoy = await startEnvoy({ envoy: envoyPath(), bootstrap, concurrency: 2 });
    url = await envoy.url();
    token = await mint(idp, { iss: ISS, sub: "alice", exp: nowSeconds() + 600, cnf: { jkt: alice.jkt } });
  });

  afterAll(async () => {
    await envoy?.stop();
    await upstream?.close();
  });

  const get = (path: string, headers: Record<string, string>, method = "GET") =>
    send(`${url}${path}`, headers, { method });

  it("a valid proof passes; the token and its claims reach the upstream as configured", async () => {
    const before = upstream.received.length;
    const res = await get("/orders?page=1", {
      authorization: `DPoP ${token}`,
      dpop: await proof(alice, "GET", `${url}/orders`, token),
    });
    expect(res.status, res.body).toBe(200);
    const seen = upstream.received[before];
    expect(header(seen, "x-sub")).toBe("alice");
    expect(header(seen, "authorization")).toBeUndefined();
    const post = await get(
      "/orders",
      { authorization: `DPoP ${token}`, dpop: await proof(alice, "POST", `${url}/orders`, token) },
      "POST",
    );
    expect(post.status, post.body).toBe(200);
  });

  it("a replayed proof is refused on every worker thread (jti kept in shared data)", async () => {
    const replayed = await proof(alice, "GET", `${url}/orders`, token);
    const first = await get("/orders", { authorization: `DPoP ${token}`, dpop: replayed });
    expect(first.status, first.body).toBe(200);
    // Every later use of the same proof, each on a new connection, until both workers took one:
    // at least one replay reached the worker that did not see the first use.
    const sent = await onEveryWorker(envoy, 2, async () => {
      const again = await get("/orders", { authorization: `DPoP ${token}`, dpop: replayed });
      expect(again.status, again.body).toBe(401);
      expect(again.headers["www-authenticate"]).toBe(
        `DPoP error="invalid_dpop_proof", error_description="DPoP proof was already used", algs="${ALGS}"`,
      );
      expect(JSON.parse(again.body)).toEqual({ error: "invalid_dpop_proof", reason: "dpop_replayed" });
    });
    expect(await metric(envoy, `${PREFIX}.denied.dpop_replayed`)).toBeGreaterThanOrEqual(sent);
  });

  it.each([
    ["another method (htm)", "dpop_htm_mismatch", (u: string) => proof(alice, "DELETE", `${u}/orders`, token)],
    ["another URI (htu)", "dpop_htu_mismatch", (u: string) => proof(alice, "GET", `${u}/admin`, token)],
    ["another host (htu)", "dpop_htu_mismatch", () => proof(alice, "GET", "http://api.example.com/orders", token)],
    ["another access token (ath)", "dpop_ath_mismatch", (u: string) => proof(alice, "GET", `${u}/orders`, `${token}x`)],
    [
      "another key than cnf.jkt (a stolen token)",
      "dpop_key_binding_mismatch",
      (u: string) => proof(mallory, "GET", `${u}/orders`, token),
    ],
    [
      "an old iat",
      "dpop_iat_too_old",
      (u: string) => proof(alice, "GET", `${u}/orders`, token, { iat: nowSeconds() - 600 }),
    ],
  ])("a proof with %s is refused: 401 with the DPoP challenge", async (_name, reason, make) => {
    const before = upstream.received.length;
    const res = await get("/orders", { authorization: `DPoP ${token}`, dpop: await make(url) });
    expect(res.status, res.body).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(
      new RegExp(`^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="${ALGS}"$`),
    );
    expect(JSON.parse(res.body)).toEqual({ error: "invalid_dpop_proof", reason });
    expect(upstream.received.length).toBe(before);
  });

  it("the bound token sent as Bearer, or without a proof, is refused; no token gets both challenges", async () => {
    const bearer = await get("/orders", { authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(401);
    expect(bearer.headers["www-authenticate"]).toBe(`DPoP error="invalid_token", algs="${ALGS}"`);
    expect(JSON.parse(bearer.body).reason).toBe("dpop_bound_token_as_bearer");
    const noToken = await get("/orders", {});
    expect(noToken.status).toBe(401);
    expect(noToken.headers["www-authenticate"]).toBe(`Bearer realm="${url}/orders", DPoP algs="${ALGS}"`);
    const noProof = await get("/orders", { authorization: `DPoP ${token}` });
    expect(noProof.status).toBe(401);
    expect(JSON.parse(noProof.body).reason).toBe("dpop_proof_missing");
  });
});
