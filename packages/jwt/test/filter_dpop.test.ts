// SPDX-License-Identifier: Apache-2.0
// Sender-constrained tokens through the compiled JwtAuthn filter in the host emulator: DPoP
// (RFC 9449) with `dpop: { mode }` on a provider, replay refused across workers through shared
// data, RFC 9449 challenges; mTLS-bound tokens (RFC 8705) against the connection's certificate
// digest; and a confirmation the filter cannot check refused.
import { describe, it, expect, beforeAll, vi } from "vitest";
import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK, calculateJwkThumbprint, type JWK } from "jose";
import { rsaKey, jwks, mint, load, T0, type SigningKey } from "./filter_helpers";

const ISS = "https://issuer.example.com";
const URL = "https://api.example.com/orders";
const b64u = (b: Buffer) => b.toString("base64url");

interface Client {
  privateKey: KeyObject;
  jwk: JWK;
  jkt: string;
}
async function client(): Promise<Client> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

let jti = 0;
function proof(
  c: Client,
  token: string | null,
  o: { method?: string; url?: string; iat?: number; jti?: string; ath?: string } = {},
) {
  const claims: Record<string, unknown> = {
    jti: o.jti ?? `proof-${++jti}`,
    htm: o.method ?? "GET",
    htu: o.url ?? URL,
    iat: o.iat ?? T0,
  };
  if (token !== null) claims.ath = o.ath ?? b64u(createHash("sha256").update(token).digest());
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: c.jwk }).sign(c.privateKey);
}

function request(headers: Record<string, string>, o: { method?: string; path?: string; worker?: number } = {}) {
  return {
    method: o.method ?? "GET",
    path: o.path ?? "/orders",
    worker: o.worker,
    headers: { ":authority": "api.example.com", ":scheme": "https", ...headers },
  };
}

let idp: SigningKey, alice: Client, mallory: Client;
beforeAll(async () => {
  [idp, alice, mallory] = await Promise.all([rsaKey("k1"), client(), client()]);
});

function config(dpop: Record<string, unknown> | null, extra: Record<string, unknown> = {}) {
  return {
    providers: {
      api: {
        issuer: ISS,
        local_jwks: jwks(idp),
        claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
        ...(dpop === null ? {} : { dpop }),
        ...extra,
      },
    },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "api" } }],
  };
}

const bound = (c: Client, claims: Record<string, unknown> = {}) =>
  mint(idp, { iss: ISS, sub: "alice", cnf: { jkt: c.jkt }, ...claims });

describe("DPoP-bound tokens (RFC 9449)", () => {
  it("a valid proof with Authorization: DPoP passes; the claims go upstream", async () => {
    const host = await load(config({ mode: "required" }));
    const token = await bound(alice);
    const res = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token) }), {
      status: 200,
    });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest?.headers.get("x-sub")).toBe("alice");
    expect(res.upstreamRequest?.headers.get("authorization")).toBeUndefined();
    expect(host.failures).toEqual([]);
  });

  it("a replayed proof is refused, also when it reaches another worker", async () => {
    const host = await load(config({ mode: "required" }), { workers: 2 });
    const token = await bound(alice);
    const p = await proof(alice, token);
    const first = await host.request(
      { ...request({ authorization: `DPoP ${token}`, dpop: p }), worker: 0 },
      { status: 200 },
    );
    expect(first.status).toBe(200);
    for (const worker of [1, 0]) {
      const again = await host.request(
        { ...request({ authorization: `DPoP ${token}`, dpop: p }), worker },
        { status: 200 },
      );
      expect(again.status, `worker ${worker}`).toBe(401);
      expect(again.headers.get("www-authenticate")).toMatch(
        /^DPoP error="invalid_dpop_proof", error_description="DPoP proof was already used", algs="ES256 ES384 ES512 EdDSA PS256 RS256"$/,
      );
      expect(JSON.parse(again.bodyText)).toEqual({ error: "invalid_dpop_proof", reason: "dpop_replayed" });
      expect(again.upstreamRequest).toBeNull();
    }
    // The same token with a fresh proof is fine: the token is not used up, the proof is.
    const fresh = await host.request(
      { ...request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token) }), worker: 1 },
      { status: 200 },
    );
    expect(fresh.status).toBe(200);
  });

  it("the replay store is bounded: a full shard refuses new proofs, expired entries make room again", async () => {
    // 64 entries: one shard. Every proof that passed takes an entry until iat + max_age + skew.
    const host = await load(
      config({ mode: "required", replay_cache_size: 64, max_age_seconds: 30, clock_skew_seconds: 0 }),
    );
    const token = await bound(alice);
    for (let i = 0; i < 64; i++) {
      const ok = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token) }), {
        status: 200,
      });
      expect(ok.status, `proof ${i}`).toBe(200);
    }
    const full = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token) }), {
      status: 200,
    });
    expect(full.status).toBe(401);
    expect(JSON.parse(full.bodyText).reason).toBe("dpop_replay_store_unavailable");
    host.advance(31_000);
    const later = await host.request(
      request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token, { iat: T0 + 31 }) }),
      { status: 200 },
    );
    expect(later.status, later.bodyText).toBe(200);
  });

  it.each([
    ["another method", { method: "POST" }, "dpop_htm_mismatch"],
    ["another URI", { url: "https://api.example.com/admin" }, "dpop_htu_mismatch"],
    ["another host", { url: "https://evil.example.com/orders" }, "dpop_htu_mismatch"],
    ["another access token (ath)", { ath: b64u(createHash("sha256").update("other").digest()) }, "dpop_ath_mismatch"],
    ["a stale iat", { iat: T0 - 61 }, "dpop_iat_too_old"],
  ])("a proof for %s is refused with invalid_dpop_proof", async (_name, o, reason) => {
    const host = await load(config({ mode: "required" }));
    const token = await bound(alice);
    const res = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token, o) }), {
      status: 200,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(
      /^DPoP error="invalid_dpop_proof", error_description="[^"]+", algs="[A-Za-z0-9 ]+"$/,
    );
    expect(JSON.parse(res.bodyText).reason).toBe(reason);
    expect(res.upstreamRequest).toBeNull();
  });

  it("a proof signed by another key than cnf.jkt names is refused (a stolen token)", async () => {
    const host = await load(config({ mode: "required" }));
    const token = await bound(alice);
    const res = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(mallory, token) }), {
      status: 200,
    });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.bodyText).reason).toBe("dpop_key_binding_mismatch");
  });

  it("a DPoP-bound token presented as Bearer is refused, in either mode", async () => {
    for (const mode of ["required", "allowed"]) {
      const host = await load(config({ mode }));
      const token = await bound(alice);
      const res = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
      expect(res.status, mode).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_token"/);
      expect(JSON.parse(res.bodyText).reason).toBe("dpop_bound_token_as_bearer");
    }
  });

  it("mode required refuses an unbound Bearer token; mode allowed lets it through", async () => {
    const token = await mint(idp, { iss: ISS, sub: "bob" });
    const required = await load(config({ mode: "required" }));
    const refused = await required.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.bodyText).reason).toBe("dpop_required");
    const allowed = await load(config({ mode: "allowed" }));
    const passed = await allowed.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(passed.status).toBe(200);
    expect(passed.upstreamRequest?.headers.get("x-sub")).toBe("bob");
  });

  it("Authorization: DPoP without a proof, with two proofs, or with an unbound token is refused", async () => {
    const host = await load(config({ mode: "allowed" }));
    const token = await bound(alice);
    const none = await host.request(request({ authorization: `DPoP ${token}` }), { status: 200 });
    expect(JSON.parse(none.bodyText).reason).toBe("dpop_proof_missing");
    const two = await host.request(
      {
        method: "GET",
        path: "/orders",
        headers: [
          [":authority", "api.example.com"],
          [":scheme", "https"],
          ["authorization", `DPoP ${token}`],
          ["dpop", await proof(alice, token)],
          ["dpop", await proof(alice, token)],
        ] as [string, string][],
      },
      { status: 200 },
    );
    expect(JSON.parse(two.bodyText).reason).toBe("dpop_multiple_proofs");
    const unbound = await mint(idp, { iss: ISS, sub: "bob" });
    const res = await host.request(request({ authorization: `DPoP ${unbound}`, dpop: await proof(alice, unbound) }), {
      status: 200,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_token"/);
    expect(JSON.parse(res.bodyText).reason).toBe("dpop_token_not_bound");
  });

  it("a cached token still needs a fresh proof on every request", async () => {
    const host = await load(config({ mode: "required" }));
    const token = await bound(alice);
    for (let i = 0; i < 3; i++) {
      const ok = await host.request(request({ authorization: `DPoP ${token}`, dpop: await proof(alice, token) }), {
        status: 200,
      });
      expect(ok.status).toBe(200);
    }
    const noProof = await host.request(request({ authorization: `DPoP ${token}` }), { status: 200 });
    expect(noProof.status).toBe(401);
    const bearer = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(bearer.status).toBe(401);
  });

  it("a request without a token gets the DPoP challenge beside the Bearer one", async () => {
    const host = await load(config({ mode: "required", algorithms: ["ES256", "EdDSA"] }));
    const res = await host.request(request({}), { status: 200 });
    expect(res.status).toBe(401);
    expect(res.headers.getAll("www-authenticate")).toEqual([
      'Bearer realm="https://api.example.com/orders"',
      'DPoP algs="ES256 EdDSA"',
    ]);
    const plain = await load(config(null));
    const bearerOnly = await plain.request(request({}), { status: 200 });
    expect(bearerOnly.headers.getAll("www-authenticate")).toEqual(['Bearer realm="https://api.example.com/orders"']);
  });

  it("a provider_and_audiences variant shares its provider's replay store", async () => {
    const host = await load({
      providers: { api: { issuer: ISS, audiences: ["api"], local_jwks: jwks(idp), dpop: { mode: "required" } } },
      requirement_map: { billing: { provider_and_audiences: { provider_name: "api", audiences: ["billing"] } } },
      route_requirements: { "billing-route": "billing" },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "api" } }],
    });
    const token = await bound(alice, { aud: ["api", "billing"] });
    const p = await proof(alice, token);
    // The same path on two routes Envoy named differently: the provider itself, then its variant.
    const send = (route: string | undefined) => {
      const stream = host.newHttpStream();
      if (route !== undefined) stream.setProperty("xds.route_name", route);
      stream.sendRequestHeaders(
        {
          ":method": "GET",
          ":authority": "api.example.com",
          ":scheme": "https",
          ":path": "/orders",
          authorization: `DPoP ${token}`,
          dpop: p,
        },
        { endOfStream: true },
      );
      return stream.localResponse?.details ?? "allowed";
    };
    expect(send(undefined)).toBe("allowed");
    expect(send("billing-route")).toBe("jwt_authn_access_denied{dpop_replayed}");
  });

  it("a provider without dpop refuses a DPoP-bound token (its binding cannot be checked)", async () => {
    const host = await load(config(null));
    const token = await bound(alice);
    const res = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]*", error="invalid_token"$/);
    expect(JSON.parse(res.bodyText).reason).toBe("dpop_not_configured");
  });

  it.each([
    [{ mode: "sometimes" }, "providers.api.dpop.mode"],
    [{}, "providers.api.dpop.mode"],
    [{ mode: "required", algorithms: ["HS256"] }, "providers.api.dpop.algorithms[0]"],
    [{ mode: "required", max_age_seconds: 0 }, "providers.api.dpop.max_age_seconds"],
    [{ mode: "required", replay_cache_size: 1 }, "providers.api.dpop.replay_cache_size"],
    [{ mode: "required", nonce: true }, "providers.api.dpop.nonce"],
  ])("refuses a bad dpop configuration at configure time, naming the field (%#)", async (dpop, field) => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(String(line));
    });
    try {
      await expect(load(config(dpop), { echoLogs: true })).rejects.toThrow(/proxy_on_configure returned false/);
    } finally {
      spy.mockRestore();
    }
    const refusal = lines.find((l) => l.includes("jwt_authn: configuration refused: "));
    expect(refusal, lines.join("\n")).toBeDefined();
    expect(refusal!.split("configuration refused: ")[1]!.startsWith(field + ":")).toBe(true);
  });
});

describe("certificate-bound tokens (RFC 8705)", () => {
  const certDigest = createHash("sha256").update("client certificate DER").digest();
  const x5t = b64u(certDigest);

  it("passes when cnf.x5t#S256 is the connection's client certificate digest, refuses otherwise", async () => {
    const host = await load(config(null));
    const token = await mint(idp, { iss: ISS, sub: "svc", cnf: { "x5t#S256": x5t } });
    const missing = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.bodyText).reason).toBe("mtls_certificate_missing");
    host.setProperty("connection.sha256_peer_certificate_digest", certDigest.toString("hex"));
    const ok = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(ok.status).toBe(200);
    host.setProperty("connection.sha256_peer_certificate_digest", createHash("sha256").update("another").digest("hex"));
    const other = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
    expect(other.status).toBe(401);
    expect(other.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]*", error="invalid_token"$/);
    expect(JSON.parse(other.bodyText).reason).toBe("mtls_certificate_mismatch");
  });

  it("refuses a cnf it cannot check (another confirmation method, or not an object)", async () => {
    const host = await load(config(null));
    for (const cnf of [{ jwk: alice.jwk }, { kid: "k" }, "x", { "x5t#S256": 5 }]) {
      const token = await mint(idp, { iss: ISS, sub: "svc", cnf });
      const res = await host.request(request({ authorization: `Bearer ${token}` }), { status: 200 });
      expect(res.status, JSON.stringify(cnf)).toBe(401);
      expect(JSON.parse(res.bodyText).reason).toBe("cnf_unsupported");
    }
  });
});

describe("a DPoP proof checked before the request waits for another provider's keys", () => {
  it("is not taken for its own replay when the request resumes", async () => {
    const partner = await rsaKey("p1");
    const host = await load({
      providers: {
        api: { issuer: ISS, local_jwks: jwks(idp), dpop: { mode: "required" } },
        partner: {
          issuer: "https://partner.example.com",
          from_headers: [{ name: "x-partner-token" }],
          remote_jwks: { cluster: "idp", authority: "partner.example.com", path: "/keys" },
        },
      },
      rules: [
        {
          match: { prefix: "/" },
          requires: { requires_all: { requirements: [{ provider_name: "api" }, { provider_name: "partner" }] } },
        },
      ],
    });
    const token = await bound(alice);
    const partnerToken = await mint(partner, { iss: "https://partner.example.com", sub: "p" });
    const stream = host.newHttpStream();
    const action = stream.sendRequestHeaders(
      {
        ":method": "GET",
        ":path": "/orders",
        ":authority": "api.example.com",
        ":scheme": "https",
        authorization: `DPoP ${token}`,
        dpop: await proof(alice, token),
        "x-partner-token": partnerToken,
      },
      { endOfStream: true },
    );
    // The api token and its proof were checked at once; the partner's keys are not there yet.
    expect(action).toBe("Pause");
    host.advance(50);
    const calls = host.pendingCalls();
    expect(calls).toHaveLength(1);
    calls[0]!.respond({ status: 200, headers: { "cache-control": "max-age=3600" }, body: jwks(partner) });
    expect(stream.localResponse?.details).toBeUndefined();
    expect(stream.upstreamRequest.complete).toBe(true);
    expect(host.failures).toEqual([]);
  });
});
