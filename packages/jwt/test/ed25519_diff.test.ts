// SPDX-License-Identifier: Apache-2.0
// Ed25519 differential tests against node:crypto (OpenSSL): random keys and messages (lengths from
// 0 up, including whole blocks of SHA-512), and corrupted signatures and keys, which must be
// rejected exactly where node rejects them, and never trap.
import { describe, it, expect } from "vitest";
import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  randomInt,
  sign,
  verify as nodeVerify,
  type KeyObject,
} from "node:crypto";
import { verify, L, toLe, fromLe } from "./ed25519_fixture";

interface Signer {
  publicKey: KeyObject;
  privateKey: KeyObject;
  x: Buffer;
}
function newSigner(): Signer {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return { publicKey, privateKey, x: Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url") };
}

/** node's answer for raw key bytes (false when node cannot even import them). */
function nodeAnswer(x: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(x).toString("base64url") },
      format: "jwk",
    });
  } catch {
    return false;
  }
  return nodeVerify(null, msg, key, sig);
}

function messageLength(i: number): number {
  const special = [0, 1, 111, 112, 127, 128, 129, 240, 255, 256, 900];
  return i < special.length ? special[i] : randomInt(0, 2048);
}

describe("differential vs node:crypto", () => {
  it("good signatures from random keys over random messages verify", () => {
    for (let i = 0; i < 150; i++) {
      const s = newSigner();
      const msg = randomBytes(messageLength(i));
      const sig = sign(null, msg, s.privateKey);
      expect(verify(s.x, msg, sig), `len ${msg.length}`).toBe(1);
    }
  });

  it("corrupted signatures: same answer as node (bit flips, S + L, S = L, random R or S)", () => {
    let rejected = 0;
    for (let i = 0; i < 60; i++) {
      const s = newSigner();
      const msg = randomBytes(messageLength(i));
      const good = sign(null, msg, s.privateKey);
      const S = fromLe(good.subarray(32));
      const variants: Buffer[] = [];
      for (let k = 0; k < 4; k++) {
        const b = Buffer.from(good);
        const bit = randomInt(0, 512);
        b[bit >> 3] ^= 1 << (bit & 7);
        variants.push(b);
      }
      variants.push(Buffer.concat([good.subarray(0, 32), toLe(S + L)])); // same point, S not reduced
      variants.push(Buffer.concat([good.subarray(0, 32), toLe(L)]));
      variants.push(Buffer.concat([good.subarray(0, 32), toLe(0n)]));
      variants.push(Buffer.concat([randomBytes(32), good.subarray(32)]));
      variants.push(Buffer.concat([good.subarray(0, 32), randomBytes(32)]));
      variants.push(randomBytes(64));
      for (const sig of variants) {
        const ours = verify(s.x, msg, sig);
        expect(ours === 1, sig.toString("hex")).toBe(nodeVerify(null, msg, s.publicKey, sig));
        if (ours === 0) rejected++;
      }
      // The message changed by one bit.
      if (msg.length > 0) {
        const m = Buffer.from(msg);
        m[randomInt(0, m.length)] ^= 1 << randomInt(0, 8);
        expect(verify(s.x, m, good)).toBe(0);
      }
    }
    expect(rejected).toBeGreaterThan(500);
  });

  it("wrong signature lengths are rejected, never a trap", () => {
    const s = newSigner();
    const msg = randomBytes(100);
    const good = sign(null, msg, s.privateKey);
    for (const n of [0, 1, 31, 32, 63, 65, 96, 128]) {
      const sig = n <= 64 ? good.subarray(0, n) : Buffer.concat([good, Buffer.alloc(n - 64)]);
      expect(verify(s.x, msg, sig), `length ${n}`).toBe(0);
    }
  });

  it("random or other public keys: rejected where node rejects, never a trap", () => {
    for (let i = 0; i < 200; i++) {
      const s = newSigner();
      const msg = randomBytes(messageLength(i));
      const sig = sign(null, msg, s.privateKey);
      const other = i % 2 === 0 ? newSigner().x : randomBytes(32);
      const ours = verify(other, msg, sig);
      expect(ours).not.toBe(1);
      expect(ours === 1).toBe(nodeAnswer(other, msg, sig));
    }
  });

  it("random bytes everywhere never trap and never verify", () => {
    for (let i = 0; i < 200; i++) {
      const r = verify(
        randomBytes(i % 7 === 0 ? randomInt(0, 70) : 32),
        randomBytes(randomInt(0, 300)),
        randomBytes(i % 5 === 0 ? randomInt(0, 130) : 64),
      );
      expect([-1, 0]).toContain(r);
    }
  });
});
