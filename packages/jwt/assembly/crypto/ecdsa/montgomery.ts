// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo an odd number m below 2^(32·limbs) in Montgomery form (x·R mod m, R = 2^(32·limbs)),
// for limbs = 8, 12 or 17 (the sizes of P-256, P-384 and P-521),
// used both for the curve field (mod p) and for the scalars (mod n). Operands and results are
// raw pointers to `limbs` little-endian 32-bit limbs, always fully reduced (< m), so equality of
// residues is equality of limbs. Results may alias operands.

import { limbsAdd, limbsSub, limbsCompare, limbsPtr, newLimbs } from "./limbs";
import { DivstepInverter } from "./scalar_inverse";
import { p256Add, p256Mul, p256Sqr, p256Sub } from "./p256_field";
import { montMul8, montMul12, montMul17 } from "./montgomery_limbs";

/** Which multiplication a domain uses. */
export const enum MontgomeryKernel {
  /** Any odd modulus of 8, 12 or 17 limbs (montgomery_limbs.ts), picked by the limb count. */
  Generic = 0,
  /** The P-256 field prime, with its own add and sub too (p256_field.ts). */
  P256Field = 1,
}

export class MontgomeryDomain {
  /** Pointer to the modulus limbs (kept alive by `modulusLimbs`). */
  readonly m: usize;
  /** R mod m, the Montgomery form of 1. */
  readonly one: usize;
  /** R² mod m: multiplying by it converts into Montgomery form. */
  readonly r2: usize;

  /** Inverts plain numbers mod m (used directly for s⁻¹ mod n). */
  readonly inverter: DivstepInverter;

  private modulusLimbs: StaticArray<u32>;
  private oneLimbs: StaticArray<u32>;
  private r2Limbs: StaticArray<u32>;

  constructor(
    readonly limbs: i32,
    modulus: StaticArray<u32>,
    r2: StaticArray<u32>,
    /** -m^-1 mod 2^32 */
    readonly inv32: u32,
    readonly kernel: MontgomeryKernel = MontgomeryKernel.Generic,
  ) {
    this.modulusLimbs = modulus;
    this.m = limbsPtr(modulus);
    this.r2Limbs = r2;
    this.r2 = limbsPtr(r2);
    this.inverter = new DivstepInverter(limbsPtr(modulus), limbs, 32 * limbs);
    const one = newLimbs(limbs);
    const plainOne = newLimbs(limbs);
    plainOne[0] = 1;
    this.oneLimbs = one;
    this.one = limbsPtr(one);
    this.mul(this.one, limbsPtr(plainOne), this.r2); // 1·R²·R⁻¹ = R
  }

  /** out = a·b·R⁻¹ mod m. */
  mul(out: usize, a: usize, b: usize): void {
    const n = this.limbs;
    if (this.kernel == MontgomeryKernel.P256Field) p256Mul(out, a, b);
    else if (n == 8) montMul8(out, a, b, this.m, this.inv32);
    else if (n == 12) montMul12(out, a, b, this.m, this.inv32);
    else montMul17(out, a, b, this.m, this.inv32);
  }

  sqr(out: usize, a: usize): void {
    if (this.kernel == MontgomeryKernel.P256Field) p256Sqr(out, a);
    else this.mul(out, a, a);
  }

  /** out = a + b mod m. */
  add(out: usize, a: usize, b: usize): void {
    if (this.kernel == MontgomeryKernel.P256Field) {
      p256Add(out, a, b);
      return;
    }
    const n = this.limbs;
    const carry = limbsAdd(out, a, b, n);
    if (carry != 0 || limbsCompare(out, this.m, n) >= 0) limbsSub(out, out, this.m, n);
  }

  /** out = a - b mod m. */
  sub(out: usize, a: usize, b: usize): void {
    if (this.kernel == MontgomeryKernel.P256Field) {
      p256Sub(out, a, b);
      return;
    }
    const n = this.limbs;
    if (limbsSub(out, a, b, n) != 0) limbsAdd(out, out, this.m, n);
  }

  /** out = a·R mod m from a plain a < m. */
  // @ts-ignore: decorator
  @inline toMont(out: usize, a: usize): void {
    this.mul(out, a, this.r2);
  }

  /**
   * out = a⁻¹ (Montgomery form in, Montgomery form out), by divsteps then two multiplications by
   * R² to turn (aR)⁻¹ into a⁻¹R. Returns false for a = 0.
   */
  inv(out: usize, a: usize): bool {
    if (!this.inverter.invert(out, a)) return false;
    this.mul(out, out, this.r2);
    this.mul(out, out, this.r2);
    return true;
  }
}
