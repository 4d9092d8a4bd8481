// SPDX-License-Identifier: Apache-2.0
// Per-request time through JwtAuthn in @getwild/host (request headers → response headers →
// log/done/delete), with a valid RS256 token: cold (verified-token cache off, so every request
// pays the signature) and warm (cache hit), each against the same request through an empty filter.
// The runner's "native" column is the empty filter, so its ratio is JwtAuthn / empty filter.
import { generateKeyPairSync } from "node:crypto";
import { SignJWT, exportJWK } from "jose";
import { createHost, VirtualClock } from "@getwild/host";
import { buildFilter } from "../test/filter_build.mjs";

const NOW = 1_790_000_000;

function driver(host, headers) {
  return () => {
    const s = host.newHttpStream();
    const action = s.sendRequestHeaders(headers, { endOfStream: true });
    if (action !== "Continue") throw new Error(`request was not let through (${s.localResponse?.details ?? action})`);
    s.sendResponseHeaders({ ":status": "200" }, { endOfStream: true });
    s.complete();
  };
}

export default async function () {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256", use: "sig" };
  const token = await new SignJWT({
    iss: "https://issuer.example",
    aud: "api",
    sub: "user-1",
    scope: "read write",
    iat: NOW - 10,
    exp: NOW + 3600,
  })
    .setProtectedHeader({ alg: "RS256", kid: "bench" })
    .sign(privateKey);
  const config = (cacheSize) =>
    JSON.stringify({
      providers: {
        main: {
          issuer: "https://issuer.example",
          audiences: ["api"],
          local_jwks: JSON.stringify({ keys: [jwk] }),
          claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
      jwt_cache_size: cacheSize,
    });
  const clock = () => new VirtualClock(NOW * 1000);
  const jwtWasm = await buildFilter("jwt_authn");
  const emptyWasm = await buildFilter("empty");
  const cold = await createHost({
    wasm: jwtWasm,
    rootId: "jwt_authn",
    pluginConfig: config(0),
    canary: false,
    clock: clock(),
  });
  const warm = await createHost({
    wasm: jwtWasm,
    rootId: "jwt_authn",
    pluginConfig: config(100),
    canary: false,
    clock: clock(),
  });
  const empty = await createHost({ wasm: emptyWasm, rootId: "empty", canary: false, clock: clock() });
  const headers = {
    ":method": "GET",
    ":path": "/orders/42",
    ":authority": "api.example.com",
    ":scheme": "https",
    "user-agent": "bench",
    accept: "*/*",
    authorization: `Bearer ${token}`,
  };
  const baseline = driver(empty, headers);
  return [
    { name: "JwtAuthn RS256 cold / empty filter", wasm: driver(cold, headers), native: baseline },
    { name: "JwtAuthn RS256 warm (token cache) / empty filter", wasm: driver(warm, headers), native: baseline },
  ];
}
