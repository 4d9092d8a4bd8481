// SPDX-License-Identifier: Apache-2.0
// Point arithmetic on y² = x³ − 3x + b in Jacobian coordinates (x = X/Z², y = Y/Z³, Z = 0 is the
// point at infinity), all coordinates in Montgomery form. Verification handles public data only,
// so the formulas branch on the exceptional cases (infinity, P + P, P + (−P)) instead of being
// constant-time: every input gives the right point and nothing traps.
// A Jacobian point is three consecutive field elements at one pointer; an affine point two.

import { CurveContext } from "./curve";
import { limbsCopy, limbsIsZero } from "../limbs";

// @ts-ignore: decorator
@inline export function pointIsInfinity(c: CurveContext, a: usize): bool {
  return limbsIsZero(a + c.elementSize * 2, c.limbs);
}

export function pointSetInfinity(c: CurveContext, out: usize): void {
  const es = c.elementSize;
  limbsCopy(out, c.fp.one, c.limbs);
  limbsCopy(out + es, c.fp.one, c.limbs);
  memory.fill(out + es * 2, 0, es);
}

/** out = (x, y, 1) from the affine point at `a`. */
export function pointFromAffine(c: CurveContext, out: usize, a: usize): void {
  const es = c.elementSize;
  limbsCopy(out, a, c.limbs);
  limbsCopy(out + es, a + es, c.limbs);
  limbsCopy(out + es * 2, c.fp.one, c.limbs);
}

/**
 * out = 2·a (out may be a). Uses a = −3: 3M + 5S. The point at infinity stays at infinity
 * because Z3 = 2·Y·Z; no point of these prime-order curves has Y = 0.
 */
export function pointDouble(c: CurveContext, out: usize, a: usize): void {
  const f = c.fp;
  const es = c.elementSize;
  const X = a,
    Y = a + es,
    Z = a + es * 2;
  const delta = c.scratch(0),
    gamma = c.scratch(1),
    beta = c.scratch(2);
  const alpha = c.scratch(3),
    t = c.scratch(4),
    z3 = c.scratch(5);
  f.sqr(delta, Z);
  f.sqr(gamma, Y);
  f.mul(beta, X, gamma);
  // alpha = 3·(X − delta)·(X + delta) = 3·X² − 3·Z⁴, the tangent slope numerator for a = −3.
  f.sub(alpha, X, delta);
  f.add(t, X, delta);
  f.mul(alpha, alpha, t);
  f.add(t, alpha, alpha);
  f.add(alpha, t, alpha);
  // Z3 = (Y + Z)² − Y² − Z² = 2·Y·Z
  f.add(z3, Y, Z);
  f.sqr(z3, z3);
  f.sub(z3, z3, gamma);
  f.sub(z3, z3, delta);
  // X3 = alpha² − 8·beta
  f.add(beta, beta, beta);
  f.add(beta, beta, beta); // 4·beta
  f.sqr(t, alpha);
  f.sub(t, t, beta);
  f.sub(out, t, beta);
  // Y3 = alpha·(4·beta − X3) − 8·gamma²
  f.sub(beta, beta, out);
  f.mul(beta, alpha, beta);
  f.sqr(gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.add(gamma, gamma, gamma);
  f.sub(out + es, beta, gamma);
  limbsCopy(out + es * 2, z3, c.limbs);
}

/**
 * out = a + b for Jacobian a and affine b (out may be a): 8M + 3S.
 * Falls back to doubling when a = b, and gives infinity when a = −b.
 */
export function pointAddAffine(c: CurveContext, out: usize, a: usize, b: usize): void {
  const f = c.fp;
  const es = c.elementSize;
  const n = c.limbs;
  const X1 = a,
    Y1 = a + es,
    Z1 = a + es * 2;
  const x2 = b,
    y2 = b + es;
  if (limbsIsZero(Z1, n)) {
    pointFromAffine(c, out, b);
    return;
  }
  const zz = c.scratch(0),
    h = c.scratch(1),
    r = c.scratch(2);
  const hh = c.scratch(3),
    hhh = c.scratch(4),
    v = c.scratch(5),
    x3 = c.scratch(6);
  f.sqr(zz, Z1);
  f.mul(h, x2, zz); // U2
  f.mul(r, Z1, zz);
  f.mul(r, y2, r); // S2
  f.sub(h, h, X1); // H = U2 − X1
  f.sub(r, r, Y1); // r = S2 − Y1
  if (limbsIsZero(h, n)) {
    // Same x: either the same point (double it) or its negation (the sum is infinity).
    if (limbsIsZero(r, n)) pointDouble(c, out, a);
    else pointSetInfinity(c, out);
    return;
  }
  f.sqr(hh, h);
  f.mul(hhh, h, hh);
  f.mul(v, X1, hh);
  // X3 = r² − H³ − 2·V
  f.sqr(x3, r);
  f.sub(x3, x3, hhh);
  f.sub(x3, x3, v);
  f.sub(x3, x3, v);
  // Y3 = r·(V − X3) − Y1·H³
  f.sub(v, v, x3);
  f.mul(v, r, v);
  f.mul(hhh, Y1, hhh);
  f.mul(out + es * 2, Z1, h); // Z3 = Z1·H (Z1 no longer needed after this)
  f.sub(out + es, v, hhh);
  limbsCopy(out, x3, n);
}
