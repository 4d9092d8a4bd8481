// SPDX-License-Identifier: Apache-2.0
// RSA through the compiled wasm: every case of the Wycheproof rsa_signature_* (PKCS#1 v1.5) and
// rsa_pss_* files, and RFC 7515 A.2 (RS256) and A.6 (its general JSON form).
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { vectorsDir } from "./wasm";
import { RsaWasm, HASH_ID, RSA_BUILDS } from "./rsa_wasm";

const wycheproof = join(vectorsDir, "wycheproof");
const files = readdirSync(wycheproof)
  .filter((f) => /^rsa_(signature|pss)_.*_test\.json$/.test(f))
  .sort();
const hex = (s: string) => Buffer.from(s, "hex");
const b64u = (s: string) => Buffer.from(s, "base64url");

describe.each(RSA_BUILDS)("%s.wasm", (build) => {
  let rsa: RsaWasm;
  beforeAll(() => {
    rsa = new RsaWasm(build);
  });

  describe("Wycheproof RSA files present", () => {
    it("finds all 9 PKCS#1 v1.5 and 6 PSS files", () => {
      expect(files.filter((f) => f.startsWith("rsa_signature_")).length).toBe(9);
      expect(files.filter((f) => f.startsWith("rsa_pss_")).length).toBe(6);
    });
  });

  describe.each(files)("%s", (file) => {
    const data = JSON.parse(readFileSync(join(wycheproof, file), "utf8"));
    const pss = file.startsWith("rsa_pss_");

    it("valid accepted, invalid rejected, acceptable either way, nothing traps", () => {
      let total = 0;
      const acceptable: string[] = [];
      for (const g of data.testGroups) {
        if (pss) {
          // JWA fixes MGF1 with the same hash and sLen = hLen; the files chosen are exactly that.
          expect(g.mgf).toBe("MGF1");
          expect(g.mgfSha).toBe(g.sha);
          expect(g.sLen).toBe({ "SHA-256": 32, "SHA-384": 48, "SHA-512": 64 }[g.sha as string]);
        }
        const jwk = g.keyJwk ?? g.publicKeyJwk;
        const n = jwk ? b64u(jwk.n) : hex(g.publicKey.modulus);
        const e = jwk ? b64u(jwk.e) : hex(g.publicKey.publicExponent);
        const handle = rsa.importKey(n, e);
        expect(handle, `group key import (keySize ${g.keySize})`).toBeGreaterThanOrEqual(0);
        // The same key from the hex modulus (leading 00 kept) must import too.
        expect(rsa.importKey(hex(g.publicKey.modulus), hex(g.publicKey.publicExponent))).toBeGreaterThanOrEqual(0);
        for (const t of g.tests) {
          const ok = rsa.verify(handle, pss, HASH_ID[g.sha], hex(t.msg), hex(t.sig));
          const what = `tcId ${t.tcId} [${t.flags.join(",")}] ${t.comment}`;
          if (t.result === "acceptable") acceptable.push(`${t.tcId}:${ok ? "accepted" : "rejected"}:${t.flags}`);
          else expect(ok, what).toBe(t.result === "valid");
          total++;
        }
      }
      expect(total).toBe(data.numberOfTests);
      // Our only acceptable cases are DigestInfo without the NULL parameter; we refuse them.
      for (const a of acceptable) expect(a).toMatch(/:rejected:.*MissingNull/);
    });
  });

  describe("RFC 7515", () => {
    const rfc = JSON.parse(readFileSync(join(vectorsDir, "rfc", "rfc7515_appendix_A.json"), "utf8"));
    const a2 = rfc.examples.find((e: any) => e.section === "A.2");

    it("A.2 RS256 verifies with the published key, and fails when altered", () => {
      const h = rsa.importKey(b64u(a2.jwk_public.n), b64u(a2.jwk_public.e));
      expect(h).toBeGreaterThanOrEqual(0);
      const msg = Buffer.from(a2.signing_input, "ascii");
      const sig = b64u(a2.signature_b64url);
      expect(sig.length).toBe(a2.signature_length_bytes);
      expect(rsa.verify(h, false, 0, msg, sig)).toBe(true);
      expect(rsa.verify(h, true, 0, msg, sig)).toBe(false);
      expect(rsa.verify(h, false, 1, msg, sig)).toBe(false);
      const badMsg = Buffer.from(msg);
      badMsg[badMsg.length - 1] ^= 1;
      expect(rsa.verify(h, false, 0, badMsg, sig)).toBe(false);
      const badSig = Buffer.from(sig);
      badSig[100] ^= 0x80;
      expect(rsa.verify(h, false, 0, msg, badSig)).toBe(false);
    });

    it("A.6 general JSON serialization: its RS256 signature verifies", () => {
      const jws = rfc.json_serialization["A.6_general"].jws;
      const rsEntry = jws.signatures.find((s: any) => JSON.parse(b64u(s.protected).toString()).alg === "RS256");
      const h = rsa.importKey(b64u(a2.jwk_public.n), b64u(a2.jwk_public.e));
      const msg = Buffer.from(`${rsEntry.protected}.${jws.payload}`, "ascii");
      expect(rsa.verify(h, false, 0, msg, b64u(rsEntry.signature))).toBe(true);
    });
  });
});
