// SPDX-License-Identifier: Apache-2.0
// Tokens minted with jose and with node:crypto for every algorithm, verified by the compiled wasm:
// accepted with the right key, refused with the wrong key, a flipped bit, or a foreign algorithm.
import { describe, expect, it, beforeAll } from "vitest";
import {
  Verifier,
  ALGS,
  makeKey,
  mintJose,
  mintNode,
  claimsAt,
  NOW,
  b64u,
  type TestKey,
  type AlgName,
} from "./jwt_helpers";

let v: Verifier;
const keys = new Map<AlgName, TestKey>();
beforeAll(() => {
  v = new Verifier();
  for (const alg of ALGS) keys.set(alg, makeKey(alg));
});

function loadOne(alg: AlgName, extra: Record<string, unknown> = {}) {
  expect(
    v.jwks({ keys: [{ ...keys.get(alg)!.jwk, kid: `k-${alg}`, ...extra }] }, { allowSymmetric: alg.startsWith("HS") }),
  ).toBe(0);
  v.configure({ algorithms: [alg], issuers: ["https://issuer.example"], audiences: ["api"] });
}

function flipBit(token: string, segment: number): string {
  const parts = token.split(".");
  const bytes = Buffer.from(parts[segment], "base64url");
  bytes[bytes.length >> 1] ^= 0x01;
  parts[segment] = b64u(bytes);
  return parts.join(".");
}

describe.each(ALGS)("%s", (alg) => {
  it("accepts a jose token and exposes its verified claims", async () => {
    loadOne(alg);
    const token = await mintJose(keys.get(alg)!, claimsAt(NOW, { email_verified: true }), { kid: `k-${alg}` });
    expect(v.verify(token, NOW)).toBe("ok");
    expect(v.claimString("sub")).toBe("user-1");
    expect(v.claimString("email_verified")).toBe("true");
    expect(v.kid()).toBe(`k-${alg}`);
    expect(v.expiresAt()).toBe(BigInt(NOW + 3600));
    expect(JSON.parse(v.payload())).toEqual(claimsAt(NOW, { email_verified: true }));
  });
  it("accepts node:crypto tokens over random claims (20 keys' worth of signatures)", () => {
    loadOne(alg);
    for (let i = 0; i < 20; i++) {
      const claims = claimsAt(NOW, { n: i, r: Math.random().toString(36), pad: "x".repeat(i * 37) });
      const token = mintNode(keys.get(alg)!, JSON.stringify({ alg, typ: "JWT" }), JSON.stringify(claims));
      expect(v.verify(token, NOW)).toBe("ok");
    }
  });
  it("refuses a flipped signature bit, a flipped payload bit, and another key", async () => {
    loadOne(alg);
    const token = await mintJose(keys.get(alg)!, claimsAt(), { kid: `k-${alg}` });
    expect(v.verify(flipBit(token, 2), NOW)).toBe("signature_invalid");
    // A flipped payload bit may also break the JSON; either way it must not verify.
    expect(["signature_invalid", "payload_json", "payload_encoding"]).toContain(v.verify(flipBit(token, 1), NOW));
    const other = await mintJose(makeKey(alg), claimsAt(), { kid: `k-${alg}` });
    expect(v.verify(other, NOW)).toBe("signature_invalid");
  });
  it("refuses a truncated or extended signature", async () => {
    loadOne(alg);
    const token = await mintJose(keys.get(alg)!, claimsAt());
    const [h, p, s] = token.split(".");
    const sig = Buffer.from(s, "base64url");
    expect(v.verify(`${h}.${p}.${b64u(sig.subarray(0, sig.length - 1))}`, NOW)).toBe("signature_invalid");
    expect(v.verify(`${h}.${p}.${b64u(Buffer.concat([sig, Buffer.from([0])]))}`, NOW)).toBe("signature_invalid");
    expect(v.verify(`${h}.${p}.${b64u(Buffer.concat([Buffer.from([0]), sig]))}`, NOW)).toBe("signature_invalid");
  });
  it("binds alg to the key: a JWK declaring another alg is never used", async () => {
    const other = alg === "RS256" ? "RS384" : alg === "ES256" ? "ES384" : alg === "HS256" ? "HS384" : null;
    if (other === null) return;
    const loaded = v.jwks(
      { keys: [{ ...keys.get(alg)!.jwk, kid: `k-${alg}`, alg: other }] },
      { allowSymmetric: alg.startsWith("HS") },
    );
    v.configure({ algorithms: [alg, other] });
    const token = await mintJose(keys.get(alg)!, claimsAt(), { kid: `k-${alg}` });
    if (alg === "RS256") {
      // RSA keys serve every RS*, so the key loads, but it is never a candidate for RS256.
      expect(loaded).toBe(0);
      expect(v.verify(token, NOW)).toBe("key_not_found");
    } else {
      // ES384 cannot live on a P-256 key, and a 32-byte secret is too short for HS384: the JWK
      // is skipped at load time (NoUsableKeys = 5), so nothing can verify.
      expect(loaded).toBe(5);
      expect(v.verify(token, NOW)).toBe("key_set_empty");
    }
  });
});

describe("algorithm table", () => {
  it("maps every registered name and nothing else", () => {
    ALGS.forEach((name, i) => {
      expect(v.algByName(name)).toBe(i);
      expect(v.algNameOf(i)).toBe(name);
    });
    for (const bad of ["rs256", "RS255", "HS1", "ES256K", "EdDSA ", "Ed25519", "PS256\u0000", "", "RSA-OAEP", "ESS256"])
      expect(v.algByName(bad)).toBe(-1);
    expect(v.algByName("none")).toBe(-2);
    expect(v.algByName("None")).toBe(-1);
  });
  it("binds each alg to kty, curve, hash and family as RFC 7518 / 8037 say", () => {
    // kty: RSA=1, EC=2, OKP=3, oct=4; curve: none=0, P-256=1, P-384=2, P-521=3, Ed25519=4; hash: 0/1/2 = SHA-256/384/512;
    // family: RSASSA-PKCS1-v1_5=0, RSASSA-PSS=1, ECDSA=2, HMAC=3, EdDSA=4.
    const expected: Record<string, [number, number, number, number]> = {
      RS256: [1, 0, 0, 0],
      RS384: [1, 0, 1, 0],
      RS512: [1, 0, 2, 0],
      PS256: [1, 0, 0, 1],
      PS384: [1, 0, 1, 1],
      PS512: [1, 0, 2, 1],
      ES256: [2, 1, 0, 2],
      ES384: [2, 2, 1, 2],
      ES512: [2, 3, 2, 2],
      HS256: [4, 0, 0, 3],
      HS384: [4, 0, 1, 3],
      HS512: [4, 0, 2, 3],
      EdDSA: [3, 4, 2, 4],
    };
    ALGS.forEach((name, i) => {
      const info = v.algInfo(i);
      expect([info & 0xff, (info >> 8) & 0xff, (info >> 16) & 0xff, (info >> 24) & 0xff]).toEqual(expected[name]);
    });
    // Out of range: no key type, so no key fits it; no name.
    for (const bad of [-1, 13, 1 << 20]) {
      expect(v.algInfo(bad) & 0xff).toBe(0);
      expect(v.algNameOf(bad)).toBe("");
    }
  });
  it("its masks (what crypto and JWK gate code on) agree with its rows and with the spelled-out family masks", () => {
    const f = v.f.exports as unknown as {
      tableMask(column: number, value: number): number;
      familyConstants(): number;
    };
    const bits = (names: string[]) => names.reduce((m, n) => m | (1 << ALGS.indexOf(n as AlgName)), 0);
    const mask = (column: number, value: number) => f.tableMask(column, value) >>> 0;
    // Each column's masks partition the 13 algorithms and match the rows (algInfo).
    const shift = [24, 16, 0, 8];
    for (let column = 0; column < 4; column++) {
      let union = 0;
      for (let value = 0; value < 6; value++) {
        const m = mask(column, value);
        expect(union & m).toBe(0);
        union |= m;
        ALGS.forEach((_, i) => expect(((m >> i) & 1) === 1).toBe(((v.algInfo(i) >> shift[column]) & 0xff) === value));
      }
      expect(union).toBe(0x1fff);
    }
    expect(mask(1, 0)).toBe(bits(["RS256", "PS256", "ES256", "HS256"])); // SHA-256 only: what an RS256 build keeps
    expect(mask(3, 4)).toBe(bits(["EdDSA"]));
    const consts = Array.from(new Uint32Array(v.f.read(f.familyConstants()).slice().buffer));
    expect(consts.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((fam) => mask(0, fam)));
    expect(consts[5]).toBe(mask(2, 1)); // ALGS_RSA = the RSA key type
    expect(consts[6]).toBe(0x1fff & ~mask(2, 4)); // ALGS_ASYMMETRIC = all but oct keys
    expect(consts[7]).toBe(0x1fff);
  });
  it("names key types and curves as JWK does, each curve only with its key type", () => {
    const f = v.f.exports as unknown as {
      keyTypeByName(n: number): number;
      curveByName(n: number, kty: number): number;
    };
    const s = (x: string) => v.f.exports.__newString(x);
    expect(["RSA", "EC", "OKP", "oct"].map((n) => f.keyTypeByName(s(n)))).toEqual([1, 2, 3, 4]);
    for (const bad of ["rsa", "OCT", "", "EC ", "RSA-OAEP"]) expect(f.keyTypeByName(s(bad))).toBe(0);
    expect(["P-256", "P-384", "P-521"].map((n) => f.curveByName(s(n), 2))).toEqual([1, 2, 3]);
    expect(f.curveByName(s("Ed25519"), 3)).toBe(4);
    expect(f.curveByName(s("Ed25519"), 2)).toBe(0);
    expect(f.curveByName(s("P-256"), 3)).toBe(0);
    for (const bad of ["X25519", "secp256k1", "p-256", ""])
      expect(f.curveByName(s(bad), 2) + f.curveByName(s(bad), 3)).toBe(0);
  });
});

describe("steady state", () => {
  it("memory stops growing over thousands of verifies with distinct claims (GC reclaims; caches are bounded)", () => {
    loadOne("HS256");
    v.configure({ algorithms: ["HS256"] });
    const hs = keys.get("HS256")!;
    const memory = () => (v.f.exports as unknown as { memory: WebAssembly.Memory }).memory.buffer.byteLength;
    const run = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const claims = claimsAt(NOW, {
          jti: `id-${i}-${"x".repeat(i % 40)}`,
          roles: [`r${i}`, `s${i % 7}`],
          nested: { k: i },
        });
        const token = mintNode(
          hs,
          JSON.stringify({ alg: "HS256", kid: "k-HS256", x: `h-${i % 13}` }),
          JSON.stringify(claims),
        );
        expect(v.verify(token, NOW)).toBe("ok");
      }
    };
    run(0, 1000);
    const warm = memory();
    run(1000, 3000);
    expect(memory()).toBe(warm);
    expect(warm).toBeLessThan(4 << 20);
  });
});
