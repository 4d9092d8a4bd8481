// SPDX-License-Identifier: Apache-2.0
// jwt-authn through @getwild/host, both builds, with the exact plugin-config.json: two providers
// whose JWKS come from stand-ins for their endpoints (one fetch each for two workers), tokens minted
// with jose (RS256 users with scopes, ES256 services in their own header), every rule of the config.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK } from "jose";
import { createHost, validateModule, VirtualClock } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILDS = { release: "build/filter.wasm", debug: "build/filter.debug.wasm" } as const;
const pluginConfig = readFileSync(join(root, "plugin-config.json"), "utf8");
const NOW = Math.floor(Date.UTC(2026, 10, 25, 9, 0, 0) / 1000);

let userKey: KeyObject, serviceKey: KeyObject;
let userJwks: string, serviceJwks: string;
beforeAll(async () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  userKey = rsa.privateKey;
  serviceKey = ec.privateKey;
  userJwks = JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: "u1", alg: "RS256", use: "sig" }] });
  serviceJwks = JSON.stringify({ keys: [{ ...(await exportJWK(ec.publicKey)), kid: "s1", alg: "ES256" }] });
});

const userToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({
    iss: "https://login.example.com/",
    aud: "https://api.example.com",
    sub: "user|42",
    scope: "openid api:read",
    "https://example.com/claims": { tenant: "acme" },
    iat: NOW - 5,
    exp: NOW + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "u1" })
    .sign(userKey);
const serviceToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({
    iss: "https://mesh-ca.internal",
    aud: "https://api.example.com",
    sub: "billing",
    iat: NOW - 5,
    exp: NOW + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", kid: "s1" })
    .sign(serviceKey);

function envoyConfiguration(): string {
  const lines = readFileSync(join(root, "envoy.yaml"), "utf8").split("\n");
  const start = lines.findIndex((l) => l.trim() === "value: |");
  const indent = " ".repeat(lines[start]!.indexOf("value") + 2);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(indent) && line.trim() !== "") break;
    block.push(line.slice(indent.length));
  }
  return block.join("\n");
}

describe("plugin-config.json", () => {
  it("is exactly what envoy.yaml passes as the configuration", () => {
    expect(envoyConfiguration().trimEnd()).toBe(pluginConfig.trimEnd());
  });
});

describe.each(Object.entries(BUILDS))("jwt-authn (%s build)", (_target, file) => {
  const wasm = join(root, file);
  async function start() {
    const host = await createHost({
      wasm,
      rootId: "jwt-authn",
      pluginConfig,
      clusters: ["login", "mesh_ca"],
      workers: 2,
      clock: new VirtualClock(NOW * 1000),
    });
    host.advance(50);
    const calls = host.pendingCalls();
    expect(calls.map((c) => `${c.cluster} ${c.headers.get(":authority")}${c.headers.get(":path")}`).sort()).toEqual([
      "login login.example.com/.well-known/jwks.json",
      "mesh_ca mesh-ca.internal/keys",
    ]);
    for (const c of calls)
      c.respond({
        status: 200,
        headers: { "cache-control": "max-age=3600" },
        body: c.cluster === "login" ? userJwks : serviceJwks,
      });
    host.advance(1000);
    return host;
  }
  const get = (path: string, headers: Record<string, string> = {}) => ({
    method: "GET",
    path,
    headers: { ":authority": "api.example.com", ...headers },
  });

  it("loads in Envoy: only Envoy's imports", () => {
    expect(validateModule(readFileSync(wasm)).errors).toEqual([]);
  });

  it("accepts a user or a service on /, with their claims as headers", async () => {
    const host = await start();
    const u = await host.request(
      get("/orders", { authorization: `Bearer ${await userToken()}`, "x-user-id": "forged" }),
      { status: 200 },
    );
    expect(u.status).toBe(200);
    expect(u.upstreamRequest!.headers.get("x-user-id")).toBe("user|42");
    expect(u.upstreamRequest!.headers.get("x-tenant")).toBe("acme");
    expect(JSON.parse(Buffer.from(u.upstreamRequest!.headers.get("x-jwt-payload")!, "base64url").toString()).sub).toBe(
      "user|42",
    );
    const s = await host.request(get("/orders", { "x-service-token": await serviceToken() }), { status: 200 });
    expect(s.status).toBe(200);
    expect(s.upstreamRequest!.headers.get("x-caller")).toBe("billing");
    expect(s.upstreamRequest!.headers.has("x-service-token")).toBe(false);
    expect(s.upstreamRequest!.headers.has("x-user-id")).toBe(false);
  });

  it("needs both on /admin/, none on /healthz, and a valid token if any on /public/", async () => {
    const host = await start();
    const user = `Bearer ${await userToken()}`;
    expect((await host.request(get("/admin/x", { authorization: user }), { status: 200 })).status).toBe(401);
    expect(
      (
        await host.request(get("/admin/x", { authorization: user, "x-service-token": await serviceToken() }), {
          status: 200,
        })
      ).status,
    ).toBe(200);
    expect((await host.request(get("/healthz"), { status: 200 })).status).toBe(200);
    expect((await host.request(get("/public/a"), { status: 200 })).status).toBe(200);
    const forged = await host.request(
      get("/public/a", { authorization: `Bearer ${await userToken({ exp: NOW - 600 })}` }),
      { status: 200 },
    );
    expect(forged.status).toBe(401);
  });

  it("refuses service tokens for another audience or living longer than 15 minutes, and a forged token beside a valid one", async () => {
    const host = await start();
    const noAud = await host.request(get("/orders", { "x-service-token": await serviceToken({ aud: undefined }) }), {
      status: 200,
    });
    expect(noAud.status).toBe(403);
    const long = await host.request(get("/orders", { "x-service-token": await serviceToken({ exp: NOW + 3600 }) }), {
      status: 200,
    });
    expect(long.status).toBe(401);
    expect(JSON.parse(long.bodyText).reason).toBe("lifetime_too_long");
    // /public/ allows a missing token, not a bad one, whatever valid token comes with it.
    const forged = await host.request(
      get("/public/a", {
        authorization: `Bearer ${await userToken({ exp: NOW - 600 })}`,
        "x-service-token": await serviceToken(),
      }),
      { status: 200 },
    );
    expect(forged.status).toBe(401);
    expect(forged.upstreamRequest).toBeNull();
    // A path the filter would have to rewrite (/public/../orders is /orders) is refused outright:
    // this configuration has route_requirements, and Envoy would route a rewritten path anew.
    const dotted = await host.request(get("/public/../orders"), { status: 200 });
    expect(dotted.status).toBe(400);
    expect(dotted.upstreamRequest).toBeNull();
    expect((await host.request(get("/public%2F..%2Forders"), { status: 200 })).status).toBe(400);
  });

  it("answers 403 for a missing scope or a wrong audience, 401 with the realm otherwise", async () => {
    const host = await start();
    const scope = await host.request(
      get("/orders", { authorization: `Bearer ${await userToken({ scope: "openid" })}` }),
      { status: 200 },
    );
    expect(scope.status).toBe(403);
    expect(scope.headers.get("www-authenticate")).toBe('Bearer realm="api.example.com", error="insufficient_scope"');
    const aud = await host.request(
      get("/orders", { authorization: `Bearer ${await userToken({ aud: "https://other" })}` }),
      { status: 200 },
    );
    expect(aud.status).toBe(403);
    const none = await host.request(get("/orders"), { status: 200 });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="api.example.com"');
    expect(host.metric("jwt_authn.denied")).toBe(3);
    expect(host.failures).toEqual([]);
  });
});
