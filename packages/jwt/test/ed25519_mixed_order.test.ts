// SPDX-License-Identifier: Apache-2.0
// Keys with a small-order component (A + T, T of order 8): both we and node:crypto must use the
// cofactorless equation with k reduced mod L, so a signature made with the private scalar of A
// verifies under A + T exactly when [k]T = 0. Signatures are made here with a small BigInt
// Edwards implementation (test only), the private scalar taken from node-generated keys.
import { describe, it, expect } from "vitest";
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from "node:crypto";
import { verify, L, toLe, fromLe as le } from "./ed25519_fixture";

const P = 2n ** 255n - 19n;
const mod = (a: bigint, m = P) => ((a % m) + m) % m;
function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

type Point = [bigint, bigint, bigint, bigint]; // extended X, Y, Z, T
const IDENTITY: Point = [0n, 1n, 1n, 0n];
function add([x1, y1, z1, t1]: Point, [x2, y2, z2, t2]: Point): Point {
  const a = mod((y1 - x1) * (y2 - x2)),
    b = mod((y1 + x1) * (y2 + x2));
  const c = mod(t1 * 2n * D * t2),
    d = mod(z1 * 2n * z2);
  const e = b - a,
    f = d - c,
    g = d + c,
    h = b + a;
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}
function mul(k: bigint, p: Point): Point {
  let r = IDENTITY;
  for (; k > 0n; k >>= 1n, p = add(p, p)) if (k & 1n) r = add(r, p);
  return r;
}
function encode([x, y, z]: Point): Buffer {
  const zi = inv(z),
    ax = mod(x * zi),
    ay = mod(y * zi);
  return toLe(ay | ((ax & 1n) << 255n));
}
function decode(s: Uint8Array): Point {
  const y = le(s) & ((1n << 255n) - 1n);
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x - x2) !== 0n) x = mod(x * SQRT_M1);
  if (mod(x * x - x2) !== 0n) throw new Error("not a point");
  if ((x & 1n) !== BigInt(s[31] >> 7)) x = mod(-x);
  return [x, y, 1n, mod(x * y)];
}
const BASE = decode(Buffer.from("5866666666666666666666666666666666666666666666666666666666666666", "hex"));
const sha512 = (...parts: Uint8Array[]) => {
  const h = createHash("sha512");
  parts.forEach((p) => h.update(p));
  return h.digest();
};

describe("mixed-order public keys (A + point of order 8)", () => {
  it("the BigInt reference reproduces node's public keys", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
    const h = sha512(seed);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    expect(encode(mul(le(h.subarray(0, 32)), BASE)).toString("base64url")).toBe(publicKey.export({ format: "jwk" }).x);
  });

  it("verify answers like node: accepted exactly when [k]T = 0", () => {
    const torsion = decode(Buffer.from("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "hex"));
    expect(encode(mul(8n, torsion))).toEqual(encode(IDENTITY));
    expect(encode(mul(4n, torsion))).not.toEqual(encode(IDENTITY));
    let accepted = 0,
      refused = 0;
    for (let i = 0; i < 400 && (accepted < 3 || refused < 3); i++) {
      const seed = randomBytes(32);
      const h = sha512(seed);
      h[0] &= 248;
      h[31] &= 127;
      h[31] |= 64;
      const a = le(h.subarray(0, 32));
      const mixed = encode(add(mul(a, BASE), torsion));
      const msg = randomBytes(i % 50);
      const r = mod(le(sha512(h.subarray(32), msg)), L);
      const R = encode(mul(r, BASE));
      const k = mod(le(sha512(R, mixed, msg)), L);
      const sig = Buffer.concat([R, toLe(mod(r + k * a, L))]);
      const nodeKey = createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: mixed.toString("base64url") },
        format: "jwk",
      });
      const expected = nodeVerify(null, msg, nodeKey, sig);
      expect(expected).toBe(k % 8n === 0n);
      const ours = verify(mixed, msg, sig);
      expect(ours, `k mod 8 = ${k % 8n}`).toBe(expected ? 1 : 0);
      if (expected) accepted++;
      else refused++;
    }
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(refused).toBeGreaterThanOrEqual(3);
  });
});
