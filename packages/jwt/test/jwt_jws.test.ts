// SPDX-License-Identifier: Apache-2.0
// verifyJws through the compiled jwt_verify fixture: compact JWS with any payload, verified with the
// configured key set, with one key given directly, or with the key the token carries in its header
// (the DPoP proof shape). Same strictness and error codes as verifyJwt, which shares the code path.
import { describe, expect, it, beforeAll, beforeEach } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { vectorsDir } from "./wasm";
import { Verifier, makeKey, mintNode, claimsAt, NOW, b64u, CODES, signNode, type TestKey } from "./jwt_helpers";

const rfc7515 = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc7515_appendix_A.json"), "utf8"));
const rfc8037 = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc8037_appendix_A.json"), "utf8"));
const example = (section: string) => rfc7515.examples.find((e: { section: string }) => e.section === section);

interface JwsExports {
  jwsWithSet(token: number): number;
  jwsBytesWithSet(token: number): number;
  jwsWithJwk(jwk: number, allowSymmetric: number, token: number): number;
  jwsWithHeaderJwk(token: number): number;
  jwsKeySkip(): number;
  lastJwsCode(): number;
  lastJwsJsonError(): number;
  lastJwsAlg(): number;
  lastJwsKid(): number;
  lastJwsExposed(): number;
  lastJwsPayload(): number;
  lastJwsHeaderString(name: number): number;
}

let v: Verifier;
let x: JwsExports;
const str = (s: string) => v.f.exports.__newString(s);
const text = (p: number) => v.f.exports.__getString(p);

/** The stable code name of a verifyJws answer, checked against the result's own `code`. */
function named(c: number): string {
  const name = text(x.lastJwsCode());
  if (CODES[c] !== name) throw new Error(`code ${c} has name ${name}`);
  // Header, payload and key are exposed exactly when the signature verified.
  expect(x.lastJwsExposed()).toBe(c === 0 ? 7 : 0);
  return name;
}
const withSet = (token: string) => named(x.jwsWithSet(str(token)));
function withBytes(token: Uint8Array): string {
  const c = x.jwsBytesWithSet(v.f.bytes(token));
  v.f.release();
  return named(c);
}
function withJwk(jwk: unknown, token: string, allowSymmetric = false): string {
  const c = x.jwsWithJwk(str(JSON.stringify(jwk)), allowSymmetric ? 1 : 0, str(token));
  return c === -1 ? `unusable_key:${x.jwsKeySkip()}` : named(c);
}
function withHeaderJwk(token: string): string {
  const c = x.jwsWithHeaderJwk(str(token));
  if (c === -1) return `unusable_key:${x.jwsKeySkip()}`;
  if (c === -2) return text(x.lastJwsCode());
  return named(c);
}
const payload = () => v.f.read(x.lastJwsPayload());
const payloadText = () => new TextDecoder().decode(payload());

/** A compact JWS over arbitrary payload bytes, signed with node:crypto. */
function signJws(key: TestKey, header: Record<string, unknown>, body: Uint8Array | string): string {
  const input = `${b64u(JSON.stringify({ alg: key.alg, ...header }))}.${b64u(body)}`;
  return `${input}.${b64u(signNode(key, input))}`;
}

beforeAll(() => {
  v = new Verifier();
  x = v.f.exports as unknown as JwsExports;
});

describe("verifyJws with a key set: any payload", () => {
  it("RFC 7515 A.3 (ES256) and A.4 (ES512): verified, payload bytes exposed as signed", () => {
    for (const section of ["A.3", "A.4"]) {
      const e = example(section);
      expect(v.jwks({ keys: [e.jwk_public] })).toBe(0);
      v.configure({ algorithms: [e.alg] });
      expect(withSet(e.compact)).toBe("ok");
      expect(payloadText()).toBe(e.payload_utf8);
      expect(x.lastJwsAlg()).toBe(v.algByName(e.alg));
      expect(text(x.lastJwsHeaderString(str("alg")))).toBe(e.alg);
    }
    // A.4's payload is not JSON: the same token as a JWT is refused after its signature verified.
    expect(v.verify(example("A.4").compact, 0)).toBe("payload_json");
  });
  it("binary payload (every byte value) round-trips; the bytes entry point answers the same", () => {
    const key = makeKey("ES256");
    expect(v.jwks({ keys: [{ ...key.jwk, kid: "k1" }] })).toBe(0);
    v.configure({ algorithms: ["ES256"] });
    const body = Uint8Array.from({ length: 256 }, (_, i) => i);
    const token = signJws(key, { kid: "k1" }, body);
    expect(withSet(token)).toBe("ok");
    expect(payload()).toEqual(body);
    expect(text(x.lastJwsKid())).toBe("k1");
    expect(withBytes(new TextEncoder().encode(token))).toBe("ok");
    expect(payload()).toEqual(body);
  });
  it("a forged or altered JWS is signature_invalid and exposes nothing", () => {
    const key = makeKey("RS256");
    expect(v.jwks({ keys: [key.jwk] })).toBe(0);
    v.configure({ algorithms: ["RS256"] });
    const token = signJws(key, {}, "hello");
    expect(withSet(token)).toBe("ok");
    const [h, , s] = token.split(".");
    expect(withSet(`${h}.${b64u("hellO")}.${s}`)).toBe("signature_invalid");
    expect(payload().length).toBe(0);
    expect(withSet(signJws(makeKey("RS256"), {}, "hello"))).toBe("signature_invalid");
  });
  it("same strictness as verifyJwt: none, allow-list, crit, b64, kid, typ, size, encodings, shape", () => {
    const key = makeKey("ES256");
    expect(v.jwks({ keys: [{ ...key.jwk, kid: "k1" }] })).toBe(0);
    v.configure({ algorithms: ["ES256"], types: ["dpop+jwt"], requireKid: true, maxTokenBytes: 1024 });
    const ok = signJws(key, { kid: "k1", typ: "dpop+jwt" }, "x");
    expect(withSet(ok)).toBe("ok");
    expect(withSet(`${b64u(JSON.stringify({ alg: "none", kid: "k1", typ: "dpop+jwt" }))}.${b64u("x")}.`)).toBe(
      "alg_none",
    );
    expect(withSet(signJws(makeKey("ES384"), { kid: "k1", typ: "dpop+jwt" }, "x"))).toBe("alg_not_allowed");
    expect(withSet(signJws(key, { kid: "k1", typ: "dpop+jwt", alg: "ES257" }, "x"))).toBe("alg_unknown");
    expect(withSet(signJws(key, { kid: "k1", typ: "dpop+jwt", crit: ["exp"], exp: 1 }, "x"))).toBe("crit_unsupported");
    expect(withSet(signJws(key, { kid: "k1", typ: "dpop+jwt", b64: false }, "x"))).toBe("crit_unsupported");
    expect(withSet(signJws(key, { typ: "dpop+jwt" }, "x"))).toBe("kid_required");
    expect(withSet(signJws(key, { kid: 7, typ: "dpop+jwt" }, "x"))).toBe("kid_invalid");
    expect(withSet(signJws(key, { kid: "k2", typ: "dpop+jwt" }, "x"))).toBe("key_not_found");
    expect(withSet(signJws(key, { kid: "k1", typ: "JWT" }, "x"))).toBe("typ_invalid");
    expect(withSet(signJws(key, { kid: "k1", typ: "application/DPoP+JWT" }, "x"))).toBe("ok");
    expect(withSet(signJws(key, { kid: "k1", typ: "dpop+jwt" }, "x".repeat(1024)))).toBe("token_too_large");
    expect(withSet("")).toBe("token_missing");
    expect(withSet(`${ok}.`)).toBe("token_malformed");
    expect(withSet(ok.replace(".", "é."))).toBe("token_malformed");
    const [h, p, s] = ok.split(".");
    expect(withSet(`${h}=.${p}.${s}`)).toBe("header_encoding");
    expect(withSet(`${h}.${p}=.${s}`)).toBe("payload_encoding");
    expect(withSet(`${h}.${p}.${s}=`)).toBe("signature_encoding");
    expect(withSet(`${h}.${p}.`)).toBe("token_malformed");
    expect(withSet(`${h}..${s}`)).toBe("token_malformed");
    expect(withSet(`${b64u('{"alg":"ES256","alg":"none"}')}.${p}.${s}`)).toBe("header_json");
    expect(x.lastJwsJsonError()).toBe(11); // JsonError.DuplicateKey
    v.jwks({ keys: [] });
    expect(withSet(ok)).toBe("key_set_empty");
  });
  it("the alg is bound to the key: an HS256 JWS signed with an RSA public key is not verified", () => {
    const rsa = makeKey("RS256");
    expect(v.jwks({ keys: [rsa.jwk] })).toBe(0);
    v.configure({ algorithms: ["RS256", "HS256"] });
    const pem = (rsa.signingKey as import("node:crypto").KeyObject).export({ type: "pkcs1", format: "pem" }) as string;
    const forged = signJws({ alg: "HS256", signingKey: new TextEncoder().encode(pem), jwk: {} }, {}, "x");
    expect(withSet(forged)).toBe("key_not_found");
  });
  it("random strings and mutated tokens never trap and never verify", () => {
    const key = makeKey("ES256");
    expect(v.jwks({ keys: [key.jwk] })).toBe(0);
    v.configure({ algorithms: ["ES256"] });
    const token = signJws(key, {}, "payload");
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        expect(withSet(s)).not.toBe("ok");
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.integer({ min: 0x21, max: 0x7e }), (i, c) => {
        const mutated = token.slice(0, i) + String.fromCharCode(c) + token.slice(i + 1);
        if (mutated !== token) expect(withSet(mutated)).not.toBe("ok");
      }),
      { numRuns: 300 },
    );
  });
});

describe("verifyJwsWithKey: one key given directly", () => {
  beforeEach(() => {
    v.jwks({ keys: [] }); // the configured set plays no part
  });
  it("RFC 8037 A.4 (EdDSA) with its public JWK", () => {
    const e = rfc8037.examples[0];
    v.configure({ algorithms: ["EdDSA"] });
    expect(withJwk(e.jwk_public, e.compact)).toBe("ok");
    expect(payloadText()).toBe("Example of Ed25519 signing");
    expect(withJwk(e.jwk, e.compact)).toBe("unusable_key:9"); // JwkSkip.PrivateKey
  });
  it("each key type; the key must fit the alg (kty, crv, its own alg, its kid)", () => {
    for (const alg of ["RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"] as const) {
      const key = makeKey(alg);
      v.configure({ algorithms: [alg] });
      const token = signJws(key, { kid: "a" }, `payload for ${alg}`);
      expect(withJwk(key.jwk, token)).toBe("ok");
      expect(payloadText()).toBe(`payload for ${alg}`);
      expect(withJwk({ ...key.jwk, kid: "a" }, token)).toBe("ok");
      expect(withJwk({ ...key.jwk, kid: "b" }, token)).toBe("key_not_found");
      expect(withJwk(makeKey(alg).jwk, token)).toBe("signature_invalid");
    }
    const ec = makeKey("ES256");
    v.configure({ algorithms: ["ES256", "ES384"] });
    expect(withJwk(makeKey("ES384").jwk, signJws(ec, {}, "x"))).toBe("key_not_found"); // P-384 key, ES256 token
    expect(withJwk({ ...ec.jwk, alg: "ES384" }, signJws(ec, {}, "x"))).toBe("unusable_key:6"); // alg does not fit crv
    expect(withJwk(makeKey("RS256").jwk, signJws(ec, {}, "x"))).toBe("key_not_found");
  });
  it("an HMAC key given directly works only when HS* is allowed and symmetric keys were opted in", () => {
    const hs = makeKey("HS256");
    const token = signJws(hs, {}, "x");
    v.configure({ algorithms: ["HS256"] });
    expect(withJwk(hs.jwk, token)).toBe("unusable_key:11"); // JwkSkip.SymmetricNotAllowed
    expect(withJwk(hs.jwk, token, true)).toBe("ok");
    v.configure({ algorithms: ["ES256"] });
    expect(withJwk(hs.jwk, token, true)).toBe("alg_not_allowed");
  });
});

describe("verifyParsedJws with the key the header carries (the DPoP proof shape)", () => {
  const dpop = (key: TestKey, header: Record<string, unknown>, body = "{}") =>
    signJws(key, { typ: "dpop+jwt", jwk: key.jwk, ...header }, body);
  beforeEach(() => {
    v.jwks({ keys: [] });
    v.configure({ algorithms: ["ES256", "RS256", "EdDSA"], types: ["dpop+jwt"] });
  });
  it("a proof signed by the key it carries verifies, for EC, RSA and OKP keys", () => {
    for (const alg of ["ES256", "RS256", "EdDSA"] as const) {
      const key = makeKey(alg);
      expect(withHeaderJwk(dpop(key, {}, `{"htm":"GET","alg":"${alg}"}`))).toBe("ok");
      expect(JSON.parse(payloadText())).toEqual({ htm: "GET", alg });
      expect(text(x.lastJwsHeaderString(str("typ")))).toBe("dpop+jwt");
    }
  });
  it("a proof carrying someone else's key, a private key, or no key is refused", () => {
    const key = makeKey("ES256");
    const other = makeKey("ES256");
    expect(withHeaderJwk(signJws(key, { typ: "dpop+jwt", jwk: other.jwk }, "{}"))).toBe("signature_invalid");
    const priv = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    expect(withHeaderJwk(signJws(key, { typ: "dpop+jwt", jwk: priv }, "{}"))).toBe("unusable_key:9");
    expect(withHeaderJwk(signJws(key, { typ: "dpop+jwt" }, "{}"))).toBe("unusable_key:0");
    expect(withHeaderJwk(dpop(key, { typ: "jwt" }))).toBe("typ_invalid");
    expect(withHeaderJwk(dpop(makeKey("ES384"), {}))).toBe("alg_not_allowed");
    expect(withHeaderJwk(dpop(makeKey("HS256"), {}))).toBe("unusable_key:11");
    expect(withHeaderJwk("a.b")).toBe("token_malformed");
  });
});

describe("verifyJwt is verifyJws plus the claims", () => {
  it("a verified JWS whose payload is a valid claims set is an accepted JWT with the same payload bytes", () => {
    const key = makeKey("ES256");
    expect(v.jwks({ keys: [key.jwk] })).toBe(0);
    v.configure({ algorithms: ["ES256"] });
    const claims = JSON.stringify(claimsAt());
    const token = mintNode(key, JSON.stringify({ alg: "ES256" }), claims);
    expect(v.verify(token, NOW)).toBe("ok");
    expect(withSet(token)).toBe("ok");
    expect(payloadText()).toBe(claims);
    expect(v.payload()).toBe(claims);
    // Claims are verifyJwt's alone: an expired JWT is still a verified JWS.
    expect(v.verify(token, NOW + 7200)).toBe("expired");
    expect(withSet(token)).toBe("ok");
  });
  it("the signature is checked before the payload is read: a forged token with a broken payload is signature_invalid", () => {
    const key = makeKey("ES256");
    expect(v.jwks({ keys: [key.jwk] })).toBe(0);
    v.configure({ algorithms: ["ES256"] });
    const forged = mintNode(makeKey("ES256"), JSON.stringify({ alg: "ES256" }), "not json");
    expect(v.verify(forged, NOW)).toBe("signature_invalid");
    expect(v.verify(mintNode(key, JSON.stringify({ alg: "ES256" }), "not json"), NOW)).toBe("payload_json");
  });
});
