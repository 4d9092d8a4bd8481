// SPDX-License-Identifier: Apache-2.0
// ECDSA through the compiled wasm against node:crypto: random keys and messages signed by Node
// (raw r||s), corrupted signatures and keys (bit flips, r or s = 0, n, > n, wrong lengths,
// off-curve points, random bytes). Node's verdict is the oracle; no input may trap.
import {
  createECDH,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify as nodeVerify,
  type KeyObject,
} from "node:crypto";
import { describe, expect, it, beforeAll } from "vitest";
import { type Fixture } from "./wasm";
import {
  ecdsaFixture,
  importKey,
  verify as wasmVerify,
  verifyDigest as wasmVerifyDigest,
  type EcdsaExports,
} from "./ecdsa_fixture";

const KEY_ERROR = { BadLength: 1, NotOnCurve: 4 };
const CURVES = [
  {
    name: "P-256",
    hash: "sha256",
    ecdh: "prime256v1",
    id: 0,
    len: 32,
    keys: 6,
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  {
    name: "P-384",
    hash: "sha384",
    ecdh: "secp384r1",
    id: 1,
    len: 48,
    keys: 4,
    p: (1n << 384n) - (1n << 128n) - (1n << 96n) + (1n << 32n) - 1n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
  {
    name: "P-521",
    hash: "sha512",
    ecdh: "secp521r1",
    id: 2,
    len: 66,
    keys: 3,
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
  },
];

let f: Fixture<EcdsaExports>;
beforeAll(() => {
  f = ecdsaFixture();
});

const big = (b: Uint8Array) => BigInt("0x" + (Buffer.from(b).toString("hex") || "0"));
const bytesOf = (v: bigint, len: number) => new Uint8Array(Buffer.from(v.toString(16).padStart(len * 2, "0"), "hex"));

/** a⁻¹ mod m for prime m (Fermat). */
function modInverse(a: bigint, m: bigint): bigint {
  let result = 1n,
    base = a % m,
    e = m - 2n;
  for (; e > 0n; e >>= 1n, base = (base * base) % m) if (e & 1n) result = (result * base) % m;
  return result;
}
function coordinates(key: KeyObject): { x: Uint8Array; y: Uint8Array } {
  const jwk = key.export({ format: "jwk" });
  return { x: new Uint8Array(Buffer.from(jwk.x!, "base64url")), y: new Uint8Array(Buffer.from(jwk.y!, "base64url")) };
}
/** Node's opinion of a JWK point: null when it refuses to import it. */
function nodeKey(crv: string, x: Uint8Array, y: Uint8Array): KeyObject | null {
  try {
    return createPublicKey({
      format: "jwk",
      key: { kty: "EC", crv, x: Buffer.from(x).toString("base64url"), y: Buffer.from(y).toString("base64url") },
    });
  } catch {
    return null;
  }
}

for (const c of CURVES) {
  describe(`${c.name} vs node:crypto`, () => {
    it("random keys and messages: Node's signatures verify, altered ones agree with Node", () => {
      let checked = 0;
      for (let k = 0; k < c.keys; k++) {
        const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: c.name });
        const { x, y } = coordinates(publicKey);
        const handle = importKey(c.id, x, y);
        expect(handle).toBeGreaterThanOrEqual(0);
        for (let m = 0; m < 8; m++) {
          const msg = new Uint8Array(randomBytes(m === 0 ? 0 : (Math.random() * 1500) | 0));
          const sig = new Uint8Array(sign(c.hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
          expect(sig.length).toBe(2 * c.len);
          expect(wasmVerify(handle, msg, sig)).toBe(true);
          const r = big(sig.subarray(0, c.len)),
            s = big(sig.subarray(c.len));
          const variants: Uint8Array[] = [];
          const flipped = sig.slice();
          flipped[(Math.random() * sig.length) | 0] ^= 1 << ((Math.random() * 8) | 0);
          variants.push(flipped);
          const pair = (rv: bigint, sv: bigint) => {
            const out = new Uint8Array(2 * c.len);
            out.set(bytesOf(rv, c.len), 0);
            out.set(bytesOf(sv, c.len), c.len);
            return out;
          };
          const top = (1n << BigInt(8 * c.len)) - 1n;
          for (const [rv, sv] of [
            [0n, s],
            [r, 0n],
            [0n, 0n],
            [c.n, s],
            [r, c.n],
            [r + c.n, s],
            [r, s + c.n],
            [c.n + 1n, s],
            [top, s],
            [r, top],
            [s, r],
            [r, c.n - s],
            [1n, 1n],
            [r, 1n],
            [c.n - 1n, c.n - 1n],
          ] as [bigint, bigint][]) {
            if (rv <= top && sv <= top) variants.push(pair(rv, sv));
          }
          variants.push(
            sig.subarray(0, sig.length - 1),
            new Uint8Array([...sig, 0]),
            new Uint8Array(0),
            sig.subarray(0, c.len),
            new Uint8Array(randomBytes(2 * c.len)),
            new Uint8Array(sign(c.hash, msg, privateKey)) /* DER */,
          );
          for (const v of variants) {
            const expected = nodeVerify(c.hash, msg, { key: publicKey, dsaEncoding: "ieee-p1363" }, v);
            expect(wasmVerify(handle, msg, v), `variant ${Buffer.from(v).toString("hex")}`).toBe(expected);
            checked++;
          }
          const badMsg = new Uint8Array([...msg, 1]);
          expect(wasmVerify(handle, badMsg, sig)).toBe(false);
        }
      }
      f.exports.dropKeys();
      expect(checked).toBeGreaterThan(100);
    });

    it("digest-level verify truncates longer digests and keeps shorter ones (SEC 1 §4.1.3)", () => {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: c.name });
      const { x, y } = coordinates(publicKey);
      const handle = importKey(c.id, x, y);
      for (const hash of ["sha1", "sha256", "sha384", "sha512"]) {
        const msg = new Uint8Array(randomBytes(100));
        const sig = new Uint8Array(sign(hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
        const digest = new Uint8Array(createHash(hash).update(msg).digest());
        expect(wasmVerifyDigest(handle, digest, sig), hash).toBe(true);
        digest[0] ^= 0x80;
        expect(wasmVerifyDigest(handle, digest, sig), hash).toBe(false);
      }
      // With no digest e = 0, and then r = x(kQ), s = r/k verifies for any k: a forgery that only
      // needs Q. Built here with the private key d (kQ = (k·d)G, through ECDH) and refused.
      const d = big(new Uint8Array(Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url")));
      const k = (big(new Uint8Array(randomBytes(c.len))) % (c.n - 1n)) + 1n;
      const ecdh = createECDH(c.ecdh);
      ecdh.setPrivateKey(Buffer.from(bytesOf((k * d) % c.n, c.len)));
      const rPoint = ecdh.getPublicKey();
      const r = big(new Uint8Array(rPoint.subarray(1, 1 + c.len))) % c.n;
      const forged = new Uint8Array([...bytesOf(r, c.len), ...bytesOf((r * modInverse(k, c.n)) % c.n, c.len)]);
      expect(wasmVerifyDigest(handle, new Uint8Array(0), forged)).toBe(false);
      for (const len of [0, 1, 65, 66, 67, 200]) {
        expect(wasmVerifyDigest(handle, new Uint8Array(randomBytes(len)), new Uint8Array(randomBytes(2 * c.len)))).toBe(
          false,
        );
      }
      f.exports.dropKeys();
    });

    it("key import: exact lengths, coordinates below p, point on the curve; agrees with Node", () => {
      const { publicKey } = generateKeyPairSync("ec", { namedCurve: c.name });
      const { x, y } = coordinates(publicKey);
      const X = big(x),
        Y = big(y);
      expect(importKey(c.id, x, y)).toBeGreaterThanOrEqual(0);
      // (x, −y) is on the curve too.
      expect(importKey(c.id, x, bytesOf(c.p - Y, c.len))).toBeGreaterThanOrEqual(0);
      for (const [bx, by] of [
        [x.subarray(1), y],
        [x, y.subarray(1)],
        [new Uint8Array([0, ...x]), y],
        [x, new Uint8Array([0, ...y])],
        [new Uint8Array(0), new Uint8Array(0)],
      ]) {
        expect(importKey(c.id, bx, by)).toBe(-KEY_ERROR.BadLength);
      }
      const offCurve: [bigint, bigint][] = [
        [X, Y ^ 1n],
        [X ^ (1n << 7n), Y],
        [0n, 0n],
        [X + c.p, Y],
        [X, Y + c.p],
        [c.p, Y],
        [X, c.p],
      ];
      for (const [ox, oy] of offCurve) {
        const top = (1n << BigInt(8 * c.len)) - 1n;
        if (ox > top || oy > top) continue;
        const bx = bytesOf(ox, c.len),
          by = bytesOf(oy, c.len);
        expect(nodeKey(c.name, bx, by)).toBeNull();
        expect(importKey(c.id, bx, by)).toBe(-KEY_ERROR.NotOnCurve);
      }
      for (let i = 0; i < 40; i++) {
        const bx = new Uint8Array(randomBytes(c.len)),
          by = new Uint8Array(randomBytes(c.len));
        const h = importKey(c.id, bx, by);
        expect(h >= 0).toBe(nodeKey(c.name, bx, by) !== null);
      }
      // Flipped bits in a valid key: Node and wasm agree on every one.
      for (let bit = 0; bit < 8 * c.len; bit += 7) {
        const by = y.slice();
        by[bit >> 3] ^= 1 << (bit & 7);
        expect(importKey(c.id, x, by) >= 0).toBe(nodeKey(c.name, x, by) !== null);
      }
      // Unknown curve ids are refused, never trapped on.
      expect(importKey(7, x, y)).toBeLessThan(0);
      expect(importKey(-1, x, y)).toBeLessThan(0);
      f.exports.dropKeys();
    });
  });
}

describe("handles and cross-curve use", () => {
  it("a signature of one curve's length never verifies under another curve's key", () => {
    const p256 = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const a = coordinates(p256.publicKey),
      b = coordinates(p384.publicKey);
    const h256 = importKey(0, a.x, a.y),
      h384 = importKey(1, b.x, b.y);
    const msg = new Uint8Array(randomBytes(50));
    const sig = new Uint8Array(sign("sha256", msg, { key: p256.privateKey, dsaEncoding: "ieee-p1363" }));
    expect(wasmVerify(h256, msg, sig)).toBe(true);
    expect(wasmVerify(h384, msg, sig)).toBe(false);
    expect(importKey(1, a.x, a.y)).toBe(-KEY_ERROR.BadLength);
    expect(wasmVerify(99, msg, sig)).toBe(false);
    f.exports.dropKeys();
  });
});

describe("memory: tables survive garbage collection and key churn", () => {
  it("keys imported between collections keep verifying, dropped keys free their tables", () => {
    const live: { handle: number; msg: Uint8Array; sig: Uint8Array }[] = [];
    for (let i = 0; i < 24; i++) {
      const c = CURVES[i % 3];
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: c.name });
      const { x, y } = coordinates(publicKey);
      if (i % 6 === 5) {
        // Forget every key so far; the next imports reuse the freed memory.
        f.exports.dropKeys();
        live.length = 0;
      }
      const handle = importKey(c.id, x, y);
      const msg = new Uint8Array(randomBytes(64));
      const sig = new Uint8Array(sign(c.hash, msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
      live.push({ handle, msg, sig });
      if (i % 2 === 0) f.exports.__collect();
      for (const k of live) expect(wasmVerify(k.handle, k.msg, k.sig)).toBe(true);
    }
    f.exports.dropKeys();
  });
});

describe("modular inversion (divsteps) against BigInt", () => {
  const modPow = (b: bigint, e: bigint, m: bigint) => {
    let r = 1n;
    for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
    return r;
  };
  for (const c of CURVES) {
    it(`${c.name}: x⁻¹ mod p and mod n for edge and random x; 0 has none`, () => {
      for (const [label, m, field] of [
        ["p", c.p, 1],
        ["n", c.n, 0],
      ] as [string, bigint, number][]) {
        const xs = [1n, 2n, 3n, m - 1n, m - 2n, (m - 1n) / 2n, 1n << BigInt(8 * c.len - 9), m >> 1n];
        for (let i = 0; i < 40; i++) xs.push(big(new Uint8Array(randomBytes(c.len))) % m);
        for (const x of xs) {
          const got = f.read(f.exports.invertMod(c.id, field, f.bytes(bytesOf(x, c.len))));
          f.release();
          if (x === 0n) {
            expect(got.length).toBe(0);
            continue;
          }
          expect(big(got), `${label} x=${x.toString(16)}`).toBe(modPow(x, m - 2n, m));
        }
        expect(f.read(f.exports.invertMod(c.id, field, f.bytes(new Uint8Array(c.len)))).length).toBe(0);
        f.release();
      }
    });
  }
});

describe("garbage in, rejection out", () => {
  it("random key bytes, curve ids, digests and signatures of every length never trap", () => {
    const keys = CURVES.map((c) => {
      const { publicKey } = generateKeyPairSync("ec", { namedCurve: c.name });
      const { x, y } = coordinates(publicKey);
      return importKey(c.id, x, y);
    });
    for (let i = 0; i < 300; i++) {
      const curve = (i % 5) - 1; // −1..3: two ids that are not curves
      const len = (Math.random() * 140) | 0;
      const h = importKey(
        curve,
        new Uint8Array(randomBytes(len)),
        new Uint8Array(randomBytes((Math.random() * 140) | 0)),
      );
      expect(h).toBeLessThan(0);
    }
    for (const [k, c] of CURVES.entries()) {
      for (let len = 0; len <= 140; len++) {
        expect(wasmVerify(keys[k], new Uint8Array(randomBytes(len)), new Uint8Array(randomBytes(len)))).toBe(false);
        expect(
          wasmVerifyDigest(keys[k], new Uint8Array(randomBytes(len)), new Uint8Array(randomBytes(2 * c.len))),
        ).toBe(false);
      }
    }
    f.exports.dropKeys();
  });
});

describe("ecdsa_simd.wasm (P-256 field multiplication by the vector kernel) vs node:crypto", () => {
  it("random P-256 keys and messages: Node's signatures verify, bit-flipped ones and other keys' are refused", () => {
    let checked = 0;
    const others: number[] = [];
    for (let k = 0; k < 40; k++) {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const { x, y } = coordinates(publicKey);
      const handle = importKey(0, x, y, "ecdsa_simd");
      expect(handle).toBeGreaterThanOrEqual(0);
      for (let m = 0; m < 8; m++) {
        const msg = new Uint8Array(randomBytes((Math.random() * 1500) | 0));
        const sig = new Uint8Array(sign("sha256", msg, { key: privateKey, dsaEncoding: "ieee-p1363" }));
        expect(wasmVerify(handle, msg, sig, "ecdsa_simd")).toBe(true);
        const flipped = sig.slice();
        flipped[(Math.random() * sig.length) | 0] ^= 1 << ((Math.random() * 8) | 0);
        expect(wasmVerify(handle, msg, flipped, "ecdsa_simd")).toBe(
          nodeVerify("sha256", msg, { key: publicKey, dsaEncoding: "ieee-p1363" }, flipped),
        );
        for (const other of others) expect(wasmVerify(other, msg, sig, "ecdsa_simd")).toBe(false);
        checked++;
      }
      if (others.length < 3) others.push(handle);
    }
    expect(checked).toBe(320);
    ecdsaFixture("ecdsa_simd").exports.dropKeys();
  });
});
