// SPDX-License-Identifier: Apache-2.0
// Arithmetic modulo an odd number m below 2^(32·limbs) in Montgomery form (x·R mod m, R = 2^(32·limbs)),
// used both for the curve field (mod p) and for the scalars (mod n). Operands and results are
// raw pointers to `limbs` little-endian 32-bit limbs, always fully reduced (< m), so equality of
// residues is equality of limbs. Results may alias operands.

import { limbsAdd, limbsSub, limbsCompare, limbsCopy, limbsPtr, newLimbs } from "../limbs";
import { DivstepInverter } from "./scalar_inverse";
import { p256Add, p256Mul, p256Sub } from "./p256_field";
import { p256MulSimd } from "./p256_mul_simd";

/** Which multiplication a domain uses. */
export const enum MontgomeryKernel {
  /** Any odd modulus: loops over limbs in memory. */
  Generic = 0,
  /** The P-256 field prime: unrolled mul, add and sub (p256_field.ts; mul by p256_mul_simd.ts with SIMD). */
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
  /** Accumulator of the generic multiplication, limbs + 2 words. */
  private acc: StaticArray<u32>;

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
    this.acc = newLimbs(limbs + 2);
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
    if (this.kernel == MontgomeryKernel.P256Field) {
      // With SIMD, the vector kernel: the same results in about half the code.
      if (ASC_FEATURE_SIMD) p256MulSimd(out, a, b);
      else p256Mul(out, a, b);
      return;
    }
    // Coarsely integrated operand scanning over an accumulator in memory: slower than an
    // unrolled kernel, but small, and only P-384/P-521 (and three products mod n) use it.
    const n = this.limbs;
    const t = limbsPtr(this.acc);
    const m = this.m;
    const inv = this.inv32;
    memory.fill(t, 0, (<usize>(n + 2)) << 2);
    for (let i = 0; i < n; i++) {
      const ai = <u64>load<u32>(a + ((<usize>i) << 2));
      let c: u64 = 0;
      for (let j = 0; j < n; j++) {
        const off = (<usize>j) << 2;
        c += <u64>load<u32>(t + off) + ai * <u64>load<u32>(b + off);
        store<u32>(t + off, <u32>c);
        c >>= 32;
      }
      c += <u64>load<u32>(t + ((<usize>n) << 2));
      store<u32>(t + ((<usize>n) << 2), <u32>c);
      store<u32>(t + ((<usize>(n + 1)) << 2), <u32>(c >> 32));
      // Add q·m with q chosen so the low limb becomes zero, then shift down one limb.
      // Kept in a u32 first: a u64 context would widen the product instead of wrapping it mod 2^32.
      const q32: u32 = load<u32>(t) * inv;
      const q = <u64>q32;
      c = (<u64>load<u32>(t) + q * <u64>load<u32>(m)) >> 32;
      for (let j = 1; j < n; j++) {
        const off = (<usize>j) << 2;
        c += <u64>load<u32>(t + off) + q * <u64>load<u32>(m + off);
        store<u32>(t + off - 4, <u32>c);
        c >>= 32;
      }
      c += <u64>load<u32>(t + ((<usize>n) << 2));
      store<u32>(t + ((<usize>(n - 1)) << 2), <u32>c);
      store<u32>(t + ((<usize>n) << 2), load<u32>(t + ((<usize>(n + 1)) << 2)) + <u32>(c >> 32));
    }
    // t < 2m: one conditional subtraction gives the canonical residue.
    if (load<u32>(t + ((<usize>n) << 2)) != 0 || limbsCompare(t, m, n) >= 0) limbsSub(t, t, m, n);
    limbsCopy(out, t, n);
  }

  // @ts-ignore: decorator
  @inline sqr(out: usize, a: usize): void {
    this.mul(out, a, a);
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
