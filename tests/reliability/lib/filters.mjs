// SPDX-License-Identifier: Apache-2.0
// How each filter under test is loaded in @getwild/host: module, root id, a valid configuration,
// clusters and automatic callout answers. One place, shared by the suites, `pnpm fuzz` and `pnpm soak`.
import { createHost, VirtualClock } from "@getwild/host";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildFilter, wasmPath, repoRoot } from "./build.mjs";
import { keySet, jwksText, ISSUER, AUDIENCE, ALGS } from "./keys.mjs";

/** 2026-01-01T00:00:00Z: the virtual clock's start, so token times are reproducible. */
export const START_SECONDS = 1_767_225_600;

const RESPONDER_CONFIG = JSON.stringify({
  rules: [
    {
      match: { method: ["GET", "HEAD"], path: "/teapot" },
      status: 418,
      headers: { "powered-by": "getwild" },
      body: "short and stout\n",
    },
    { match: { prefix: "/old/", not: { headers: { "x-keep": true } } }, status: 410 },
    { match: { any: [{ path: "/a" }, { path: "/b" }] }, status: 503, grpc_status: 14 },
  ],
});

const uuidReply = () => ({
  status: 200,
  headers: { "content-type": "application/json" },
  body: '{"uuid":"3f1c0e52-5b7e-4f0e-9a51-0c1d2e3f4a5b"}',
});

/** JwtAuthn with one provider: inline keys (every algorithm of the suites, HMAC included). */
export function jwtAuthnLocalConfig(keys = keySet("a")) {
  return JSON.stringify({
    providers: { main: { issuer: ISSUER, audiences: [AUDIENCE], algorithms: ALGS, local_jwks: jwksText(keys) } },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
  });
}

/** The public-key algorithms a remote JWKS serves (a remote set never carries HMAC secrets). */
export const REMOTE_ALGS = ["RS256", "ES256", "EdDSA"];

/** JwtAuthn with keys fetched from the `idp` cluster; `remote` overrides the fetch settings. */
export function jwtAuthnRemoteConfig(remote = {}) {
  return JSON.stringify({
    providers: {
      main: {
        issuer: ISSUER,
        audiences: [AUDIENCE],
        algorithms: REMOTE_ALGS,
        remote_jwks: { cluster: "idp", authority: "idp.example", path: "/jwks.json", timeout_ms: 1000, ...remote },
      },
    },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
  });
}

/** name → how to start it; `rootId` doubles as the fixture's Envoy root_id. */
export const FILTERS = {
  hello: { rootId: "hello" },
  trap: { rootId: "trap" }, // traps on `x-trap`: the header fuzz's own check
  leak: { rootId: "leak" }, // the soak's own check: a filter that leaks on purpose
  getwild: { rootId: "getwild" },
  "http-call": { rootId: "http-call", clusters: ["httpbin"], httpCallHandler: uuidReply },
  responder: { rootId: "responder", pluginConfig: RESPONDER_CONFIG },
  user_auth: { rootId: "user_auth", pluginConfig: () => jwksText(keySet("a")) },
  jwt_authn: { rootId: "jwt_authn", pluginConfig: () => jwtAuthnLocalConfig() },
  // the example's own plugin-config.json; Google's securetoken endpoint is played by a handler
  // serving the suites' RSA key
  "firebase-jwt": {
    rootId: "firebase-jwt",
    pluginConfig: () => readFileSync(join(repoRoot, "examples", "firebase-jwt", "plugin-config.json"), "utf8"),
    clusters: ["googleapis"],
    httpCallHandler: () => ({
      status: 200,
      headers: { "cache-control": "public, max-age=3600" },
      body: jwksText(keySet("a"), ["RS256"]),
    }),
  },
  // the example's own plugin-config.json; both key endpoints (login, mesh_ca) serve the suites' keys
  "jwt-authn": {
    rootId: "jwt-authn",
    pluginConfig: () => readFileSync(join(repoRoot, "examples", "jwt-authn", "plugin-config.json"), "utf8"),
    clusters: ["login", "mesh_ca"],
    httpCallHandler: () => ({
      status: 200,
      headers: { "cache-control": "max-age=600" },
      body: jwksText(keySet("a"), ["RS256", "ES256"]),
    }),
  },
};

/** Claims a valid token needs for each token-verifying filter (merged over mint's defaults). */
export const TOKEN_CLAIMS = {
  user_auth: {},
  jwt_authn: {},
  "firebase-jwt": {
    iss: "https://securetoken.google.com/my-firebase-project",
    aud: "my-firebase-project",
    auth_time: START_SECONDS - 60,
  },
  "jwt-authn": { iss: "https://login.example.com/", aud: "https://api.example.com", scope: "api:read" },
};

/** The example filters and the user-built one (the soak and header/body fuzz run all of them). */
export const ALL_FILTERS = [
  "hello",
  "getwild",
  "http-call",
  "responder",
  "user_auth",
  "jwt_authn",
  "firebase-jwt",
  "jwt-authn",
];

/** Starts a filter in the host with its defaults; `overrides` go to createHost as is. */
export async function startFilter(name, overrides = {}) {
  const spec = FILTERS[name];
  await buildFilter(name);
  const pluginConfig = typeof spec.pluginConfig === "function" ? spec.pluginConfig() : spec.pluginConfig;
  return createHost({
    wasm: wasmPath(name),
    rootId: spec.rootId,
    clusters: spec.clusters ?? [],
    httpCallHandler: spec.httpCallHandler,
    clock: new VirtualClock(START_SECONDS * 1000),
    ...(pluginConfig === undefined ? {} : { pluginConfig }),
    ...overrides,
  });
}
