// SPDX-License-Identifier: Apache-2.0
// One context per curve, created on first use: its field and scalar Montgomery domains, b and G,
// sizes, and scratch field elements for the point formulas (so verifying allocates nothing).
// Only curves that a program actually uses are ever built.

import { MontgomeryDomain, MontgomeryKernel } from "./montgomery";
import { limbsPtr, newLimbs } from "../limbs";
import {
  P256_P,
  P256_N,
  P256_P_R2,
  P256_N_R2,
  P256_B_MONT,
  P256_GX_MONT,
  P256_GY_MONT,
  P256_P_INV32,
  P256_N_INV32,
  P384_P,
  P384_N,
  P384_P_R2,
  P384_N_R2,
  P384_B_MONT,
  P384_GX_MONT,
  P384_GY_MONT,
  P384_P_INV32,
  P384_N_INV32,
  P521_P,
  P521_N,
  P521_P_R2,
  P521_N_R2,
  P521_B_MONT,
  P521_GX_MONT,
  P521_GY_MONT,
  P521_P_INV32,
  P521_N_INV32,
} from "./curve_params";

/** The NIST curves JWS uses (JWA §3.4): ES256, ES384, ES512. */
export const enum EcCurve {
  P256 = 0,
  P384 = 1,
  P521 = 2,
}

/**
 * Scratch field elements: 0–7 for the point formulas (point.ts), 8–10 the accumulator point and
 * 11–19 the scalars of one verification (verify.ts).
 */
const SCRATCH_ELEMENTS = 20;

export class CurveContext {
  /** Field domain, mod p. */
  readonly fp: MontgomeryDomain;
  /** Scalar domain, mod n (the group order). */
  readonly fn: MontgomeryDomain;
  /** Bytes of a coordinate and of r or s: 32, 48, 66. */
  readonly coordBytes: i32;
  /** Bit length of n: 256, 384, 521. */
  readonly orderBits: i32;
  /** Limbs per field element or scalar. */
  readonly limbs: i32;
  /** Bytes per field element in memory (4·limbs). */
  readonly elementSize: usize;
  /**
   * Curve coefficient b and generator coordinates, Montgomery form: pointers into the constant
   * arrays of curve_params.ts, which module globals keep alive.
   */
  readonly b: usize;
  readonly gx: usize;
  readonly gy: usize;
  /** p and n themselves, as plain limbs. */
  readonly p: usize;
  readonly n: usize;
  /** Fixed-base table for G, built at the first key import on this curve. */
  generatorTable: StaticArray<u32> | null = null;

  private scratchLimbs: StaticArray<u32>;

  constructor(
    readonly curve: EcCurve,
    limbs: i32,
    coordBytes: i32,
    orderBits: i32,
    p: StaticArray<u32>,
    n: StaticArray<u32>,
    pR2: StaticArray<u32>,
    nR2: StaticArray<u32>,
    pInv: u32,
    nInv: u32,
    b: StaticArray<u32>,
    gx: StaticArray<u32>,
    gy: StaticArray<u32>,
  ) {
    this.limbs = limbs;
    this.coordBytes = coordBytes;
    this.orderBits = orderBits;
    this.elementSize = (<usize>limbs) << 2;
    this.fp = new MontgomeryDomain(
      limbs,
      p,
      pR2,
      pInv,
      curve == EcCurve.P256 ? MontgomeryKernel.P256Field : MontgomeryKernel.Generic,
    );
    this.fn = new MontgomeryDomain(limbs, n, nR2, nInv);
    this.p = limbsPtr(p);
    this.n = limbsPtr(n);
    this.b = limbsPtr(b);
    this.gx = limbsPtr(gx);
    this.gy = limbsPtr(gy);
    this.scratchLimbs = newLimbs(SCRATCH_ELEMENTS * limbs);
  }

  /** Pointer to scratch field element `i` (0 ≤ i < 20). */
  // @ts-ignore: decorator
  @inline scratch(i: i32): usize {
    return limbsPtr(this.scratchLimbs) + this.elementSize * <usize>i;
  }
}

let p256: CurveContext | null = null;
let p384: CurveContext | null = null;
let p521: CurveContext | null = null;

/** The context of a curve, built once; null for a value that is not an EcCurve. */
export function curveContext(curve: EcCurve): CurveContext | null {
  if (curve == EcCurve.P256) {
    let c = p256;
    if (c === null)
      p256 = c = new CurveContext(
        curve,
        8,
        32,
        256,
        P256_P,
        P256_N,
        P256_P_R2,
        P256_N_R2,
        P256_P_INV32,
        P256_N_INV32,
        P256_B_MONT,
        P256_GX_MONT,
        P256_GY_MONT,
      );
    return c;
  }
  if (curve == EcCurve.P384) {
    let c = p384;
    if (c === null)
      p384 = c = new CurveContext(
        curve,
        12,
        48,
        384,
        P384_P,
        P384_N,
        P384_P_R2,
        P384_N_R2,
        P384_P_INV32,
        P384_N_INV32,
        P384_B_MONT,
        P384_GX_MONT,
        P384_GY_MONT,
      );
    return c;
  }
  if (curve == EcCurve.P521) {
    let c = p521;
    if (c === null)
      p521 = c = new CurveContext(
        curve,
        17,
        66,
        521,
        P521_P,
        P521_N,
        P521_P_R2,
        P521_N_R2,
        P521_P_INV32,
        P521_N_INV32,
        P521_B_MONT,
        P521_GX_MONT,
        P521_GY_MONT,
      );
    return c;
  }
  return null;
}
