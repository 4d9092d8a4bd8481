// SPDX-License-Identifier: Apache-2.0
// `getwild serve --dev-idp` and `getwild token`: the JWT examples' compiled filters, served with their own
// plugin-config.json, accept a minted token (200, claims passed upstream) and refuse everything else (401).
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { runCli } from "../src/cli/command.js";
import { ExitCode } from "../src/cli/errors.js";
import { loadDevKeys } from "../src/cli/dev_keys.js";
import { mintToken, curlWith } from "../src/cli/token.js";
import { start } from "./serve_helpers.js";
import { packageRoot } from "./paths.js";

const repoRoot = join(packageRoot, "..", "..");
const example = (name: string) => join(repoRoot, "examples", name);
const JWT_AUTHN = example("jwt-authn");
const FIREBASE = example("firebase-jwt");
const configOf = (dir: string) => readFileSync(join(dir, "plugin-config.json"), "utf8");

let keyFile: string;
beforeAll(() => {
  // The examples' release modules (pnpm start builds them; built here when this file runs alone).
  for (const dir of [JWT_AUTHN, FIREBASE]) {
    if (!existsSync(join(dir, "build", "filter.wasm"))) {
      execFileSync(
        process.execPath,
        [join(dir, "node_modules", "assemblyscript", "bin", "asc.js"), "--target", "release"],
        { cwd: dir, stdio: "ignore" },
      );
    }
  }
  keyFile = join(mkdtempSync(join(tmpdir(), "getwild-dev-key-")), "keys.json");
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), stopSignal: async () => {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const decode = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

describe("the dev key file", () => {
  it("is made once (owner-only), then every process reads the same keys", () => {
    const file = join(mkdtempSync(join(tmpdir(), "getwild-dev-key-")), "nested", "keys.json");
    const first = loadDevKeys(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadDevKeys(file);
    expect(again.keys.map((k) => k.publicJwk)).toEqual(first.keys.map((k) => k.publicJwk));
    expect(first.keys.map((k) => k.alg)).toEqual(["RS256", "ES256"]);
    // Public keys only in the JWKS: no private member (d, p, q...) is published.
    for (const k of first.keys) expect(Object.keys(k.publicJwk).sort()).not.toContain("d");
  });
});

describe("getwild token", () => {
  it("mints what the jwt-authn configuration asks of each provider", () => {
    const keys = loadDevKeys(keyFile);
    const users = mintToken(configOf(JWT_AUTHN), keys, { now: 1_800_000_000 });
    expect(users).toMatchObject({
      provider: "users",
      alg: "RS256",
      cluster: "login",
      placement: { kind: "header", name: "authorization", prefix: "Bearer " },
    });
    expect(users.claims).toEqual({
      sub: "dev-user",
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      iss: "https://login.example.com/",
      aud: "https://api.example.com",
      scope: "api:read",
    });
    const [header, payload] = users.token.split(".");
    expect(decode(header!)).toEqual({ alg: "RS256", kid: "getwild-dev-rs256", typ: "JWT" });
    expect(decode(payload!)).toEqual(users.claims);
    const services = mintToken(configOf(JWT_AUTHN), keys, { provider: "services" });
    expect(services).toMatchObject({
      alg: "ES256",
      kid: "getwild-dev-es256",
      cluster: "mesh_ca",
      placement: { name: "x-service-token", prefix: "" },
    });
    expect(services.claims.iss).toBe("https://mesh-ca.internal");
    expect(curlWith(services, "localhost:1/")).toBe(`curl -i -H 'x-service-token: ${services.token}' localhost:1/`);
  });

  it("mints a Firebase ID token for the preset's project", () => {
    const minted = mintToken(configOf(FIREBASE), loadDevKeys(keyFile), { now: 1_800_000_000, subject: "alice" });
    expect(minted).toMatchObject({ provider: "firebase", alg: "RS256", cluster: "googleapis" });
    expect(minted.claims).toMatchObject({
      iss: "https://securetoken.google.com/my-firebase-project",
      aud: "my-firebase-project",
      sub: "alice",
      auth_time: 1_800_000_000,
      firebase: { sign_in_provider: "password" },
    });
  });

  it("prints the token alone on stdout, and how to use it on stderr; bad input gets its exit code", async () => {
    const config = join(JWT_AUTHN, "plugin-config.json");
    const ok = await cli([
      "token",
      config,
      "--dev-key",
      keyFile,
      "--sub",
      "bob",
      "--claim",
      "https://example.com/claims.tenant=acme",
      "--lifetime",
      "5m",
    ]);
    expect(ok.code).toBe(ExitCode.Ok);
    expect(ok.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = decode(ok.out.split(".")[1]!);
    expect(claims).toMatchObject({ sub: "bob", "https://example.com/claims.tenant": "acme" });
    expect(claims.exp - claims.iat).toBe(300);
    expect(ok.err).toContain('send it in the header "authorization: Bearer <token>"');
    expect(ok.err).toContain("serve with --dev-idp login");
    // --json with --curl: the minted token and the very curl line --curl alone prints (what scripts/start shows).
    const json = await cli([
      "token",
      config,
      "--dev-key",
      keyFile,
      "--provider",
      "services",
      "--json",
      "--curl",
      "localhost:PORT/api",
    ]);
    const minted = JSON.parse(json.out);
    expect(minted.curl).toBe(`curl -i -H 'x-service-token: ${minted.token}' localhost:PORT/api`);
    const unknown = await cli(["token", config, "--dev-key", keyFile, "--provider", "admins"]);
    expect(unknown.code).toBe(ExitCode.BadArguments);
    expect(unknown.err).toContain(
      'getwild token: error: no provider "admins" in the configuration (it has: users, services)',
    );
    const missing = await cli(["token", "nope.json"]);
    expect(missing.code).toBe(ExitCode.FileNotFound);
    const lifetime = await cli(["token", config, "--lifetime", "soon"]);
    expect(lifetime.code).toBe(ExitCode.BadArguments);
    expect(lifetime.err).toContain('--lifetime must be seconds or a number with s, m, h or d, got "soon"');
  });
});

describe("getwild serve --dev-idp", () => {
  const serveJwtAuthn = () =>
    start({
      filter: join(JWT_AUTHN, "build", "filter.wasm"),
      config: join(JWT_AUTHN, "plugin-config.json"),
      rootId: "jwt-authn",
      devIdpClusters: ["login", "mesh_ca"],
      devKeyFile: keyFile,
    });

  it("jwt-authn: a minted token gets 200 with its claims upstream; none, expired, tampered or foreign get 401", async () => {
    const server = await serveJwtAuthn();
    expect(server.devIdp?.clusters).toEqual(["login", "mesh_ca"]);
    expect(server.unmappedClusters).toEqual([]);
    const keys = loadDevKeys(keyFile);
    const config = configOf(JWT_AUTHN);
    const get = (headers: Record<string, string> = {}) => fetch(`${server.url}/orders`, { headers });
    const ok = await get({ authorization: `Bearer ${mintToken(config, keys, { subject: "carol" }).token}` });
    expect(ok.status).toBe(200);
    const echoed = (await ok.json()) as { headers: Record<string, string> };
    expect(echoed.headers["x-user-id"]).toBe("carol");
    expect(echoed.headers.authorization).toBeUndefined();
    const service = await get({
      "x-service-token": mintToken(config, keys, { provider: "services", subject: "billing" }).token,
    });
    expect(service.status).toBe(200);
    expect(((await service.json()) as { headers: Record<string, string> }).headers["x-caller"]).toBe("billing");
    const none = await get();
    expect(none.status).toBe(401);
    // Provider users allows DPoP: its challenge comes beside the Bearer one (fetch joins the two headers).
    expect(none.headers.get("www-authenticate")).toBe(
      'Bearer realm="api.example.com", DPoP algs="ES256 ES384 ES512 EdDSA PS256 RS256"',
    );
    const expired = mintToken(config, keys, { now: Math.floor(Date.now() / 1000) - 7200 }).token;
    expect((await get({ authorization: `Bearer ${expired}` })).status).toBe(401);
    const token = mintToken(config, keys).token;
    const at = token.lastIndexOf(".") + 5;
    const tampered = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    expect((await get({ authorization: `Bearer ${tampered}` })).status).toBe(401);
    // Signed by another key with the same kid: the dev IdP's JWKS does not vouch for it.
    const otherKeys = loadDevKeys(join(mkdtempSync(join(tmpdir(), "getwild-other-key-")), "keys.json"));
    expect((await get({ authorization: `Bearer ${mintToken(config, otherKeys).token}` })).status).toBe(401);
    expect(server.host.metric("jwt_authn.allowed")).toBe(2);
  });

  it("firebase-jwt: a minted ID token gets 200; another project's token gets 401 (its issuer is not this project's)", async () => {
    const server = await start({
      filter: join(FIREBASE, "build", "filter.wasm"),
      config: join(FIREBASE, "plugin-config.json"),
      rootId: "firebase-jwt",
      devIdpClusters: ["googleapis"],
      devKeyFile: keyFile,
    });
    const keys = loadDevKeys(keyFile);
    const config = configOf(FIREBASE);
    const get = (token: string) => fetch(`${server.url}/profile`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(mintToken(config, keys, { subject: "alice-uid" }).token);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { headers: Record<string, string> }).headers["x-firebase-uid"]).toBe("alice-uid");
    // A real token of another Firebase project carries that project in both iss and aud.
    const other = mintToken(config, keys, {
      issuer: "https://securetoken.google.com/other-project",
      audience: "other-project",
    }).token;
    const refused = await get(other);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(server.host.metric("firebase_jwt.granted")).toBe(1);
  });

  it("a key cluster left unmapped is reported at start, with the flags to pass", async () => {
    const lines = await cli([
      "serve",
      join(JWT_AUTHN, "build", "filter.wasm"),
      "--config",
      join(JWT_AUTHN, "plugin-config.json"),
      "--root-id",
      "jwt-authn",
      "--port",
      "0",
      "--quiet",
      "--dev-idp",
      "login",
      "--dev-key",
      keyFile,
    ]);
    expect(lines.code).toBe(ExitCode.Ok);
    expect(lines.err).toContain(
      'getwild serve: warning: the configuration names cluster "mesh_ca", which is not mapped: pass --cluster mesh_ca=URL',
    );
    expect(lines.err).toContain("or --dev-idp mesh_ca");
    expect(lines.err).not.toContain('"login"');
    expect(lines.out).toMatch(
      /dev IdP \(development keys, for local testing only\): JWKS at http:\/\/127\.0\.0\.1:\d+ for cluster login/,
    );
  });
});
