// SPDX-License-Identifier: Apache-2.0
// EC public keys from JWK "x"/"y" bytes: strict lengths, coordinates below p, point on the curve.
// Import also does all the work that depends only on the key (Montgomery form, comb table), so a
// verification with the key does none of it.

import { KeyError } from "../errors";
import { CurveContext, EcCurve, curveContext } from "./curve";
import { limbsCompare, limbsEqual, limbsFromBytesBE, limbsPtr, newLimbs } from "../limbs";
import { buildCombTable, generatorTable } from "./comb";

export class EcPublicKey {
  constructor(
    readonly curve: EcCurve,
    /** Shared per-curve context (field, order, G table, scratch). */
    readonly context: CurveContext,
    /** Affine (x, y) in Montgomery form, two field elements. */
    readonly point: StaticArray<u32>,
    /** Comb table of the point (see comb.ts). */
    readonly table: StaticArray<u32>,
  ) {}
}

export class EcKeyResult {
  constructor(
    readonly key: EcPublicKey | null,
    readonly error: KeyError,
  ) {}
}

/**
 * Imports an uncompressed public key from its big-endian coordinates, each exactly the curve's
 * coordinate length (32, 48 or 66 bytes, as JWK requires). Never traps.
 */
export function importEcPublicKey(curve: EcCurve, x: Uint8Array, y: Uint8Array): EcKeyResult {
  const c = curveContext(curve);
  // An unknown curve value has no point to be on.
  if (c === null) return new EcKeyResult(null, KeyError.NotOnCurve);
  if (x.length != c.coordBytes || y.length != c.coordBytes) return new EcKeyResult(null, KeyError.BadLength);
  const n = c.limbs;
  const es = c.elementSize;
  const point = newLimbs(2 * n);
  const px = limbsPtr(point),
    py = px + es;
  limbsFromBytesBE(px, x.dataStart, c.coordBytes, n);
  limbsFromBytesBE(py, y.dataStart, c.coordBytes, n);
  if (limbsCompare(px, c.p, n) >= 0 || limbsCompare(py, c.p, n) >= 0) return new EcKeyResult(null, KeyError.NotOnCurve);
  const f = c.fp;
  f.toMont(px, px);
  f.toMont(py, py);
  // y² = x³ − 3x + b. Affine coordinates cannot encode the point at infinity, so passing this
  // check also means the point is a finite one (and of order n: the cofactor is 1).
  const lhs = c.scratch(0),
    rhs = c.scratch(1),
    t = c.scratch(2);
  f.sqr(lhs, py);
  f.sqr(rhs, px);
  f.mul(rhs, rhs, px);
  f.add(t, px, px);
  f.add(t, t, px);
  f.sub(rhs, rhs, t);
  f.add(rhs, rhs, c.b);
  if (!limbsEqual(lhs, rhs, n)) return new EcKeyResult(null, KeyError.NotOnCurve);
  const table = buildCombTable(c, px, py);
  generatorTable(c);
  return new EcKeyResult(new EcPublicKey(curve, c, point, table), KeyError.None);
}
