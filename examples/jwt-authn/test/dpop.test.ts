// SPDX-License-Identifier: Apache-2.0
// jwt-authn's provider `users` allows DPoP (RFC 9449): with the exact plugin-config.json, a user
// token bound to a client key (cnf.jkt) passes only as `Authorization: DPoP` with a fresh proof from
// that key, once; an unbound user token still passes as Bearer. Proofs are made with jose, the way
// `getwild token --dpop` and client libraries make them.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, calculateJwkThumbprint, exportJWK, type JWK } from "jose";
import { createHost, VirtualClock } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pluginConfig = readFileSync(join(root, "plugin-config.json"), "utf8");
const NOW = Math.floor(Date.UTC(2026, 10, 25, 9, 0, 0) / 1000);

let userKey: KeyObject, userJwks: string, client: { privateKey: KeyObject; jwk: JWK; jkt: string };
beforeAll(async () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  userKey = rsa.privateKey;
  userJwks = JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "u1", alg: "RS256", use: "sig" }] });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = await exportJWK(ec.publicKey);
  client = { privateKey: ec.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
});

const userToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({
    iss: "https://login.example.com/",
    aud: "https://api.example.com",
    sub: "user|42",
    scope: "api:read",
    iat: NOW - 5,
    exp: NOW + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "u1" })
    .sign(userKey);

let jti = 0;
const proof = (token: string, htu = "https://api.example.com/orders") =>
  new SignJWT({
    jti: `example-${++jti}`,
    htm: "GET",
    htu,
    iat: NOW,
    ath: createHash("sha256").update(token).digest("base64url"),
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: client.jwk })
    .sign(client.privateKey);

async function start() {
  const host = await createHost({
    wasm: join(root, "build", "filter.wasm"),
    rootId: "jwt-authn",
    pluginConfig,
    clusters: ["login", "mesh_ca"],
    clock: new VirtualClock(NOW * 1000),
  });
  host.advance(50);
  for (const c of host.pendingCalls())
    c.respond({
      status: 200,
      headers: { "cache-control": "max-age=3600" },
      body: c.cluster === "login" ? userJwks : '{"keys":[]}',
    });
  host.advance(1000);
  return host;
}
const get = (headers: Record<string, string>) => ({
  method: "GET",
  path: "/orders",
  headers: { ":authority": "api.example.com", ":scheme": "https", ...headers },
});

describe("jwt-authn: DPoP on provider users (mode allowed)", () => {
  it("a bound token with a fresh proof passes once; the same proof again is a replay", async () => {
    const host = await start();
    const token = await userToken({ cnf: { jkt: client.jkt } });
    const p = await proof(token);
    const ok = await host.request(get({ authorization: `DPoP ${token}`, dpop: p }), { status: 200 });
    expect(ok.status, ok.bodyText).toBe(200);
    expect(ok.upstreamRequest!.headers.get("x-user-id")).toBe("user|42");
    const replay = await host.request(get({ authorization: `DPoP ${token}`, dpop: p }), { status: 200 });
    expect(replay.status).toBe(401);
    expect(replay.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect(JSON.parse(replay.bodyText).reason).toBe("dpop_replayed");
  });

  it("a bound token as Bearer, or with a proof for another URI, is refused; an unbound token as Bearer passes", async () => {
    const host = await start();
    const token = await userToken({ cnf: { jkt: client.jkt } });
    const bearer = await host.request(get({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(JSON.parse(bearer.bodyText).reason).toBe("dpop_bound_token_as_bearer");
    const elsewhere = await host.request(
      get({ authorization: `DPoP ${token}`, dpop: await proof(token, "https://api.example.com/admin/") }),
      { status: 200 },
    );
    expect(JSON.parse(elsewhere.bodyText).reason).toBe("dpop_htu_mismatch");
    const plain = await host.request(get({ authorization: `Bearer ${await userToken()}` }), { status: 200 });
    expect(plain.status).toBe(200);
  });
});
