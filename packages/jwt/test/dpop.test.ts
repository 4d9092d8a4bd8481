// SPDX-License-Identifier: Apache-2.0
// RFC 7638 thumbprints and RFC 9449 DPoP proof checks through the compiled fixture (test/fixtures/dpop.ts),
// with proofs made by jose the way a client library makes them.
import { describe, it, expect, beforeAll } from "vitest";
import { createHash, createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK, calculateJwkThumbprint, type JWK } from "jose";
import { loadFixture, type Fixture } from "./wasm";

interface Exports {
  thumbprint(text: number): number;
  normalize(uri: number): number;
  requestUriOf(scheme: number, authority: number, path: number): number;
  ath(token: number): number;
  configure(algs: number, maxAge: bigint, skew: bigint, maxJti: number, maxProof: number): void;
  verify(
    proof: number,
    method: number,
    scheme: number,
    authority: number,
    path: number,
    hasToken: number,
    token: number,
    hasJkt: number,
    jkt: number,
    now: bigint,
  ): number;
  lastJkt(): number;
  lastJti(): number;
  lastIat(): bigint;
  errorName(code: number): number;
}

const NAMES = [
  "ok",
  "dpop_proof_missing",
  "dpop_multiple_proofs",
  "dpop_proof_malformed",
  "dpop_typ_invalid",
  "dpop_alg_not_allowed",
  "dpop_crit_unsupported",
  "dpop_jwk_missing",
  "dpop_jwk_private",
  "dpop_jwk_invalid",
  "dpop_signature_invalid",
  "dpop_htm_mismatch",
  "dpop_htu_mismatch",
  "dpop_iat_invalid",
  "dpop_iat_too_old",
  "dpop_iat_in_future",
  "dpop_jti_invalid",
  "dpop_ath_missing",
  "dpop_ath_mismatch",
  "dpop_key_binding_mismatch",
  "dpop_token_not_bound",
  "dpop_replayed",
  "dpop_replay_store_unavailable",
] as const;
type Name = (typeof NAMES)[number];

const NOW = 1_800_000_000;
const TOKEN = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
const b64u = (b: Buffer | Uint8Array) => Buffer.from(b).toString("base64url");
const athOf = (t: string) => b64u(createHash("sha256").update(t, "ascii").digest());

let f: Fixture<Exports>;
// Pinned until the call returns: a later allocation may run the collector over an unpinned argument.
const pinned: number[] = [];
const s = (v: string) => {
  const ptr = f.exports.__pin(f.exports.__newString(v));
  pinned.push(ptr);
  return ptr;
};
const unpinAll = () => {
  for (const p of pinned.splice(0)) f.exports.__unpin(p);
};
const g = (p: number) => {
  const text = f.exports.__getString(p);
  unpinAll();
  return text;
};

interface Key {
  alg: string;
  privateKey: KeyObject;
  jwk: JWK;
  jkt: string;
}
async function key(alg: string): Promise<Key> {
  const kp =
    alg === "EdDSA"
      ? generateKeyPairSync("ed25519")
      : alg.startsWith("ES")
        ? generateKeyPairSync("ec", { namedCurve: { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg]! })
        : generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = await exportJWK(kp.publicKey);
  return { alg, privateKey: kp.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, "sha256") };
}

interface ProofOptions {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  drop?: string[];
  method?: string;
  url?: string;
  token?: string | null;
}
async function proof(k: Key, o: ProofOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: `jti-${Math.random().toString(36).slice(2)}`,
    htm: o.method ?? "GET",
    htu: o.url ?? "https://api.example.com/orders",
    iat: NOW,
    ...(o.token === null ? {} : { ath: athOf(o.token ?? TOKEN) }),
    ...o.claims,
  };
  for (const d of o.drop ?? []) delete claims[d];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: k.alg, typ: "dpop+jwt", jwk: k.jwk, ...o.header })
    .sign(k.privateKey);
}

/** A proof signed by hand (header as given, no library checks): for alg none, HS256, odd typ values. */
function rawProof(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signer: (input: string) => Buffer,
): string {
  const input = `${b64u(Buffer.from(JSON.stringify(header)))}.${b64u(Buffer.from(JSON.stringify(claims)))}`;
  return `${input}.${b64u(signer(input))}`;
}

interface Request {
  method?: string;
  scheme?: string;
  authority?: string;
  path?: string;
  token?: string | null;
  jkt?: string | null;
  now?: number;
}
function verify(p: string, r: Request = {}): Name {
  const token = r.token === undefined ? TOKEN : r.token;
  const code = f.exports.verify(
    s(p),
    s(r.method ?? "GET"),
    s(r.scheme ?? "https"),
    s(r.authority ?? "api.example.com"),
    s(r.path ?? "/orders"),
    token === null ? 0 : 1,
    s(token ?? ""),
    r.jkt == null ? 0 : 1,
    s(r.jkt ?? ""),
    BigInt(r.now ?? NOW),
  );
  unpinAll();
  const name = NAMES[code];
  expect(g(f.exports.errorName(code))).toBe(name);
  return name;
}

let es256: Key, es384: Key, ed: Key, rs: Key, other: Key;

beforeAll(async () => {
  f = loadFixture<Exports>("dpop");
  f.exports.configure(s(""), 60n, 5n, 128, 4096);
  [es256, es384, ed, rs, other] = await Promise.all([
    key("ES256"),
    key("ES384"),
    key("EdDSA"),
    key("RS256"),
    key("ES256"),
  ]);
});

describe("RFC 7638 JWK thumbprint", () => {
  const rfcKey = {
    kty: "RSA",
    e: "AQAB",
    n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
  };
  const thumb = (jwk: unknown) => g(f.exports.thumbprint(s(typeof jwk === "string" ? jwk : JSON.stringify(jwk))));

  it("gives the RFC's own example value (section 3.1)", () => {
    expect(thumb(rfcKey)).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });
  it("ignores optional members and member order", () => {
    expect(thumb({ alg: "RS256", kid: "2011-04-29", use: "sig", n: rfcKey.n, e: "AQAB", kty: "RSA" })).toBe(
      "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
    );
  });
  it("matches jose for EC P-256, P-384, Ed25519 and RSA keys", () => {
    for (const k of [es256, es384, ed, rs]) expect(thumb(k.jwk)).toBe(k.jkt);
  });
  it("refuses a key without a required member, an unknown kty, and a member JSON would escape", () => {
    expect(thumb({ kty: "EC", crv: "P-256", x: es256.jwk.x })).toBe("!3");
    expect(thumb({ kty: "RSA", n: 5, e: "AQAB" })).toBe("!3");
    expect(thumb({ kty: "XYZ", x: "a" })).toBe("!2");
    expect(thumb({ e: "AQAB", n: "abc" })).toBe("!2");
    expect(thumb([1])).toBe("!1");
    expect(thumb({ kty: "OKP", crv: "Ed25519", x: 'a"b' })).toBe("!3");
  });
});

describe("htu normalization (RFC 9449 4.3, RFC 3986 6.2.2-6.2.3)", () => {
  const norm = (u: string) => g(f.exports.normalize(s(u)));
  it("drops query and fragment, default ports, and folds scheme and host", () => {
    expect(norm("HTTPS://API.Example.COM:443/orders?x=1#top")).toBe("https://api.example.com/orders");
    expect(norm("http://a.example:80")).toBe("http://a.example/");
    expect(norm("http://a.example:8080/p")).toBe("http://a.example:8080/p");
    expect(norm("https://a.example:80/p")).toBe("https://a.example:80/p");
  });
  it("decodes escaped unreserved characters, upper-cases other escapes, removes dot segments", () => {
    expect(norm("https://a.example/%7euser/%2f/x")).toBe("https://a.example/~user/%2F/x");
    expect(norm("https://a.example/a/./b/../c")).toBe("https://a.example/a/c");
  });
  it("keeps the path case (paths are case-sensitive)", () => {
    expect(norm("https://a.example/Orders")).not.toBe(norm("https://a.example/orders"));
  });
  it("refuses what is no absolute http(s) URI", () => {
    for (const u of [
      "/orders",
      "ftp://a.example/x",
      "https://user@a.example/",
      "https:///x",
      "https://a.example/%zz",
      "https://a.example:99999/",
      "https://a.example/a b",
    ]) {
      expect(norm(u), u).toBe("");
    }
  });
  it("builds the request URI from :scheme, :authority and :path", () => {
    expect(g(f.exports.requestUriOf(s("https"), s("API.example.com:443"), s("/orders?id=1")))).toBe(
      "https://api.example.com/orders",
    );
    expect(g(f.exports.requestUriOf(s("http"), s(""), s("/")))).toBe("");
    expect(g(f.exports.requestUriOf(s("http"), s("a"), s("*")))).toBe("");
  });
});

describe("DPoP proof verification", () => {
  it("accepts a valid proof for each asymmetric family and reports the key thumbprint, jti and iat", async () => {
    for (const k of [es256, es384, ed, rs]) {
      const p = await proof(k, { claims: { jti: `id-${k.alg}` } });
      expect(verify(p, { jkt: k.jkt }), k.alg).toBe("ok");
      expect(g(f.exports.lastJkt())).toBe(k.jkt);
      expect(g(f.exports.lastJti())).toBe(`id-${k.alg}`);
      expect(f.exports.lastIat()).toBe(BigInt(NOW));
    }
  });
  it("accepts the ath of the RFC 9449 example token computed the same way", () => {
    const t = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    expect(g(f.exports.ath(s(t)))).toBe(athOf(t));
  });
  it("compares htu without query and after normalization", async () => {
    expect(verify(await proof(es256, { url: "HTTPS://api.example.com:443/orders" }), { path: "/orders?page=2" })).toBe(
      "ok",
    );
    expect(verify(await proof(es256, { url: "https://api.example.com/orders?page=2" }), { path: "/orders" })).toBe(
      "ok",
    );
  });
  it("refuses a wrong method, URI, scheme, host or port", async () => {
    expect(verify(await proof(es256, { method: "POST" }))).toBe("dpop_htm_mismatch");
    expect(verify(await proof(es256, { method: "get" }))).toBe("dpop_htm_mismatch");
    expect(verify(await proof(es256, { url: "https://api.example.com/other" }))).toBe("dpop_htu_mismatch");
    expect(verify(await proof(es256, { url: "http://api.example.com/orders" }))).toBe("dpop_htu_mismatch");
    expect(verify(await proof(es256, { url: "https://evil.example.com/orders" }))).toBe("dpop_htu_mismatch");
    expect(verify(await proof(es256, { url: "https://api.example.com:8443/orders" }))).toBe("dpop_htu_mismatch");
    expect(verify(await proof(es256, { url: "/orders" }))).toBe("dpop_htu_mismatch");
    expect(verify(await proof(es256, { drop: ["htm"] }))).toBe("dpop_htm_mismatch");
    expect(verify(await proof(es256, { drop: ["htu"] }))).toBe("dpop_htu_mismatch");
  });
  it("enforces the iat window", async () => {
    expect(verify(await proof(es256, { claims: { iat: NOW - 60 } }))).toBe("ok");
    expect(verify(await proof(es256, { claims: { iat: NOW - 61 } }))).toBe("dpop_iat_too_old");
    expect(verify(await proof(es256, { claims: { iat: NOW + 5 } }))).toBe("ok");
    expect(verify(await proof(es256, { claims: { iat: NOW + 6 } }))).toBe("dpop_iat_in_future");
    expect(verify(await proof(es256, { drop: ["iat"] }))).toBe("dpop_iat_invalid");
    expect(verify(await proof(es256, { claims: { iat: String(NOW) } }))).toBe("dpop_iat_invalid");
  });
  it("needs a bounded jti", async () => {
    expect(verify(await proof(es256, { drop: ["jti"] }))).toBe("dpop_jti_invalid");
    expect(verify(await proof(es256, { claims: { jti: "" } }))).toBe("dpop_jti_invalid");
    expect(verify(await proof(es256, { claims: { jti: 7 } }))).toBe("dpop_jti_invalid");
    expect(verify(await proof(es256, { claims: { jti: "x".repeat(128) } }))).toBe("ok");
    expect(verify(await proof(es256, { claims: { jti: "x".repeat(129) } }))).toBe("dpop_jti_invalid");
  });
  it("binds the proof to the access token (ath) and the token to the key (cnf.jkt)", async () => {
    expect(verify(await proof(es256, { token: null }))).toBe("dpop_ath_missing");
    expect(verify(await proof(es256, { claims: { ath: 12 } }))).toBe("dpop_ath_missing");
    expect(verify(await proof(es256, { token: "another.access.token" }))).toBe("dpop_ath_mismatch");
    expect(verify(await proof(es256, { token: null }), { token: null })).toBe("ok");
    expect(verify(await proof(es256), { jkt: other.jkt })).toBe("dpop_key_binding_mismatch");
    expect(verify(await proof(other), { jkt: other.jkt })).toBe("ok");
  });
  it("needs typ dpop+jwt", async () => {
    expect(verify(await proof(es256, { header: { typ: "JWT" } }))).toBe("dpop_typ_invalid");
    expect(verify(await proof(es256, { header: { typ: undefined } }))).toBe("dpop_typ_invalid");
    expect(verify(await proof(es256, { header: { typ: "application/dpop+jwt" } }))).toBe("ok");
  });
  it("refuses none, HMAC, unknown and unlisted algorithms", async () => {
    const claims = { jti: "a", htm: "GET", htu: "https://api.example.com/orders", iat: NOW, ath: athOf(TOKEN) };
    expect(verify(rawProof({ alg: "none", typ: "dpop+jwt", jwk: es256.jwk }, claims, () => Buffer.alloc(0)))).toBe(
      "dpop_alg_not_allowed",
    );
    const secret = Buffer.alloc(32, 7);
    const hs = rawProof({ alg: "HS256", typ: "dpop+jwt", jwk: { kty: "oct", k: b64u(secret) } }, claims, (i) =>
      createHmac("sha256", secret).update(i).digest(),
    );
    expect(verify(hs)).toBe("dpop_alg_not_allowed");
    expect(verify(rawProof({ alg: "XS256", typ: "dpop+jwt", jwk: es256.jwk }, claims, () => Buffer.alloc(64, 1)))).toBe(
      "dpop_alg_not_allowed",
    );
    f.exports.configure(s("ES256"), 60n, 5n, 128, 4096);
    try {
      expect(verify(await proof(ed))).toBe("dpop_alg_not_allowed");
      expect(verify(await proof(es256))).toBe("ok");
    } finally {
      f.exports.configure(s(""), 60n, 5n, 128, 4096);
    }
    // HS256 cannot be allowed, even when listed.
    f.exports.configure(s("HS256,ES256"), 60n, 5n, 128, 4096);
    try {
      expect(verify(hs)).toBe("dpop_alg_not_allowed");
    } finally {
      f.exports.configure(s(""), 60n, 5n, 128, 4096);
    }
  });
  it("refuses crit", async () => {
    const claims = { jti: "c", htm: "GET", htu: "https://api.example.com/orders", iat: NOW, ath: athOf(TOKEN) };
    const signed = (header: Record<string, unknown>) =>
      rawProof(header, claims, (i) => cryptoSign(null, Buffer.from(i), ed.privateKey));
    expect(verify(signed({ alg: "EdDSA", typ: "dpop+jwt", jwk: ed.jwk }))).toBe("ok");
    expect(verify(signed({ alg: "EdDSA", typ: "dpop+jwt", jwk: ed.jwk, crit: ["x"], x: 1 }))).toBe(
      "dpop_crit_unsupported",
    );
  });
  it("needs a public jwk that fits alg and verifies the signature", async () => {
    expect(verify(await proof(es256, { header: { jwk: undefined } }))).toBe("dpop_jwk_missing");
    expect(verify(await proof(es256, { header: { jwk: "key" } }))).toBe("dpop_jwk_missing");
    const priv = await exportJWK(es256.privateKey);
    expect(verify(await proof(es256, { header: { jwk: priv } }))).toBe("dpop_jwk_private");
    expect(verify(await proof(es256, { header: { jwk: { ...es256.jwk, k: "AAAA" } } }))).toBe("dpop_jwk_private");
    expect(verify(await proof(es256, { header: { jwk: es384.jwk } }))).toBe("dpop_jwk_invalid");
    expect(verify(await proof(es256, { header: { jwk: rs.jwk } }))).toBe("dpop_jwk_invalid");
    expect(
      verify(await proof(es256, { header: { jwk: { kty: "EC", crv: "P-256", x: es256.jwk.x, y: es256.jwk.x } } })),
    ).toBe("dpop_jwk_invalid");
    expect(verify(await proof(es256, { header: { jwk: other.jwk } }))).toBe("dpop_signature_invalid");
    const p = await proof(es256);
    const parts = p.split(".");
    const sig = Buffer.from(parts[2], "base64url");
    sig[5] ^= 1;
    expect(verify(`${parts[0]}.${parts[1]}.${b64u(sig)}`)).toBe("dpop_signature_invalid");
    // A payload changed after signing (iat moved into the window) does not verify.
    const moved = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(parts[1], "base64url").toString()), htm: "POST" }),
    );
    expect(verify(`${parts[0]}.${b64u(moved)}.${parts[2]}`, { method: "POST" })).toBe("dpop_signature_invalid");
  });
  it("refuses malformed and oversized proofs without trapping", async () => {
    expect(verify("")).toBe("dpop_proof_missing");
    expect(verify("abc")).toBe("dpop_proof_malformed");
    expect(verify("a.b")).toBe("dpop_proof_malformed");
    expect(verify("é.b.c")).toBe("dpop_proof_malformed");
    expect(verify(`${b64u(Buffer.from("[1]"))}.${b64u(Buffer.from("{}"))}.AAAA`)).toBe("dpop_proof_malformed");
    const k = es256;
    const big = await proof(k, { claims: { pad: "x".repeat(5000) } });
    expect(verify(big)).toBe("dpop_proof_malformed");
    // Signed, but the payload is not an object.
    const arr = rawProof(
      { alg: "EdDSA", typ: "dpop+jwt", jwk: ed.jwk },
      [] as unknown as Record<string, unknown>,
      (i) => cryptoSign(null, Buffer.from(i), ed.privateKey),
    );
    expect(verify(arr)).toBe("dpop_proof_malformed");
  });
});
