// SPDX-License-Identifier: Apache-2.0
// The soak: N mixed requests through one filter in @getwild/host, with the wasm memory size read
// at start, after warm-up and at the end, the request rate, and every answer checked.
import { startFilter, START_SECONDS, REMOTE_ALGS, TOKEN_CLAIMS, jwtAuthnRemoteConfig } from "./filters.mjs";
import { ALGS, keySet, jwksText, mint } from "./keys.mjs";
import { assertNoTrap } from "./suites.mjs";

export const PAGE = 65536;

/** Per filter: the host options and the i-th request with the status it must get. */
function plan(name) {
  const keys = keySet("a");
  switch (name) {
    case "hello":
      return {
        request: (i) => ({
          spec: {
            method: i % 3 ? "GET" : "POST",
            path: `/p/${i % 97}`,
            headers: { "x-n": String(i), "user-agent": "soak" },
            body: i % 3 ? undefined : "x".repeat(i % 2000),
          },
          expect: 200,
        }),
      };
    case "leak":
      return { request: (i) => ({ spec: { method: "GET", path: `/p/${i}` }, expect: 200 }) };
    case "getwild":
      return {
        request: (i) =>
          i % 2
            ? { spec: { method: "GET", path: "/" }, expect: 418 }
            : { spec: { method: "POST", path: "/", body: "abc" }, expect: 200 },
      };
    case "http-call": {
      // the callout answer cycles: 200, 200, 500, reset, timeout (the 504 Envoy makes)
      let calls = 0;
      const httpCallHandler = () =>
        ["ok", "ok", 500, "reset", "timeout"].map((o) =>
          o === "ok"
            ? { status: 200, headers: { "content-type": "application/json" }, body: '{"uuid":"x"}' }
            : o === 500
              ? { status: 500, body: "down" }
              : o,
        )[calls++ % 5];
      return { options: { httpCallHandler }, request: (i) => ({ spec: { path: "/" }, expect: i % 5 < 2 ? 200 : 502 }) };
    }
    case "responder": {
      const paths = [
        ["/teapot", 418],
        ["/old/x", 410],
        ["/a", 503],
        ["/other", 200],
      ];
      return { request: (i) => ({ spec: { method: "GET", path: paths[i % 4][0] }, expect: paths[i % 4][1] }) };
    }
    case "user_auth": {
      // the JWKS endpoint alternates a good document (the same keys) and a broken one
      let fetches = 0;
      const good = jwksText(keys);
      const httpCallHandler = () =>
        fetches++ % 2
          ? { status: 200, body: good }
          : { status: 200, body: '{"keys":[{"kty":"RSA","n":"AA","e":"AQAB"}]}' };
      const exp = START_SECONDS + 365 * 24 * 3600;
      const valid = ALGS.map((alg) => mint(keys, alg, START_SECONDS, { exp }));
      const bad = valid.map((t) => t.slice(0, -4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA"));
      const foreign = ALGS.map((alg) => mint(keySet("b"), alg, START_SECONDS, { exp }));
      return {
        options: { clusters: ["jwks"], httpCallHandler },
        everyN: [1000, (host) => host.advance(1000)], // a refresh (tick → callout) every 1000 requests
        request: (i) => {
          switch (i % 6) {
            case 0:
            case 1:
              return {
                spec: { path: "/api", headers: { authorization: `Bearer ${valid[(i >> 3) % 4]}` } },
                expect: 200,
              };
            case 2:
              return { spec: { path: "/api", headers: { authorization: `Bearer ${bad[i % 4]}` } }, expect: 401 };
            case 3:
              return { spec: { path: "/api" }, expect: 401 };
            case 4:
              return { spec: { path: "/api", headers: { authorization: `Bearer ${foreign[i % 4]}` } }, expect: 401 };
            default:
              return { spec: { method: "POST", path: "/teapot", body: "tea" }, expect: 418 };
          }
        },
      };
    }
    case "jwt_authn": {
      // remote keys with a 5 s lifetime (max-age), so the cache refreshes every ~5000 requests; the
      // fetch answer alternates good and broken (a broken one keeps the last good keys)
      let fetches = 0;
      const good = jwksText(keys, REMOTE_ALGS);
      const httpCallHandler = () =>
        fetches++ % 3 === 2
          ? { status: 503, body: "busy" }
          : { status: 200, headers: { "cache-control": "max-age=5" }, body: good };
      const exp = START_SECONDS + 365 * 24 * 3600;
      const repeated = REMOTE_ALGS.map((alg) => mint(keys, alg, START_SECONDS, { exp }));
      // 300 distinct tokens against a 100-entry verified-token cache: misses and evictions
      const distinct = Array.from({ length: 300 }, (_, n) =>
        mint(keys, REMOTE_ALGS[n % 3], START_SECONDS, { exp, sub: `user-${n}` }),
      );
      const bad = repeated.map((t) => t.slice(0, -4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA"));
      const foreign = REMOTE_ALGS.map((alg) => mint(keySet("b"), alg, START_SECONDS, { exp }));
      return {
        options: {
          clusters: ["idp"],
          httpCallHandler,
          pluginConfig: jwtAuthnRemoteConfig({
            min_lifetime_seconds: 1,
            refresh_before_seconds: 1,
            unknown_kid_min_interval_ms: 10000,
          }),
        },
        everyN: [1000, (host) => host.advance(1000)],
        request: (i) => {
          const auth = (t) => ({ path: "/api", headers: { authorization: `Bearer ${t}` } });
          switch (i % 8) {
            case 0:
            case 1:
            case 2:
              return { spec: auth(repeated[i % 3]), expect: 200 };
            case 3:
              return { spec: auth(distinct[(i >> 3) % 300]), expect: 200 };
            case 4:
              return { spec: auth(bad[i % 3]), expect: 401 };
            case 5:
              return { spec: { path: "/api" }, expect: 401 };
            case 6:
              return { spec: auth(foreign[i % 3]), expect: 401 };
            default:
              return {
                spec: {
                  method: "POST",
                  path: "/api",
                  headers: { authorization: `Bearer ${repeated[0]}` },
                  body: "x".repeat(i % 3000),
                },
                expect: 200,
              };
          }
        },
      };
    }
    case "firebase-jwt":
    case "jwt-authn": {
      // the example's configuration; its key fetches are answered by the filter's default handler,
      // and time moves 1 s per 1000 requests, so key lifetimes (10 min, 1 h) are crossed on long runs
      const claims = { ...TOKEN_CLAIMS[name], exp: START_SECONDS + 365 * 24 * 3600 };
      const valid = Array.from({ length: 150 }, (_, n) =>
        mint(keys, "RS256", START_SECONDS, { ...claims, sub: `uid-${n}` }),
      );
      const bad = valid.slice(0, 8).map((t) => t.slice(0, -4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA"));
      const foreign = mint(keySet("b"), "RS256", START_SECONDS, claims);
      const wrongAudience = mint(keys, "RS256", START_SECONDS, { ...claims, aud: "another-project" });
      return {
        everyN: [1000, (host) => host.advance(1000)],
        request: (i) => {
          const auth = (t) => ({ path: "/api", headers: { authorization: `Bearer ${t}` } });
          switch (i % 8) {
            case 0:
            case 1:
            case 2:
              return { spec: auth(valid[i % 3]), expect: 200 }; // cache hits
            case 3:
              return { spec: auth(valid[(i >> 3) % 150]), expect: 200 }; // misses past the 100-entry cache
            case 4:
              return { spec: auth(bad[i % 8]), expect: 401 };
            case 5:
              return { spec: (i >> 3) % 2 ? { path: "/api" } : { path: "/healthz" }, expect: (i >> 3) % 2 ? 401 : 200 };
            case 6:
              return { spec: auth(foreign), expect: 401 };
            default:
              return { spec: auth(wrongAudience), expect: 403 }; // both examples answer a wrong audience 403
          }
        },
      };
    }
    default:
      throw new Error(`no soak plan for ${name}`);
  }
}

/**
 * Sends `requests` requests; memory is read after `warmup` of them. Returns the figures; throws on
 * a trap or a wrong answer (with the request index).
 */
export async function soak(name, { requests, warmup = Math.min(5000, Math.floor(requests / 10)), progress } = {}) {
  const p = plan(name);
  const host = await startFilter(name, p.options ?? {});
  const startBytes = host.memoryBytes();
  let warmBytes = startBytes;
  let warmAt = performance.now();
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    if (i === warmup) {
      warmBytes = host.memoryBytes();
      warmAt = performance.now();
    }
    if (p.everyN && i > 0 && i % p.everyN[0] === 0) {
      p.everyN[1](host);
      await host.idle();
    }
    const { spec, expect } = p.request(i);
    const r = await host.request(spec, { status: 200, body: "upstream" });
    if (r.status !== expect) {
      assertNoTrap(host, `${name} request ${i}`);
      throw new Error(`${name} request ${i}: status ${r.status}, expected ${expect}`);
    }
    if (progress && i > 0 && i % progress.every === 0)
      progress.report(i, host.memoryBytes(), (performance.now() - started) / 1000);
  }
  assertNoTrap(host, name);
  const endBytes = host.memoryBytes();
  const seconds = (performance.now() - started) / 1000;
  const steadyRequests = requests - warmup;
  host.close();
  return {
    name,
    requests,
    warmup,
    startBytes,
    warmBytes,
    endBytes,
    seconds,
    requestsPerSecond: requests / seconds,
    steadyRequestsPerSecond: steadyRequests / ((performance.now() - warmAt) / 1000),
    growthPages: (endBytes - warmBytes) / PAGE,
    allowedPages: Math.ceil(steadyRequests / 10000),
  };
}
