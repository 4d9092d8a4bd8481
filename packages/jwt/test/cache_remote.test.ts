// SPDX-License-Identifier: Apache-2.0
// The remote JWKS cache through the compiled filter in @getwild/host: the fetch at VM start (one for
// the whole proxy, shared with every worker), Cache-Control lifetimes and refresh on the tick, every
// kind of failed fetch (last good keys kept, or fail closed; backoff), requests paused on a cold
// start or an unknown kid and always resumed or answered, and the rate limit on kid refetches.
import { describe, it, expect, beforeAll } from "vitest";
import { rsaKey, jwks, mint, load, T0, type SigningKey } from "./filter_helpers";

let k1: SigningKey;
let k2: SigningKey;
let k3: SigningKey;
beforeAll(async () => {
  [k1, k2, k3] = await Promise.all([rsaKey("k1"), rsaKey("k2"), rsaKey("k3")]);
});

const ISS = "https://idp.example.com";
const CONFIG = {
  providers: {
    idp: {
      issuer: ISS,
      remote_jwks: { cluster: "idp", authority: "idp.example.com", path: "/.well-known/jwks.json", timeout_ms: 2000 },
    },
  },
  rules: [{ match: { prefix: "/" }, requires: { provider_name: "idp" } }],
};
const HEADERS = { ":method": "GET", ":path": "/data", ":authority": "api.example.com", ":scheme": "https" };

async function start(workers = 1, config: unknown = CONFIG) {
  const host = await load(config, { workers });
  return host;
}

function send(host: Awaited<ReturnType<typeof start>>, token: string, worker?: number) {
  const stream = host.newHttpStream(worker === undefined ? {} : { worker });
  const action = stream.sendRequestHeaders({ ...HEADERS, authorization: `Bearer ${token}` }, { endOfStream: true });
  return { stream, action };
}

function answered(stream: ReturnType<typeof send>["stream"]) {
  if (stream.localResponse) return stream.localResponse.status;
  return stream.upstreamRequest.complete ? 200 : 0;
}

function reply(body: string, maxAge?: number) {
  return {
    status: 200,
    headers: {
      "content-type": "application/json",
      ...(maxAge === undefined ? {} : { "cache-control": `public, max-age=${maxAge}` }),
    },
    body,
  };
}

describe("remote JWKS", () => {
  it("fetches once per proxy shortly after start, and every worker uses the keys", async () => {
    const host = await start(3);
    expect(host.pendingCalls()).toHaveLength(0); // not during start-up (the canary would cancel it)
    host.advance(50);
    const calls = host.pendingCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.cluster).toBe("idp");
    expect(calls[0]!.headers.get(":authority")).toBe("idp.example.com");
    expect(calls[0]!.headers.get(":path")).toBe("/.well-known/jwks.json");
    expect(calls[0]!.headers.get(":method")).toBe("GET");
    expect(calls[0]!.timeoutMs).toBe(2000);
    calls[0]!.respond(reply(jwks(k1), 3600));
    host.advance(1000);
    expect(host.pendingCalls()).toHaveLength(0);
    const token = await mint(k1, { iss: ISS });
    for (let w = 0; w < 3; w++) expect(answered(send(host, token, w).stream)).toBe(200);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(1);
    expect(host.sharedData.keys().filter((k: string) => k.startsWith("getwild.jwt.jwks")).length).toBeGreaterThan(0);
    expect(host.failures).toEqual([]);
  });

  it("reads bytes in its shared-data keys that it did not write without trapping, and still fetches keys", async () => {
    const host = await start(2);
    host.advance(50);
    const leaseKey = host.sharedData
      .keys()
      .find((k: string) => k.startsWith("getwild.jwt.jwks") && k.endsWith(".lease"));
    expect(leaseKey).toBeDefined();
    const documentKey = leaseKey!.slice(0, -".lease".length);
    const bytes = (text: string, ...raw: number[]) => new Uint8Array([...new TextEncoder().encode(text), ...raw]);
    // Another writer's bytes: a sign and invalid UTF-8 where the expiry goes, more digits than an
    // i64 holds for the fetch time, a body that is not JSON; a lease of four fields that are no numbers.
    host.sharedData.set(
      documentKey,
      new Uint8Array([0x2d, 0xff, 0x0a, ...new TextEncoder().encode("9".repeat(30)), 0x0a, 0xc3, 0x7b]),
    );
    host.sharedData.set(leaseKey!, bytes("f -x 99999999999999999999999 ", 0xff));
    const token = await mint(k1, { iss: ISS });
    const waiting = send(host, token, 1);
    expect(waiting.action).toBe("Pause");
    for (const call of host.pendingCalls()) call.respond(reply(jwks(k1), 3600));
    expect(answered(waiting.stream)).toBe(200);
    for (let w = 0; w < 2; w++) expect(answered(send(host, token, w).stream)).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("pauses requests that arrive before the keys, on every worker, and resumes them all", async () => {
    const host = await start(2);
    const token = await mint(k1, { iss: ISS });
    const a = send(host, token, 0);
    const b = send(host, token, 1);
    const bad = send(host, await mint(k2, { iss: ISS }), 0);
    expect([a.action, b.action, bad.action]).toEqual(["Pause", "Pause", "Pause"]);
    const calls = host.pendingCalls();
    expect(calls).toHaveLength(1); // the two workers share one fetch
    calls[0]!.respond(reply(jwks(k1)));
    expect(answered(a.stream)).toBe(200); // same worker as the fetch: at once
    expect(answered(bad.stream)).toBe(401);
    expect(answered(b.stream)).toBe(0);
    host.advance(1000); // the other worker sees the shared keys on its tick
    expect(answered(b.stream)).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("keeps the keys for Cache-Control max-age (clamped) and refreshes before expiry", async () => {
    const host = await start(1);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 600));
    host.advance(600_000 - 60_000 - 2000);
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(2000);
    expect(host.pendingCalls()).toHaveLength(1);
    host.pendingCalls()[0]!.respond(reply(jwks(k2), 5)); // clamped up to 30 s
    host.advance(14_000);
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(2000);
    expect(host.pendingCalls()).toHaveLength(1);
    host.pendingCalls()[0]!.respond(reply(jwks(k2))); // no Cache-Control: fallback 600 s
    host.advance(500_000);
    expect(host.pendingCalls()).toHaveLength(0);
    expect(host.metric("jwt_authn.jwks_fetch_success")).toBe(3);
  });

  it("reads Cache-Control directives in any ASCII case", async () => {
    const host = await start(1);
    host.advance(50);
    const upper = reply(jwks(k1));
    host
      .pendingCalls()[0]!
      .respond({ ...upper, headers: { ...upper.headers, "cache-control": "Public, MAX-AGE=600" } });
    host.advance(600_000 - 60_000 - 2000);
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(2000);
    expect(host.pendingCalls()).toHaveLength(1);
  });

  it("reads Cache-Control directives with spaces and tabs around names, '=' and quoted values", async () => {
    const host = await start(1);
    host.advance(50);
    const spaced = reply(jwks(k1));
    const cacheControl = 'public ,\ts-maxage = "900"\t, max-age =  60 ';
    host.pendingCalls()[0]!.respond({ ...spaced, headers: { ...spaced.headers, "cache-control": cacheControl } });
    host.advance(900_000 - 60_000 - 2000); // s-maxage (900 s) wins over max-age (60 s) and the fallback (600 s)
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(2000);
    expect(host.pendingCalls()).toHaveLength(1);
  });

  const failures: Array<
    [string, (call: ReturnType<Awaited<ReturnType<typeof start>>["pendingCalls"]>[number]) => void]
  > = [
    ["timeout", (c) => c.timeout()],
    ["reset", (c) => c.fail()],
    ["500", (c) => c.respond({ status: 500, body: "oops" })],
    ["garbage", (c) => c.respond({ status: 200, body: "<html>not json" })],
    ["oversize", (c) => c.respond({ status: 200, body: JSON.stringify({ keys: [], pad: "x".repeat(70_000) }) })],
    [
      "no keys",
      (c) =>
        c.respond({ status: 200, body: JSON.stringify({ keys: [{ kty: "RSA", use: "enc", n: "AQAB", e: "AQAB" }] }) }),
    ],
    [
      "too many keys",
      (c) => c.respond({ status: 200, body: JSON.stringify({ keys: Array.from({ length: 65 }, () => k1.publicJwk) }) }),
    ],
  ];

  it.each(failures)("a failed refresh (%s) keeps serving with the last good keys", async (_name, fail) => {
    const host = await start(1);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 120));
    expect(host.logs("info").join("\n")).toContain(" keys, 0 skipped, valid for 120 s");
    host.advance(61_000);
    const call = host.pendingCalls()[0]!;
    fail(call);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(1);
    expect(host.logs("warn").join("\n")).toContain("keeping the last good keys");
    expect(host.logs("warn").join("\n")).toMatch(/; next try in [1-9][0-9]* ms/);
    host.advance(200_000); // past expiry: still the last good keys
    for (const c of host.pendingCalls()) c.respond({ status: 503, body: "" });
    expect(answered(send(host, await mint(k1, { iss: ISS, exp: T0 + 100_000 })).stream)).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it.each(failures)(
    "with no keys ever fetched (%s), requests fail closed with jwks_unavailable",
    async (_name, fail) => {
      const host = await start(1);
      const token = await mint(k1, { iss: ISS });
      const waiting = send(host, token);
      expect(waiting.action).toBe("Pause");
      fail(host.pendingCalls()[0]!);
      expect(waiting.stream.localResponse?.status).toBe(401);
      expect(waiting.stream.localResponse?.details).toBe("jwt_authn_access_denied{jwks_unavailable}");
      expect(waiting.stream.clientResponse.headers.get("www-authenticate")).toContain('error="invalid_token"');
      // During the backoff no new fetch starts; a new request is answered at once.
      const next = send(host, token);
      expect(next.action).toBe("Pause");
      expect(next.stream.localResponse?.status).toBe(401);
      expect(host.pendingCalls()).toHaveLength(0);
      expect(host.failures).toEqual([]);
    },
  );

  it("backs off after failures (1 s, 2 s, 4 s…) and recovers", async () => {
    const host = await start(1);
    host.advance(50);
    host.pendingCalls()[0]!.fail();
    const gaps: number[] = [];
    let last = 50;
    let now = 50;
    for (let i = 0; i < 3; i++) {
      while (host.pendingCalls().length === 0) {
        host.advance(100);
        now += 100;
      }
      gaps.push(now - last);
      last = now;
      host.pendingCalls()[0]!.fail();
    }
    expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]!);
    while (host.pendingCalls().length === 0) host.advance(100);
    host.pendingCalls()[0]!.respond(reply(jwks(k1)));
    expect(answered(send(host, await mint(k1, { iss: ISS })).stream)).toBe(200);
    expect(host.metric("jwt_authn.jwks_fetch_failed")).toBe(4);
  });

  it("answers a request waiting on a slow fetch once its deadline passes (never left hanging)", async () => {
    const host = await start(1, {
      ...CONFIG,
      providers: {
        idp: { ...CONFIG.providers.idp, remote_jwks: { ...CONFIG.providers.idp.remote_jwks, timeout_ms: 60_000 } },
      },
    });
    const waiting = send(host, await mint(k1, { iss: ISS }));
    expect(waiting.action).toBe("Pause");
    host.advance(30_000);
    expect(answered(waiting.stream)).toBe(0);
    host.advance(32_000);
    expect(waiting.stream.localResponse?.status).toBe(401);
    expect(host.failures).toEqual([]);
  });

  it("refetches on an unknown kid (rotation), resuming the paused requests of every worker", async () => {
    const host = await start(2);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 3600));
    host.advance(1000);
    const rotated = await mint(k2, { iss: ISS });
    const a = send(host, rotated, 0);
    const b = send(host, rotated, 1);
    expect([a.action, b.action]).toEqual(["Pause", "Pause"]);
    expect(host.pendingCalls()).toHaveLength(1);
    expect(host.metric("jwt_authn.jwks_refetch_unknown_kid")).toBe(1);
    host.pendingCalls()[0]!.respond(reply(jwks(k1, k2), 3600));
    host.advance(1000);
    expect(answered(a.stream)).toBe(200);
    expect(answered(b.stream)).toBe(200);
    // Old and new kid both work.
    expect(answered(send(host, await mint(k1, { iss: ISS }), 1).stream)).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("rate-limits kid refetches proxy-wide: a second unknown kid soon after is refused without a fetch", async () => {
    const host = await start(2);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 3600));
    const first = send(host, await mint(k2, { iss: ISS }), 0);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 3600)); // the kid is really unknown
    expect(first.stream.localResponse?.status).toBe(401);
    expect(first.stream.localResponse?.details).toBe("jwt_authn_access_denied{key_not_found}");
    const second = send(host, await mint(k3, { iss: ISS }), 1);
    expect(second.stream.localResponse?.status).toBe(401);
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(31_000);
    const third = send(host, await mint(k3, { iss: ISS }), 1);
    expect(third.action).toBe("Pause");
    expect(host.pendingCalls()).toHaveLength(1);
    host.pendingCalls()[0]!.fail();
    expect(third.stream.localResponse?.status).toBe(401);
    expect(host.metric("jwt_authn.jwks_refetch_unknown_kid")).toBe(2);
  });

  it("keeps the verified-token cache per worker (hits counted across workers)", async () => {
    const host = await start(2);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 3600));
    host.advance(1000);
    const token = await mint(k1, { iss: ISS });
    for (let i = 0; i < 4; i++) expect(answered(send(host, token, i % 2).stream)).toBe(200);
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(2);
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(2);
  });

  it("drops verified tokens from the cache when the key set is replaced: a key taken out of the JWKS stops vouching", async () => {
    const host = await start(1);
    host.advance(50);
    host.pendingCalls()[0]!.respond(reply(jwks(k1), 600));
    host.advance(1000);
    const token = await mint(k1, { iss: ISS });
    for (let i = 0; i < 2; i++) expect(answered(send(host, token).stream)).toBe(200);
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(1);
    host.advance(600_000 - 60_000); // the refresh before expiry
    expect(host.pendingCalls()).toHaveLength(1);
    host.pendingCalls()[0]!.respond(reply(jwks(k2), 600)); // k1 is retired
    host.advance(1000);
    const after = send(host, token);
    expect(after.action).toBe("Pause"); // not a cache hit: verified again, k1 is unknown, one refetch
    host.pendingCalls()[0]!.respond(reply(jwks(k2), 600));
    expect(after.stream.localResponse?.status).toBe(401);
    expect(after.stream.localResponse?.details).toBe("jwt_authn_access_denied{key_not_found}");
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(1);
    // A token of the current set is cached again.
    const fresh = await mint(k2, { iss: ISS });
    for (let i = 0; i < 2; i++) expect(answered(send(host, fresh).stream)).toBe(200);
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(2);
  });

  it("fails open only when asked (jwks_unavailable: allow), with no identity headers, and logs the source and status", async () => {
    const config = {
      ...CONFIG,
      jwks_unavailable: "allow",
      providers: { idp: { ...CONFIG.providers.idp, claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }] } },
    };
    const host = await start(1, config);
    const token = await mint(k1, { iss: ISS, sub: "u" });
    const stream = host.newHttpStream();
    stream.sendRequestHeaders(
      { ...HEADERS, authorization: `Bearer ${token}`, "x-sub": "forged" },
      { endOfStream: true },
    );
    host.pendingCalls()[0]!.respond({ status: 404, body: "no such path" });
    expect(stream.upstreamRequest.complete).toBe(true);
    expect(stream.upstreamRequest.headers.has("x-sub")).toBe(false);
    expect(host.metric("jwt_authn.allowed")).toBe(1);
    expect(host.logs("warn").join("\n")).toContain(
      "JWKS fetch from idp idp.example.com/.well-known/jwks.json failed: status 404",
    );
  });
});
