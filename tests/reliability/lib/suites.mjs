// SPDX-License-Identifier: Apache-2.0
// The fuzz suites: each is a filter started once in @getwild/host plus a fast-check property run
// against it. Shared by the vitest files (short CI runs) and `pnpm fuzz` (long runs).
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { createHost, HostLoadError } from "@getwild/host";
import {
  FILTERS,
  ALL_FILTERS,
  TOKEN_CLAIMS,
  START_SECONDS,
  REMOTE_ALGS,
  startFilter,
  jwtAuthnRemoteConfig,
} from "./filters.mjs";
import { buildFilter, wasmPath } from "./build.mjs";
import { ALGS, keySet, jwksText, mint, validlySigned } from "./keys.mjs";
import {
  hostileToken,
  hostileReply,
  hostileConfig,
  hostileHeaders,
  hostileMethod,
  hostilePath,
  hostileBody,
} from "./arbitraries.mjs";

/** Fails the case if any VM of the host has trapped (in Envoy: a dead worker VM). */
export function assertNoTrap(host, what) {
  if (host.failures.length > 0) {
    const f = host.failures[0];
    throw new Error(`${what}: the VM trapped: ${f.message}${f.criticalLog ? ` (${f.criticalLog})` : ""}`);
  }
}

/**
 * Tokens through a filter that verifies them (the user filter's verifyJwt call, JwtAuthn): never a
 * trap, never accepted unless a configured key really signed them (the node:crypto oracle).
 */
export function tokenSuite(name) {
  return {
    name: `tokens:${name}`,
    async setup() {
      return {
        host: await startFilter(name),
        keys: keySet("a"),
        other: keySet("b"),
        stats: { accepted: 0, refused: 0 },
      };
    },
    property: (ctx) =>
      fc.asyncProperty(hostileToken(ctx.keys, ctx.other, START_SECONDS, TOKEN_CLAIMS[name]), async (token) => {
        const r = await ctx.host.request(
          { method: "GET", path: "/api", headers: { authorization: `Bearer ${token}` } },
          { status: 200 },
        );
        assertNoTrap(ctx.host, "token");
        if (r.status === 401 || r.status === 403) {
          ctx.stats.refused++;
          return;
        }
        if (r.status !== 200) throw new Error(`unexpected status ${r.status}`);
        if (!validlySigned(token, [ctx.keys])) throw new Error(`accepted a token no configured key signed: ${token}`);
        ctx.stats.accepted++;
      }),
  };
}

/** Answers every pending callout with `reply` ("reset", "timeout" or a reply). */
function answerAll(host, reply) {
  const calls = host.pendingCalls();
  for (const call of calls) {
    if (reply === "reset") call.fail();
    else if (reply === "timeout") call.timeout();
    else call.respond(reply);
  }
  return calls.length;
}

/**
 * JWKS fetch replies into a filter's key cache (the user filter's refresh, JwtAuthn's remote JWKS
 * cache with lifetimes of 1–2 s so every case refetches): never a trap, last good keys kept.
 */
function jwksReplySuite(name) {
  return {
    name: `jwks-replies:${name}`,
    async setup() {
      const keys = keySet("a");
      const algs = name === "jwt_authn" ? REMOTE_ALGS : ALGS;
      const tokens = algs.map((alg) => mint(keys, alg, START_SECONDS, { exp: START_SECONDS + 30 * 24 * 3600 }));
      const stats = { fetchesAnswered: 0, requestsPassed: 0 };
      if (name === "user_auth") return { host: await startFilter("user_auth", { clusters: ["jwks"] }), tokens, stats };
      const host = await startFilter("jwt_authn", {
        clusters: ["idp"],
        pluginConfig: jwtAuthnRemoteConfig({
          timeout_ms: 60000,
          min_lifetime_seconds: 1,
          max_lifetime_seconds: 2,
          fallback_lifetime_seconds: 2,
          refresh_before_seconds: 1,
          backoff_base_ms: 10,
          backoff_max_ms: 500,
        }),
      });
      host.advance(1000);
      answerAll(host, {
        status: 200,
        headers: { "content-type": "application/json" },
        body: jwksText(keys, REMOTE_ALGS),
      });
      await host.idle();
      return { host, tokens, stats };
    },
    property: (ctx) =>
      fc.asyncProperty(hostileReply, fc.nat(), async (reply, pick) => {
        ctx.host.advance(2000);
        ctx.stats.fetchesAnswered += answerAll(ctx.host, reply);
        await ctx.host.idle();
        assertNoTrap(ctx.host, "jwks reply");
        // the tokens are valid for 30 days of virtual time; each case moves the clock one second
        const r = await ctx.host.request(
          { path: "/api", headers: { authorization: `Bearer ${ctx.tokens[pick % ctx.tokens.length]}` } },
          { status: 200 },
        );
        assertNoTrap(ctx.host, "request after jwks reply");
        if (r.status !== 200) throw new Error(`last good keys lost: status ${r.status} after a bad reply`);
        ctx.stats.requestsPassed++;
      }),
  };
}

/** Any callout reply into examples/http-call: 200 with the body relayed byte for byte, or 502; never a trap. */
function calloutReplySuite() {
  const reply = fc.oneof(
    fc.record({
      status: fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(200, 204, 299, 504)),
      headers: hostileHeaders.map((h) => h.filter(([name]) => !name.startsWith(":"))),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom(0, 1, 1 << 20, (1 << 20) + 1).map((n) => new Uint8Array(n).fill(0x7b)),
      ),
    }),
    fc.constantFrom("reset", "timeout"),
  );
  return {
    name: "callout-replies:http-call",
    async setup() {
      return {
        host: await startFilter("http-call", { httpCallHandler: undefined }),
        stats: { relayed: 0, refused: 0 },
      };
    },
    property: (ctx) =>
      fc.asyncProperty(reply, async (answer) => {
        const r = await ctx.host.request({ path: "/" }, { status: 200 });
        answerAll(ctx.host, answer);
        await ctx.host.idle();
        assertNoTrap(ctx.host, "callout reply");
        const got = r.stream.localResponse;
        if (!got) throw new Error("the request was neither answered nor refused");
        const relay =
          answer !== "reset" &&
          answer !== "timeout" &&
          answer.status >= 200 &&
          answer.status < 300 &&
          answer.body.length <= 1 << 20;
        if (relay) {
          if (got.status !== 200 || Buffer.compare(Buffer.from(got.body), Buffer.from(answer.body)) !== 0)
            throw new Error(`2xx reply not relayed: ${got.status}`);
          ctx.stats.relayed++;
        } else {
          if (got.status !== 502) throw new Error(`failed call answered ${got.status}, expected 502`);
          ctx.stats.refused++;
        }
      }),
  };
}

/** Valid configurations each configurable filter is mutated from, besides its default one. */
const MORE_CONFIGS = {
  "http-call": () => ['{"cluster":"httpbin","authority":"httpbin.org","timeout_ms":5000}', "{}", ""],
  responder: () => ['{"rules":[]}'],
  jwt_authn: () => [jwtAuthnRemoteConfig()],
};

/** Plugin configurations: refused with a message or accepted, never a trap. */
function configSuite(name) {
  return {
    name: `config:${name}`,
    async setup() {
      await buildFilter(name);
      const own = FILTERS[name].pluginConfig;
      const valid = [typeof own === "function" ? own() : own, ...(MORE_CONFIGS[name]?.() ?? [])].filter(
        (c) => c !== undefined,
      );
      return { wasm: readFileSync(wasmPath(name)), valid, stats: { accepted: 0, refused: 0 } };
    },
    property: (ctx) =>
      fc.asyncProperty(hostileConfig(ctx.valid), async (config) => {
        // the plugin's log lines are only visible through echoLogs (a refused host is never returned)
        const lines = [];
        const original = console.log;
        console.log = (...args) => {
          lines.push(args.join(" "));
        };
        let host;
        try {
          host = await createHost({
            wasm: ctx.wasm,
            rootId: FILTERS[name].rootId,
            pluginConfig: config,
            clusters: ["httpbin", "idp", "jwks", "googleapis", "login", "mesh_ca"],
            canary: false,
            echoLogs: true,
          });
        } catch (error) {
          if (!(error instanceof HostLoadError)) throw error;
          if (/RuntimeError|trap|failed:/i.test(error.message))
            throw new Error(`configuration trapped the VM: ${error.message}`);
          if (!/rejected/.test(error.message)) throw new Error(`unexpected refusal: ${error.message}`);
          if (!lines.some((line) => /^\[(warn|error|critical)\] wasm log .*: \S/.test(line)))
            throw new Error(`refused without a message: ${lines.join(" | ")}`);
          ctx.stats.refused++;
          return;
        } finally {
          console.log = original;
        }
        assertNoTrap(host, "configure");
        ctx.stats.accepted++;
        host.close();
      }),
  };
}

/** Any header map, method, path, body and trailers through a filter: never a trap. */
export function headerSuite(name) {
  return {
    name: `headers:${name}`,
    async setup() {
      return { host: await startFilter(name) };
    },
    property: (ctx) =>
      fc.asyncProperty(
        hostileMethod,
        hostilePath,
        hostileHeaders,
        hostileBody,
        fc.option(hostileHeaders),
        async (method, path, headers, body, trailers) => {
          const r = await ctx.host.request(
            { method, path, headers, body, trailers: trailers ?? undefined },
            { status: 200, headers: headers.slice(0, 10), body: "ok" },
          );
          assertNoTrap(ctx.host, "headers");
          if (!Number.isInteger(r.status) || r.status < 100 || r.status > 599)
            throw new Error(`no valid status: ${r.status}`);
        },
      ),
  };
}

/** Every suite with its share of the runs (the expensive ones get fewer). */
export function allSuites() {
  return [
    ...["user_auth", "jwt_authn", "firebase-jwt", "jwt-authn"].map((n) => ({ suite: tokenSuite(n), share: 3 })),
    ...["user_auth", "jwt_authn"].map((n) => ({ suite: jwksReplySuite(n), share: 1 })),
    { suite: calloutReplySuite(), share: 1 },
    ...ALL_FILTERS.map((n) => ({ suite: headerSuite(n), share: 3 })),
    // last and smaller: each case compiles the module (twice, with validation), and V8 keeps
    // optimising those modules on background threads for a while, which slows whatever runs next
    ...["http-call", "responder", "user_auth", "jwt_authn", "firebase-jwt", "jwt-authn"].map((n) => ({
      suite: configSuite(n),
      share: 0.5,
    })),
  ];
}

/** Runs one suite without throwing: cases run, failures found, the counterexample if any. */
export async function checkSuite(suite, { numRuns, seed }) {
  const ctx = await suite.setup();
  const started = performance.now();
  const details = await fc.check(suite.property(ctx), { numRuns, seed, endOnFailure: true });
  ctx.host?.close();
  return {
    stats: ctx.stats,
    name: suite.name,
    runs: details.numRuns,
    failed: details.failed,
    seconds: (performance.now() - started) / 1000,
    counterexample: details.failed ? details.counterexample : null,
    error: details.failed ? String(details.errorInstance ?? details.error) : null,
  };
}
