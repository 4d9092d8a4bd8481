// SPDX-License-Identifier: Apache-2.0
// ECDSA verification (FIPS 186-4 §6.4.2, SEC 1 §4.1.4) with JWS raw r||s signatures (RFC 7518 §3.4).
// Answers only true or false, for any bytes: wrong lengths, r or s outside [1, n−1], sums that
// reach infinity: all are plain rejections, never traps.

import { HashAlg, digest } from "../hash";
import { CurveContext, EcCurve } from "./curve";
import { EcPublicKey } from "./key";
import { combDoubleMul, generatorTable } from "./comb";
import { pointIsInfinity } from "./point";
import { limbsAdd, limbsCompare, limbsEqual, limbsFromBytesBE, limbsIsZero, limbsSub } from "../limbs";

/** True when `a` lies in [1, n−1]. */
function inScalarRange(c: CurveContext, a: usize): bool {
  return !limbsIsZero(a, c.limbs) && limbsCompare(a, c.n, c.limbs) < 0;
}

/**
 * e = the leftmost min(bits(n), 8·len) bits of the digest, reduced mod n (SEC 1 §4.1.3 step 5).
 * With the JWA pairings no bits are dropped; P-521 takes SHA-512's 512 bits as they are.
 */
function digestToScalar(c: CurveContext, out: usize, digest: Uint8Array): void {
  const n = c.limbs;
  const bits = c.orderBits;
  let len = digest.length;
  let shift = 0;
  if (len * 8 > bits) {
    const keep = (bits + 7) >> 3;
    if (len > keep) len = keep;
    shift = len * 8 - bits;
  }
  limbsFromBytesBE(out, digest.dataStart, len, n);
  if (shift != 0) {
    for (let i = 0; i < n; i++) {
      const at = out + ((<usize>i) << 2);
      const hi: u32 = i + 1 < n ? load<u32>(at + 4) : 0;
      store<u32>(at, (load<u32>(at) >>> shift) | (hi << (32 - shift)));
    }
  }
  // e < 2^bits < 2n, so one subtraction reduces it.
  if (limbsCompare(out, c.n, n) >= 0) limbsSub(out, out, c.n, n);
}

/**
 * Verifies a raw r||s signature over an already computed digest. `sig` must be exactly twice the
 * coordinate length (64, 96 or 132 bytes); an empty digest is refused.
 */
export function ecdsaVerifyDigest(key: EcPublicKey, digest: Uint8Array, sig: Uint8Array): bool {
  const c = key.context;
  const len = c.coordBytes;
  if (sig.length != 2 * len) return false;
  // No digest (digest() of a hash this module left out) would make e = 0, and with e = 0 anyone
  // holding only Q can forge: r = x(kQ), s = r/k verifies for any k.
  if (digest.length == 0) return false;
  const n = c.limbs;
  const es = c.elementSize;
  const acc = c.scratch(8);
  const r = c.scratch(11),
    s = c.scratch(12),
    e = c.scratch(13),
    w = c.scratch(14);
  const u1 = c.scratch(15),
    u2 = c.scratch(16),
    zz = c.scratch(17),
    t = c.scratch(18);
  limbsFromBytesBE(r, sig.dataStart, len, n);
  limbsFromBytesBE(s, sig.dataStart + <usize>len, len, n);
  if (!inScalarRange(c, r) || !inScalarRange(c, s)) return false;
  digestToScalar(c, e, digest);

  // w = s⁻¹, put in Montgomery form so that multiplying a plain e or r by it gives plain u1, u2.
  // s is in [1, n−1] and n is prime, so the inverse exists.
  const fn = c.fn;
  if (!fn.inverter.invert(w, s)) return false;
  fn.toMont(w, w);
  fn.mul(u1, e, w);
  fn.mul(u2, r, w);

  combDoubleMul(c, acc, generatorTable(c), u1, key.table, u2);
  if (pointIsInfinity(c, acc)) return false;

  // Accept when x(R) mod n = r. x(R) = X/Z² lies in [0, p), and p < 2n, so x(R) is r or r + n.
  // Compare X with r·Z² (and (r + n)·Z² when r + n < p) instead of inverting Z.
  const fp = c.fp;
  fp.sqr(zz, acc + es * 2);
  fp.toMont(t, r);
  fp.mul(t, t, zz);
  if (limbsEqual(t, acc, n)) return true;
  if (limbsAdd(t, r, c.n, n) != 0 || limbsCompare(t, c.p, n) >= 0) return false;
  fp.toMont(t, t);
  fp.mul(t, t, zz);
  return limbsEqual(t, acc, n);
}

/**
 * Verifies a JWS ECDSA signature over the signing input `msg`, hashing it with the curve's JWA
 * hash: ES256 = P-256 + SHA-256, ES384 = P-384 + SHA-384, ES512 = P-521 + SHA-512.
 */
export function ecdsaVerify(key: EcPublicKey, msg: Uint8Array, sig: Uint8Array): bool {
  if (sig.length != 2 * key.context.coordBytes) return false;
  const curve = key.curve;
  // hash.ts's digest() is shared with RSA, so a module with both links one copy of the hashing.
  const alg = curve == EcCurve.P256 ? HashAlg.SHA256 : curve == EcCurve.P384 ? HashAlg.SHA384 : HashAlg.SHA512;
  return ecdsaVerifyDigest(key, digest(alg, msg), sig);
}
