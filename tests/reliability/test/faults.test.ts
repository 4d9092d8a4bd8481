// SPDX-License-Identifier: Apache-2.0
// Faults: the JWKS endpoint down, slow, failing or rotating keys while tokens arrive (JwtAuthn's
// remote key cache, and the user-built filter's own refresh), and a trap injected in a fixture
// filter under each failure policy, answered as Envoy does.
import { describe, it, expect } from "vitest";
// @ts-expect-error plain ESM helpers
import { startFilter, jwtAuthnRemoteConfig, START_SECONDS, REMOTE_ALGS } from "../lib/filters.mjs";
// @ts-expect-error plain ESM helpers
import { keySet, jwksText, mint } from "../lib/keys.mjs";
// @ts-expect-error plain ESM helpers
import { buildFilter, wasmPath } from "../lib/build.mjs";
import { createHost } from "@getwild/host";

type Host = Awaited<ReturnType<typeof createHost>>;
const A = keySet("a");
const B = keySet("b");
const EXP = START_SECONDS + 30 * 24 * 3600;
const tokenA = mint(A, "RS256", START_SECONDS, { exp: EXP });
const tokenAes = mint(A, "ES256", START_SECONDS, { exp: EXP });
const tokenB = mint(B, "RS256", START_SECONDS, { exp: EXP });
const forged = tokenA.slice(0, -6) + (tokenA.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
const jwksA = { status: 200, headers: { "cache-control": "max-age=60" }, body: jwksText(A, REMOTE_ALGS) };

/** JwtAuthn fetching keys from `idp`, nobody answering automatically: the test answers each fetch. */
async function remoteFilter(remote: Record<string, unknown> = {}): Promise<Host> {
  return startFilter("jwt_authn", {
    clusters: ["idp"],
    pluginConfig: jwtAuthnRemoteConfig({
      timeout_ms: 2000,
      backoff_base_ms: 1000,
      backoff_max_ms: 4000,
      min_lifetime_seconds: 30,
      unknown_kid_min_interval_ms: 0,
      ...remote,
    }),
  });
}

async function send(host: Host, token?: string) {
  return host.request(
    { path: "/api", headers: token ? { authorization: `Bearer ${token}` } : {} },
    { status: 200, body: "upstream" },
  );
}

/** What a request that was held (stalled) finally got: the filter's local reply status, or 200 if it went upstream. */
function heldOutcome(result: Awaited<ReturnType<typeof send>>): number {
  const stream = result.stream;
  if (stream.localResponse) return stream.localResponse.status;
  if (stream.clientResponse.status) return stream.clientResponse.status;
  return stream.upstreamRequest && !stream.requestPaused ? 200 : 0;
}

/** Moves time until the filter starts a fetch, and returns it. */
function nextFetch(host: Host, stepMs = 500, limitMs = 120_000) {
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    const calls = host.pendingCalls();
    if (calls.length > 0) return calls[0];
    host.advance(stepMs);
  }
  throw new Error("no JWKS fetch started");
}

describe("JWKS endpoint faults (JwtAuthn remote keys)", () => {
  it("down at start, then up: 401 while no key was ever fetched, tokens pass once it answers", async () => {
    const host = await remoteFilter();
    nextFetch(host).fail();
    await host.idle();
    const before = await send(host, tokenA);
    expect(before.status).toBe(401);
    expect(before.stalled).toBe(false);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBeGreaterThanOrEqual(1);
    nextFetch(host).respond(jwksA);
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(200);
    expect((await send(host, tokenAes)).status).toBe(200);
    expect((await send(host, forged)).status).toBe(401);
    expect((await send(host)).status).toBe(401);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(1);
    expect(host.metric("jwt_authn.allowed")).toBe(2);
    expect(host.failures).toEqual([]);
  });

  it("up, then down: the last good keys keep working past their lifetime while refetches fail", async () => {
    const host = await remoteFilter();
    nextFetch(host).respond(jwksA);
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(200);
    let failedFetches = 0;
    for (let i = 0; i < 6; i++) {
      // past the 60 s lifetime, every refresh answered by a dead endpoint
      const call = nextFetch(host);
      if (i % 2) call.fail();
      else call.respond({ status: 503, body: "down" });
      failedFetches++;
      await host.idle();
      expect((await send(host, tokenA)).status).toBe(200);
      expect((await send(host, forged)).status).toBe(401);
    }
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(failedFetches);
    expect(host.metric("jwt_authn.allowed")).toBe(7);
    expect(host.failures).toEqual([]);
  });

  it("slow beyond the timeout: a waiting request is answered 401 when the fetch times out, then served after a good fetch", async () => {
    const host = await remoteFilter();
    nextFetch(host); // in flight, never answered
    const waiting = await send(host, tokenA);
    expect(waiting.stalled).toBe(true); // held while the keys are being fetched
    host.advance(2500); // past timeout_ms: Envoy's 504
    await host.idle();
    expect(heldOutcome(waiting)).toBe(401);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(1);
    nextFetch(host).respond(jwksA);
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("500 then 200: refused until the endpoint recovers, counted both ways", async () => {
    const host = await remoteFilter();
    nextFetch(host).respond({ status: 500, body: "oops" });
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(401);
    nextFetch(host).respond({ status: 200, body: "<html>not json</html>" });
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(401);
    nextFetch(host).respond(jwksA);
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(200);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(2);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(1);
    expect(host.failures).toEqual([]);
  });

  it("rotation: old and new keys overlap, then the old ones go; each token passes exactly while its key is published", async () => {
    const host = await remoteFilter();
    nextFetch(host).respond(jwksA);
    await host.idle();
    expect((await send(host, tokenA)).status).toBe(200);
    // a token signed by the new key arrives before the cache has it: an unknown kid forces a refetch
    const early = await send(host, tokenB);
    expect(early.stalled).toBe(true);
    const overlap = {
      status: 200,
      headers: { "cache-control": "max-age=60" },
      body: JSON.stringify({
        keys: [...JSON.parse(jwksText(A, REMOTE_ALGS)).keys, ...JSON.parse(jwksText(B, ["RS256"])).keys],
      }),
    };
    nextFetch(host).respond(overlap);
    await host.idle();
    expect(heldOutcome(early)).toBe(200);
    expect(host.metric("jwt_authn.jwks_refetch_unknown_kid")).toBe(1);
    expect((await send(host, tokenA)).status).toBe(200);
    expect((await send(host, tokenB)).status).toBe(200);
    // the old key is withdrawn at the next refresh
    nextFetch(host).respond({ status: 200, headers: { "cache-control": "max-age=60" }, body: jwksText(B, ["RS256"]) });
    await host.idle();
    expect((await send(host, tokenB)).status).toBe(200);
    const old = await send(host, mint(A, "RS256", START_SECONDS + 200, { exp: EXP, sub: "fresh" }));
    if (old.stalled) {
      // the unknown kid may ask for a refetch; the endpoint still has only B
      nextFetch(host).respond({ status: 200, body: jwksText(B, ["RS256"]) });
      await host.idle();
    }
    expect(heldOutcome(old)).toBe(401);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBeGreaterThanOrEqual(3);
    expect(host.failures).toEqual([]);
  });
});

describe("JWKS rotation in the user-built filter (its own refresh, last good keys kept)", () => {
  it("passes old-key tokens until the new set arrives, new-key tokens after; a broken reply changes nothing", async () => {
    const host = await startFilter("user_auth", { clusters: ["jwks"] });
    const oldToken = mint(A, "ES256", START_SECONDS, { exp: EXP });
    const newToken = mint(B, "ES256", START_SECONDS, { exp: EXP });
    expect((await send(host, oldToken)).status).toBe(200);
    expect((await send(host, newToken)).status).toBe(401);
    host.advance(1000);
    host.pendingCalls()[0].respond({ status: 200, body: '{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}' });
    await host.idle();
    expect((await send(host, oldToken)).status).toBe(200);
    expect(host.metric("user_auth.jwks_rejected")).toBe(1);
    host.advance(1000);
    host.pendingCalls()[0].respond({ status: 200, body: jwksText(B) });
    await host.idle();
    expect((await send(host, newToken)).status).toBe(200);
    expect((await send(host, oldToken)).status).toBe(401);
    expect(host.metric("user_auth.jwks_refreshed")).toBe(1);
    expect(host.metric("user_auth.allowed")).toBe(3);
    expect(host.metric("user_auth.denied")).toBe(2);
    expect(host.failures).toEqual([]);
  });
});

describe("a trap injected in a filter, under each failure policy", () => {
  async function trapHost(failurePolicy: "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD", workers = 1) {
    await buildFilter("trap");
    return createHost({ wasm: wasmPath("trap"), rootId: "trap", failurePolicy, workers });
  }
  const plain = { path: "/", headers: {} };
  const trapping = { path: "/", headers: { "x-trap": "1" } };

  it("FAIL_CLOSED: the trapping stream and every later one on that VM get 503 wasm_fail_stream", async () => {
    const host = await trapHost("FAIL_CLOSED");
    expect((await host.request(plain, { status: 200 })).upstreamRequest?.headers.get("x-vm-requests")).toBe("1");
    const hit = await host.request(trapping, { status: 200 });
    expect(hit.status).toBe(503);
    expect(hit.stream.responseCodeDetails).toBe("wasm_fail_stream");
    expect(host.failures[0].message).toMatch(/proxy_on_request_headers failed: Uncaught RuntimeError: unreachable/);
    const after = await host.request(plain, { status: 200 });
    expect(after.status).toBe(503);
    expect(after.upstreamRequest).toBeNull();
    expect(host.isFailed(0)).toBe(true);
  });

  it("FAIL_CLOSED with two workers: only the trapped worker's VM is lost", async () => {
    const host = await trapHost("FAIL_CLOSED", 2);
    expect((await host.request({ ...trapping, worker: 0 }, { status: 200 })).status).toBe(503);
    expect((await host.request({ ...plain, worker: 1 }, { status: 200 })).status).toBe(200);
    expect((await host.request({ ...plain, worker: 0 }, { status: 200 })).status).toBe(503);
    expect([host.isFailed(0), host.isFailed(1)]).toEqual([true, false]);
  });

  it("FAIL_OPEN: the failed filter is skipped; requests reach the upstream untouched", async () => {
    const host = await trapHost("FAIL_OPEN");
    await host.request(trapping, { status: 200 });
    const after = await host.request(plain, { status: 200 });
    expect(after.status).toBe(200);
    expect(after.upstreamRequest?.headers.has("x-vm-requests")).toBe(false); // the filter did not run
    expect(host.failures.length).toBe(1);
  });

  it("FAIL_RELOAD: the trapping stream gets 503, so does every stream during Envoy's 1 s back-off, then a fresh VM", async () => {
    const host = await trapHost("FAIL_RELOAD");
    await host.request(plain, { status: 200 });
    await host.request(plain, { status: 200 });
    expect((await host.request(trapping, { status: 200 })).status).toBe(503);
    host.advance(999);
    const during = await host.request(plain, { status: 200 });
    expect(during.status).toBe(503);
    expect(during.upstreamRequest).toBeNull();
    host.advance(1);
    const after = await host.request(plain, { status: 200 });
    expect(after.status).toBe(200);
    expect(after.upstreamRequest?.headers.get("x-vm-requests")).toBe("1"); // counting from zero again
    expect(host.isFailed(0)).toBe(false);
  });
});
