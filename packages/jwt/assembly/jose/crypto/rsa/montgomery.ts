// SPDX-License-Identifier: Apache-2.0
// Montgomery arithmetic modulo an odd RSA modulus with 28- or 32-bit limbs and 64-bit products;
// every constant that depends only on the modulus is computed once, when the key is imported.
import { LIMB_BITS, limbCount, limbsFromBytes, doubleModulo } from "./bignum";
import { montgomeryMultiplyScalar, montgomerySquareScalar } from "./montgomery_scalar";
import { montgomeryMultiplySimd, montgomeryReduceSimd, montgomerySquareSimd } from "./montgomery_simd";

/**
 * A modulus n ready for Montgomery multiplication with R = 2^(LIMB_BITS·limbs) (LIMB_BITS is 28 in
 * SIMD builds, 32 otherwise). `limbs` is rounded up to a multiple of 4 (zero high limbs are
 * harmless: n < R still holds) so vector code can step by 4.
 */
export class MontgomeryModulus {
  readonly limbs: i32;
  /** n, little-endian limbs. */
  readonly modulus: StaticArray<u32>;
  /** R² mod n: multiplying by it enters the Montgomery domain. */
  readonly rSquared: StaticArray<u32>;
  /** -n⁻¹ mod 2³² (its low LIMB_BITS bits are -n⁻¹ mod 2^LIMB_BITS). */
  readonly negInverse: u32;
  /** Scratch for one product: 2·limbs + 8 u64 columns (the portable path uses 2·limbs u32 of it). */
  private scratch: StaticArray<u64>;

  /** `bytes` is the big-endian modulus without leading zeros; the caller has checked it is odd. */
  constructor(bytes: usize, len: i32) {
    const limbs = limbCount(len);
    this.limbs = limbs;
    const n = new StaticArray<u32>(limbs + 4);
    limbsFromBytes(changetype<usize>(n), limbs, bytes, len);
    this.modulus = n;
    this.negInverse = negativeInverse32(unchecked(n[0]));
    this.scratch = new StaticArray<u64>(2 * limbs + 8);
    this.rSquared = new StaticArray<u32>(limbs + 4);
    this.computeRSquared();
  }

  /**
   * out = a·b·R⁻¹ mod n, fully reduced; a, b < n, each with 4 zero limbs past `limbs` (see
   * `newOperand`); out may alias a or b.
   */
  // @ts-ignore: decorator
  @inline multiply(out: usize, a: usize, b: usize): void {
    if (ASC_FEATURE_SIMD) {
      montgomeryMultiplySimd(
        out,
        a,
        b,
        changetype<usize>(this.modulus),
        this.negInverse,
        this.limbs,
        changetype<usize>(this.scratch),
      );
    } else {
      montgomeryMultiplyScalar(
        out,
        a,
        b,
        changetype<usize>(this.modulus),
        this.negInverse,
        this.limbs,
        changetype<usize>(this.scratch),
      );
    }
  }

  /** out = a²·R⁻¹ mod n; as `multiply(out, a, a)`, about a quarter faster. */
  // @ts-ignore: decorator
  @inline square(out: usize, a: usize): void {
    if (ASC_FEATURE_SIMD) {
      montgomerySquareSimd(
        out,
        a,
        changetype<usize>(this.modulus),
        this.negInverse,
        this.limbs,
        changetype<usize>(this.scratch),
      );
    } else {
      montgomerySquareScalar(
        out,
        a,
        changetype<usize>(this.modulus),
        this.negInverse,
        this.limbs,
        changetype<usize>(this.scratch),
      );
    }
  }

  /** A zeroed operand buffer: `limbs` limbs plus the 4 zero limbs the vector code may read. */
  newOperand(): StaticArray<u32> {
    return new StaticArray<u32>(this.limbs + 4);
  }

  /**
   * out = base^exponent mod n for a plain (non-Montgomery) base < n and a big-endian exponent of
   * at least one bit; `tmp` is `limbs` limbs of scratch. Left-to-right square-and-multiply: the
   * exponent is public, so nothing here needs to be constant-time.
   */
  powModulo(out: usize, base: usize, exponent: usize, exponentLen: i32, tmp: usize): void {
    const rr = changetype<usize>(this.rSquared);
    this.multiply(tmp, base, rr); // tmp = base·R mod n
    memory.copy(out, tmp, (<usize>this.limbs) << 2);
    let started = false;
    for (let i = 0; i < exponentLen; i++) {
      const byte = <u32>load<u8>(exponent + <usize>i);
      for (let bit = 7; bit >= 0; bit--) {
        const set = (byte >>> (<u32>bit)) & 1;
        if (!started) {
          // The first set bit is the copy above.
          if (set != 0) started = true;
          continue;
        }
        this.square(out, out);
        if (set != 0) this.multiply(out, out, tmp);
      }
    }
    // Leave the Montgomery domain: multiply by plain 1 (with SIMD, a reduction alone).
    if (ASC_FEATURE_SIMD) {
      montgomeryReduceSimd(
        out,
        out,
        changetype<usize>(this.modulus),
        this.negInverse,
        this.limbs,
        changetype<usize>(this.scratch),
      );
    } else {
      memory.fill(tmp, 0, (<usize>this.limbs) << 2);
      store<u32>(tmp, 1);
      this.multiply(out, out, tmp);
    }
  }

  /**
   * R² mod n without division: start from 2^(bits-1) < n, double up to R·2^a mod n with
   * a = LIMB_BITS·limbs/4, then two Montgomery squarings (each maps R·2^t to R·2^(2t)) give
   * R·2^(4a) = R·R.
   */
  private computeRSquared(): void {
    const limbs = this.limbs;
    const n = changetype<usize>(this.modulus);
    const x = changetype<usize>(this.rSquared);
    const bits = modulusBits(n, limbs);
    memory.fill(x, 0, (<usize>limbs) << 2);
    const top = bits - 1;
    store<u32>(x + ((<usize>(top / LIMB_BITS)) << 2), (<u32>1) << <u32>(top % LIMB_BITS));
    const a = (LIMB_BITS * limbs) >>> 2;
    const doublings = LIMB_BITS * limbs - top + a;
    for (let i = 0; i < doublings; i++) doubleModulo(x, n, limbs);
    this.square(x, x);
    this.square(x, x);
  }
}

/** -n0⁻¹ mod 2³² for odd n0 (Newton iteration doubles the correct low bits each step). */
function negativeInverse32(n0: u32): u32 {
  let inv: u32 = n0; // correct to 3 bits for odd n0
  for (let i = 0; i < 4; i++) inv *= 2 - n0 * inv;
  return 0 - inv;
}

function modulusBits(n: usize, limbs: i32): i32 {
  for (let i = limbs - 1; i >= 0; i--) {
    const v = load<u32>(n + ((<usize>i) << 2));
    if (v != 0) return i * LIMB_BITS + 32 - <i32>clz<u32>(v);
  }
  return 0;
}
