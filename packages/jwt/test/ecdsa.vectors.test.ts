// SPDX-License-Identifier: Apache-2.0
// ECDSA through the compiled wasm against the shared vectors: every case of the three Wycheproof
// P1363 (raw r||s) files, and the RFC 7515 A.3 (ES256) and A.4 (ES512) examples.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { vectorsDir } from "./wasm";
import { ECDSA_BUILDS, ecdsaFixture, importKey, verify } from "./ecdsa_fixture";

const CURVES = [
  {
    name: "P-256",
    wycheproof: "secp256r1",
    sha: "SHA-256",
    file: "ecdsa_secp256r1_sha256_p1363_test.json",
    id: 0,
    len: 32,
  },
  {
    name: "P-384",
    wycheproof: "secp384r1",
    sha: "SHA-384",
    file: "ecdsa_secp384r1_sha384_p1363_test.json",
    id: 1,
    len: 48,
  },
  {
    name: "P-521",
    wycheproof: "secp521r1",
    sha: "SHA-512",
    file: "ecdsa_secp521r1_sha512_p1363_test.json",
    id: 2,
    len: 66,
  },
];

const hex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const b64u = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

/** A Wycheproof integer (may carry a leading 00 or be short) as exactly `len` big-endian bytes. */
function coordinate(h: string, len: number): Uint8Array {
  const v = BigInt("0x" + (h || "0"));
  return hex(v.toString(16).padStart(len * 2, "0"));
}

interface WycheproofTest {
  tcId: number;
  comment: string;
  msg: string;
  sig: string;
  result: string;
  flags: string[];
}
interface WycheproofGroup {
  publicKey: { curve: string; wx: string; wy: string };
  publicKeyJwk?: { crv: string; x: string; y: string };
  sha: string;
  tests: WycheproofTest[];
}

for (const c of CURVES) {
  describe.each(ECDSA_BUILDS)(`%s.wasm: Wycheproof ${c.file}`, (build) => {
    const data = JSON.parse(readFileSync(join(vectorsDir, "wycheproof", c.file), "utf8"));
    const groups = data.testGroups as WycheproofGroup[];

    it("has the expected shape", () => {
      expect(groups.reduce((n, g) => n + g.tests.length, 0)).toBe(data.numberOfTests);
      for (const g of groups) {
        expect(g.publicKey.curve).toBe(c.wycheproof);
        expect(g.sha).toBe(c.sha);
      }
    });

    it("every case: valid accepted, invalid rejected, nothing traps", () => {
      const failures: string[] = [];
      let counted = 0;
      for (const g of groups) {
        const x = coordinate(g.publicKey.wx, c.len),
          y = coordinate(g.publicKey.wy, c.len);
        const handle = importKey(c.id, x, y, build);
        if (g.publicKeyJwk) {
          // The JWK form is the one JWS users have: same bytes, same key.
          expect(Buffer.from(b64u(g.publicKeyJwk.x)).equals(Buffer.from(x))).toBe(true);
          expect(Buffer.from(b64u(g.publicKeyJwk.y)).equals(Buffer.from(y))).toBe(true);
        }
        // Every group key in these files is a valid public key.
        expect(handle, `key of group with tcId ${g.tests[0].tcId}`).toBeGreaterThanOrEqual(0);
        for (const t of g.tests) {
          const ok = verify(handle, hex(t.msg), hex(t.sig), build);
          counted++;
          if (t.result === "valid" && !ok) failures.push(`tcId ${t.tcId} (${t.comment}) valid but rejected`);
          if (t.result === "invalid" && ok) failures.push(`tcId ${t.tcId} (${t.comment}) invalid but accepted`);
        }
      }
      ecdsaFixture(build).exports.dropKeys();
      expect(failures).toEqual([]);
      expect(counted).toBe(data.numberOfTests);
    });
  });
}

describe("RFC 7515 Appendix A ECDSA examples", () => {
  const rfc = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc7515_appendix_A.json"), "utf8"));
  const examples = (
    rfc.examples as {
      section: string;
      alg: string;
      jwk_public: { crv: string; x: string; y: string };
      signing_input: string;
      signature_b64url: string;
      expected: string;
    }[]
  ).filter((e) => e.alg.startsWith("ES"));

  it("contains A.3 (ES256) and A.4 (ES512)", () => {
    expect(examples.map((e) => `${e.section} ${e.alg}`)).toEqual(["A.3 ES256", "A.4 ES512"]);
  });

  for (const e of examples) {
    it(`${e.section} ${e.alg} verifies, and fails once altered`, () => {
      const c = CURVES.find((k) => k.name === e.jwk_public.crv)!;
      const handle = importKey(c.id, b64u(e.jwk_public.x), b64u(e.jwk_public.y));
      expect(handle).toBeGreaterThanOrEqual(0);
      const msg = new Uint8Array(Buffer.from(e.signing_input, "ascii"));
      const sig = b64u(e.signature_b64url);
      expect(sig.length).toBe(2 * c.len);
      expect(e.expected).toBe("valid");
      expect(verify(handle, msg, sig)).toBe(true);
      const badMsg = msg.slice();
      badMsg[badMsg.length - 1] ^= 1;
      expect(verify(handle, badMsg, sig)).toBe(false);
      const badSig = sig.slice();
      badSig[c.len + 3] ^= 0x40;
      expect(verify(handle, msg, badSig)).toBe(false);
    });
  }

  it("A.6/A.7 JSON serializations: the ES256 signature verifies over protected.payload", () => {
    const a3 = examples[0];
    const handle = importKey(0, b64u(a3.jwk_public.x), b64u(a3.jwk_public.y));
    const flat = rfc.json_serialization["A.7_flattened"].jws;
    const general = rfc.json_serialization["A.6_general"].jws;
    const es = general.signatures.find((s: { protected: string }) => s.protected === flat.protected);
    for (const [prot, payload, sig] of [
      [flat.protected, flat.payload, flat.signature],
      [es.protected, general.payload, es.signature],
    ]) {
      expect(verify(handle, new Uint8Array(Buffer.from(`${prot}.${payload}`, "ascii")), b64u(sig))).toBe(true);
    }
  });
});
