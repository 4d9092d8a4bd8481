// SPDX-License-Identifier: Apache-2.0
// RFC 7515 Appendix A / RFC 8037 examples with an injected clock, and the attack catalogue: each
// attack refused with its stable code. Random input never traps (fast-check).
import { describe, expect, it, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { vectorsDir } from "./wasm";
import { Verifier, makeKey, mintJose, mintNode, claimsAt, NOW, b64u, CODES, ALGS, type TestKey } from "./jwt_helpers";

const rfc7515 = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc7515_appendix_A.json"), "utf8"));
const rfc8037 = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc8037_appendix_A.json"), "utf8"));
const example = (section: string) => rfc7515.examples.find((e: { section: string }) => e.section === section);
const RFC_EXP = 1300819380;

let v: Verifier;
beforeAll(() => {
  v = new Verifier();
});

describe("RFC 7515 Appendix A (clock injected)", () => {
  for (const section of ["A.1", "A.2", "A.3"]) {
    it(`${section} verifies before exp, expires at exp + skew`, () => {
      const e = example(section);
      const jwk = e.jwk_public ?? e.jwk; // A.1 is an oct key: the secret is the key
      expect(v.jwks({ keys: [jwk] }, { allowSymmetric: e.alg === "HS256" })).toBe(0);
      v.configure({ algorithms: [e.alg] });
      expect(v.verify(e.compact, RFC_EXP - 1000)).toBe("ok");
      expect(v.claimString("iss")).toBe("joe");
      expect(v.claimString("http://example.com/is_root")).toBe("true");
      expect(v.payload()).toBe(e.payload_utf8); // CR LF kept: the signed bytes, not re-serialized
      expect(v.verify(e.compact, RFC_EXP + 59)).toBe("ok");
      expect(v.verify(e.compact, RFC_EXP + 60)).toBe("expired");
      expect(v.claim()).toBe("exp");
    });
  }
  it("A.2 private JWK (with d, p, q…) is refused as a verification key", () => {
    expect(v.jwkSkip(example("A.2").jwk).skip).toBe(9); // JwkSkip.PrivateKey
    expect(v.jwkSkip(example("A.3").jwk).skip).toBe(9);
  });
  it("A.4 (ES512, payload not JSON): signature verifies; as a JWT it is refused as payload_json", () => {
    const e = example("A.4");
    expect(e.alg).toBe("ES512");
    const f = v.f.exports as unknown as { verifyRaw(a: number, k: number, t: number): number };
    const s = (x: string) => v.f.exports.__newString(x);
    expect(f.verifyRaw(s("ES512"), s(JSON.stringify(e.jwk_public)), s(e.compact))).toBe(1);
    const bad = e.compact.slice(0, -2) + (e.compact.endsWith("AA") ? "BA" : "AA");
    expect(f.verifyRaw(s("ES512"), s(JSON.stringify(e.jwk_public)), s(bad))).not.toBe(1);
    expect(v.jwks({ keys: [e.jwk_public] })).toBe(0);
    v.configure({ algorithms: ["ES512"] });
    expect(v.verify(e.compact, RFC_EXP)).toBe("payload_json");
  });
  it("RFC 8037 A.4 (EdDSA): signature verifies; as a JWT it is refused as payload_json", () => {
    const e = rfc8037.examples[0];
    const f = v.f.exports as unknown as { verifyRaw(a: number, k: number, t: number): number };
    const s = (x: string) => v.f.exports.__newString(x);
    expect(f.verifyRaw(s("EdDSA"), s(JSON.stringify(e.jwk_public)), s(e.compact))).toBe(1);
    expect(
      f.verifyRaw(
        s("EdDSA"),
        s(JSON.stringify(e.jwk_public)),
        s(e.compact.replace(/\.[^.]+\./, "." + b64u("Example of Ed25519 signinG") + ".")),
      ),
    ).toBe(0);
    expect(v.jwks({ keys: [e.jwk_public] })).toBe(0);
    v.configure({ algorithms: ["EdDSA"] });
    expect(v.verify(e.compact, RFC_EXP)).toBe("payload_json");
  });
  it("A.5 unsecured JWS (alg none) is refused as alg_none even when every alg is allowed", () => {
    const e = example("A.5");
    expect(v.jwks({ keys: [example("A.2").jwk_public] })).toBe(0);
    v.configure({ algorithms: [...ALGS] });
    expect(v.verify(e.compact, RFC_EXP - 1000)).toBe("alg_none");
  });
});

describe("attack catalogue", () => {
  let rsa: TestKey;
  let ec: TestKey;
  let rsaJwk: Record<string, unknown>;
  beforeAll(() => {
    rsa = makeKey("RS256");
    ec = makeKey("ES256");
    rsaJwk = { ...rsa.jwk, kid: "rsa-1", use: "sig", alg: "RS256" };
  });
  const useRsa = (opts: Record<string, unknown> = {}) => {
    expect(v.jwks({ keys: [rsaJwk] })).toBe(0);
    v.configure({ algorithms: ["RS256"], issuers: ["https://issuer.example"], audiences: ["api"], ...opts });
  };
  const header = (h: Record<string, unknown>) => JSON.stringify({ alg: "RS256", kid: "rsa-1", ...h });
  const good = () => mintNode(rsa, header({}), JSON.stringify(claimsAt()));

  it("control: the untouched token verifies", () => {
    useRsa();
    expect(v.verify(good(), NOW)).toBe("ok");
  });
  it("alg none, in every spelling, with or without a signature", () => {
    useRsa();
    const payload = b64u(JSON.stringify(claimsAt()));
    expect(v.verify(`${b64u('{"alg":"none"}')}.${payload}.`, NOW)).toBe("alg_none");
    expect(v.verify(`${b64u('{"alg":"none"}')}.${payload}.${good().split(".")[2]}`, NOW)).toBe("alg_none");
    expect(v.verify(`${b64u('{"alg":"None"}')}.${payload}.`, NOW)).toBe("alg_unknown");
    expect(v.verify(`${b64u('{"alg":"NONE"}')}.${payload}.AAAA`, NOW)).toBe("alg_unknown");
    expect(v.verify(`${b64u('{"typ":"JWT"}')}.${payload}.AAAA`, NOW)).toBe("alg_missing");
    expect(v.verify(`${b64u('{"alg":null}')}.${payload}.AAAA`, NOW)).toBe("alg_missing");
  });
  it("HS256 signed with the RSA public key (as JWK JSON, PEM, or n bytes) as HMAC secret", () => {
    const payload = b64u(JSON.stringify(claimsAt()));
    const secrets = [
      Buffer.from(JSON.stringify(rsaJwk)),
      Buffer.from(String(rsa.jwk.n)),
      Buffer.from(String(rsa.jwk.n), "base64url"),
    ];
    for (const secret of secrets) {
      const input = `${b64u('{"alg":"HS256","kid":"rsa-1"}')}.${payload}`;
      const token = `${input}.${b64u(createHmac("sha256", secret).update(input).digest())}`;
      useRsa();
      expect(v.verify(token, NOW)).toBe("alg_not_allowed"); // provider pinned to RS256
      useRsa({ algorithms: ["RS256", "HS256"] });
      expect(v.verify(token, NOW)).toBe("key_not_found"); // HS256 needs an oct key; the set has none
    }
  });
  it("kid not found, and kid of the wrong type or absurd length", () => {
    useRsa();
    const claims = JSON.stringify(claimsAt());
    expect(v.verify(mintNode(rsa, header({ kid: "rsa-2" }), claims), NOW)).toBe("key_not_found");
    expect(v.verify(mintNode(rsa, header({ kid: 7 }), claims), NOW)).toBe("kid_invalid");
    expect(v.verify(mintNode(rsa, header({ kid: "../../etc/passwd" + "x".repeat(300) }), claims), NOW)).toBe(
      "kid_invalid",
    );
    useRsa({ requireKid: true });
    expect(v.verify(mintNode(rsa, JSON.stringify({ alg: "RS256" }), claims), NOW)).toBe("kid_required");
  });
  it("wrong curve: an ES384 header against a P-256 key, and an ES256 token with a P-256 key declared for ES384", async () => {
    expect(v.jwks({ keys: [{ ...ec.jwk, kid: "ec-1" }] })).toBe(0);
    v.configure({ algorithms: ["ES256", "ES384"] });
    const es256 = await mintJose(ec, claimsAt(), { kid: "ec-1" });
    expect(v.verify(es256, NOW)).toBe("ok");
    const [, p, s] = es256.split(".");
    expect(v.verify(`${b64u('{"alg":"ES384","kid":"ec-1"}')}.${p}.${s}`, NOW)).toBe("key_not_found");
    // A P-384 key listed under the same kid does not make the P-256 signature verify.
    expect(v.jwks({ keys: [{ ...makeKey("ES384").jwk, kid: "ec-1" }] })).toBe(0);
    expect(v.verify(es256, NOW)).toBe("key_not_found");
  });
  it("crit, in any form, and an unencoded payload (b64: false)", () => {
    useRsa();
    const claims = JSON.stringify(claimsAt());
    expect(v.verify(mintNode(rsa, header({ crit: ["exp"], exp: 1 }), claims), NOW)).toBe("crit_unsupported");
    expect(v.verify(mintNode(rsa, header({ crit: [] }), claims), NOW)).toBe("crit_unsupported");
    expect(v.verify(mintNode(rsa, header({ crit: "b64" }), claims), NOW)).toBe("crit_unsupported");
    expect(v.verify(mintNode(rsa, header({ b64: false, crit: ["b64"] }), claims), NOW)).toBe("crit_unsupported");
    expect(v.verify(mintNode(rsa, header({ b64: false }), claims), NOW)).toBe("crit_unsupported");
  });
  it("embedded keys (jwk, jku, x5u, x5c) are ignored: an attacker's own key does not verify", () => {
    useRsa();
    const attacker = makeKey("RS256");
    const claims = JSON.stringify(claimsAt());
    const h = header({
      jwk: attacker.jwk,
      jku: "https://evil.example/jwks",
      x5u: "https://evil.example/c",
      x5c: ["AAAA"],
    });
    expect(v.verify(mintNode(attacker, h, claims), NOW)).toBe("signature_invalid");
    expect(v.verify(mintNode(rsa, h, claims), NOW)).toBe("ok"); // the members themselves are harmless
  });
  it("duplicate claims and duplicate header members (parser differential)", () => {
    useRsa();
    const dupClaims = `{"iss":"https://issuer.example","aud":"api","exp":${NOW + 60},"sub":"a","sub":"admin"}`;
    expect(v.verify(mintNode(rsa, header({}), dupClaims), NOW)).toBe("payload_json");
    expect(v.jsonError()).toBe(11); // JsonError.DuplicateKey
    const dupHeader = `{"alg":"RS256","kid":"rsa-1","alg":"none"}`;
    expect(v.verify(mintNode(rsa, dupHeader, JSON.stringify(claimsAt())), NOW)).toBe("header_json");
    expect(v.jsonError()).toBe(11);
  });
  it("trailing data: after the JSON, after the token, extra segments", () => {
    useRsa();
    const t = good();
    expect(v.verify(mintNode(rsa, header({}), JSON.stringify(claimsAt()) + "{}"), NOW)).toBe("payload_json");
    expect(v.jsonError()).toBe(12); // TrailingData
    expect(v.verify(mintNode(rsa, header({}) + " x", JSON.stringify(claimsAt())), NOW)).toBe("header_json");
    expect(v.verify(`${t}.`, NOW)).toBe("token_malformed");
    expect(v.verify(`${t}.AAAA`, NOW)).toBe("token_malformed");
    expect(v.verify(`${t}AA`, NOW)).toBe("signature_invalid");
    expect(v.verify(`${t} `, NOW)).toBe("signature_encoding");
    expect(v.verify(`${t}\n`, NOW)).toBe("signature_encoding");
    expect(v.verify(`a.${t}`, NOW)).toBe("token_malformed");
  });
  it("padding and non-canonical base64url in each segment", () => {
    useRsa();
    const [h, p, s] = good().split(".");
    const pad = (x: string) => x + "=".repeat((4 - (x.length % 4)) % 4 || 4);
    expect(v.verify(`${pad(h)}.${p}.${s}`, NOW)).toBe("header_encoding");
    expect(v.verify(`${h}.${pad(p)}.${s}`, NOW)).toBe("payload_encoding");
    expect(v.verify(`${h}.${p}.${pad(s)}`, NOW)).toBe("signature_encoding");
    expect(
      v.verify(
        `${h}.${p}.${s.replace(/-/g, "+").replace(/_/g, "/")}${s.includes("-") || s.includes("_") ? "" : "+"}`,
        NOW,
      ),
    ).toBe("signature_encoding");
    // RS256-2048 signatures are 256 bytes: 342 chars with 4 spare bits, so the last char has a twin.
    const last = s[s.length - 1];
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const twin = alphabet[alphabet.indexOf(last) | 1];
    expect(twin).not.toBe(last);
    expect(Buffer.from(s.slice(0, -1) + twin, "base64url").equals(Buffer.from(s, "base64url"))).toBe(true); // Node accepts both
    expect(v.verify(`${h}.${p}.${s.slice(0, -1)}${twin}`, NOW)).toBe("signature_encoding");
  });
  it("oversize tokens are refused before any decoding", () => {
    useRsa();
    const big = mintNode(rsa, header({}), JSON.stringify(claimsAt(NOW, { pad: "x".repeat(9000) })));
    expect(v.verify(big, NOW)).toBe("token_too_large");
    useRsa({ maxTokenBytes: 20000 });
    expect(v.verify(big, NOW)).toBe("ok");
    useRsa({ maxTokenBytes: 100 });
    expect(v.verify(good(), NOW)).toBe("token_too_large");
  });
  it("expired, not yet valid, issued in the future", () => {
    useRsa();
    const tok = (c: Record<string, unknown>) => mintNode(rsa, header({}), JSON.stringify(claimsAt(NOW, c)));
    expect(v.verify(tok({ exp: NOW - 61 }), NOW)).toBe("expired");
    expect(v.verify(tok({ nbf: NOW + 61 }), NOW)).toBe("not_yet_valid");
    expect(v.verify(tok({ iat: NOW + 61 }), NOW)).toBe("issued_in_future");
  });
  it("wrong issuer or audience", () => {
    useRsa();
    const tok = (c: Record<string, unknown>) => mintNode(rsa, header({}), JSON.stringify(claimsAt(NOW, c)));
    expect(v.verify(tok({ iss: "https://issuer.example/" }), NOW)).toBe("issuer_not_allowed");
    expect(v.verify(tok({ iss: "https://ISSUER.example" }), NOW)).toBe("issuer_not_allowed");
    expect(v.verify(tok({ aud: "api2" }), NOW)).toBe("audience_not_allowed");
    expect(v.verify(tok({ aud: ["other", "API"] }), NOW)).toBe("audience_not_allowed");
    expect(v.verify(tok({ aud: ["other", "api"] }), NOW)).toBe("ok");
  });
  it("a forged token is reported as a bad signature, whatever its claims say", () => {
    useRsa();
    const forged = mintNode(makeKey("RS256"), header({}), JSON.stringify(claimsAt(NOW, { exp: 1 })));
    expect(v.verify(forged, NOW)).toBe("signature_invalid");
    expect(v.payload()).toBe("");
  });
  it("non-ASCII anywhere in the token is malformed", () => {
    useRsa();
    expect(v.verify(good().replace(".", "\u2024"), NOW)).toBe("token_malformed");
    expect(v.verify("é" + good(), NOW)).toBe("token_malformed");
  });
  it("an empty key set is reported as such (JWKS not available)", () => {
    expect(v.jwks({ keys: [] })).toBe(5);
    v.configure({ algorithms: ["RS256"] });
    expect(v.verify(good(), NOW)).toBe("key_set_empty");
    expect(v.verify("", NOW)).toBe("token_missing");
  });
});

describe("robustness (fast-check): nothing traps", () => {
  it("random strings and mutated tokens give a known code", () => {
    const rsa = makeKey("RS256");
    expect(v.jwks({ keys: [rsa.jwk] })).toBe(0);
    v.configure({ algorithms: ["RS256", "HS256", "ES256"] });
    const base = mintNode(rsa, JSON.stringify({ alg: "RS256" }), JSON.stringify(claimsAt()));
    const mutated = fc
      .tuple(fc.nat(base.length - 1), fc.string({ maxLength: 4 }), fc.nat(3))
      .map(([at, ins, del]) => base.slice(0, at) + ins + base.slice(at + del));
    const segments = fc
      .tuple(fc.jsonValue(), fc.jsonValue(), fc.uint8Array({ maxLength: 300 }))
      .map(([h, p, s]) => `${b64u(JSON.stringify(h) ?? "")}.${b64u(JSON.stringify(p) ?? "")}.${b64u(s)}`);
    const headers = fc
      .record({
        alg: fc.constantFrom("RS256", "HS256", "ES256", "none", 5),
        kid: fc.option(fc.string()),
        crit: fc.option(fc.array(fc.string())),
      })
      .map((h) => `${b64u(JSON.stringify(h))}.${base.split(".")[1]}.${base.split(".")[2]}`);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated, segments, headers), (t) => {
        const c = v.verify(t, NOW);
        expect(CODES).toContain(c);
        if (c === "ok") expect(t).toBe(base);
      }),
      { numRuns: 600 },
    );
  });
});
