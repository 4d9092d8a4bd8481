// SPDX-License-Identifier: Apache-2.0
// firebase-jwt through @getwild/host, both builds, with the exact plugin-config.json: Firebase ID
// tokens minted with jose against a stand-in for Google's securetoken JWKS; granted requests counted;
// 401 answers (another project's token included), 403 for a foreign audience, never a hanging request,
// even when Google's endpoint fails.
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
const PROJECT = JSON.parse(pluginConfig).providers.firebase.firebase.project_id as string;
const NOW = Math.floor(Date.UTC(2026, 10, 25, 9, 0, 0) / 1000);

let privateKey: KeyObject;
let googleJwks: string;
beforeAll(async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey;
  googleJwks = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: "google-1", alg: "RS256", use: "sig" }],
  });
});

function idToken(claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({
    iss: `https://securetoken.google.com/${PROJECT}`,
    aud: PROJECT,
    sub: "alice-uid",
    auth_time: NOW - 600,
    iat: NOW - 60,
    exp: NOW + 3540,
    firebase: { sign_in_provider: "password" },
    ...claims,
  })
    .setProtectedHeader({ alg: "RS256", kid: "google-1", typ: "JWT" })
    .sign(privateKey);
}

/** The envoy.yaml `configuration` block, unindented. */
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

describe.each(Object.entries(BUILDS))("firebase-jwt (%s build)", (_target, file) => {
  const wasm = join(root, file);
  async function start(
    googleReply: unknown = { status: 200, headers: { "cache-control": "public, max-age=19845" }, body: googleJwks },
  ) {
    const host = await createHost({
      wasm,
      rootId: "firebase-jwt",
      pluginConfig,
      clusters: ["googleapis"],
      workers: 2,
      clock: new VirtualClock(NOW * 1000),
    });
    host.advance(50);
    const calls = host.pendingCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.get(":authority")).toBe("www.googleapis.com");
    calls[0]!.respond(googleReply as never);
    host.advance(1000);
    return host;
  }
  const get = (headers: Record<string, string> = {}, path = "/profile") => ({
    method: "GET",
    path,
    headers: { ":authority": "app.example.com", ...headers },
  });

  it("loads in Envoy: only Envoy's imports", () => {
    expect(validateModule(readFileSync(wasm)).errors).toEqual([]);
  });

  it("grants a valid ID token on either worker, passes the uid on and counts it", async () => {
    const host = await start();
    const token = await idToken();
    for (let i = 0; i < 2; i++) {
      const res = await host.request(get({ authorization: `Bearer ${token}` }), (up) => ({
        status: 200,
        body: up.headers.get("x-firebase-uid") ?? "",
      }));
      expect(res.status).toBe(200);
      expect(res.bodyText).toBe("alice-uid");
      expect(res.upstreamRequest?.headers.has("authorization")).toBe(false);
      expect(res.upstreamRequest?.headers.get("x-firebase-sign-in-provider")).toBe("password");
    }
    expect(host.metric("firebase_jwt.granted")).toBe(2);
    expect(host.failures).toEqual([]);
  });

  it("answers 401 without a token, 401 for an expired one, 401 for another project's token, 403 for this issuer with a foreign audience", async () => {
    const host = await start();
    const missing = await host.request(get(), { status: 200 });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="http://app.example.com/profile"');
    const expired = await host.request(
      get({ authorization: `Bearer ${await idToken({ exp: NOW - 3600, iat: NOW - 7200 })}` }),
      { status: 200 },
    );
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // A genuine ID token of another project: Google signs it with the same keys, but its iss and aud
    // name that project. Refused as an invalid token (401), as RFC 6750 and Envoy's jwt_authn do.
    const otherProject = await idToken({ iss: "https://securetoken.google.com/other-project", aud: "other-project" });
    const other = await host.request(get({ authorization: `Bearer ${otherProject}` }), { status: 200 });
    expect(other.status).toBe(401);
    expect(other.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // Only a token with this project's issuer and a foreign audience meets audience_failure_status: 403.
    const foreignAudience = await host.request(
      get({ authorization: `Bearer ${await idToken({ aud: "someone-else" })}` }),
      { status: 200 },
    );
    expect(foreignAudience.status).toBe(403);
    expect(host.metric("firebase_jwt.granted")).toBe(0);
    expect(host.metric("jwt_authn.denied")).toBe(4);
  });

  it("lets /healthz through without a token, and strips a forged uid header", async () => {
    const host = await start();
    const res = await host.request(get({ "x-firebase-uid": "admin" }, "/healthz"), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest?.headers.has("x-firebase-uid")).toBe(false);
  });

  it("answers 401 (never hangs) when Google's key endpoint keeps failing", async () => {
    const host = await start({ status: 503, body: "unavailable" });
    // The retry after the 1 s backoff is running: the request waits for it…
    expect(host.pendingCalls()).toHaveLength(1);
    const res = await host.request(get({ authorization: `Bearer ${await idToken()}` }), { status: 200 });
    expect(res.stalled).toBe(true);
    // …and is answered as soon as it fails too (here: Envoy's 504 for a timed-out call).
    host.advance(5000);
    expect(res.stream.clientResponse.status).toBe(401);
    expect(res.stream.localResponse?.details).toBe("jwt_authn_access_denied{jwks_unavailable}");
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(2);
    // During the backoff that follows, a request is answered at once.
    const next = await host.request(get({ authorization: `Bearer ${await idToken()}` }), { status: 200 });
    expect(next.stalled).toBe(false);
    expect(next.status).toBe(401);
    expect(host.failures).toEqual([]);
  });
});
