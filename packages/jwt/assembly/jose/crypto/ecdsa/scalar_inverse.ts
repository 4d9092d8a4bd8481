// SPDX-License-Identifier: Apache-2.0
// Modular inversion by Bernstein–Yang divsteps ("safegcd", https://eprint.iacr.org/2019/266),
// variable time since every input is public (s mod n; Z products mod p when building tables). 30 divsteps at a time are decided from the low 32 bits of f and g alone,
// giving a 2×2 matrix that is then applied to the full numbers in 30-bit limbs (products fit in
// i64). About six times fewer operations than Fermat's s^(n−2) with 256 squarings.

// @ts-ignore: decorator
@inline const BATCH: i32 = 30;
// @ts-ignore: decorator
@inline const MASK30: i64 = 0x3fffffff;

export class DivstepInverter {
  /** Number of 30-bit limbs: room for values up to 2m in two's complement. */
  private readonly limbs: i32;
  /** m in 30-bit limbs, and m⁻¹ mod 2^30. */
  private readonly modulus: StaticArray<i64>;
  private readonly modulusInv30: i64;
  /** Invariants: f ≡ d·x and g ≡ e·x (mod m); f starts as m, g as x. */
  private readonly f: StaticArray<i64>;
  private readonly g: StaticArray<i64>;
  private readonly d: StaticArray<i64>;
  private readonly e: StaticArray<i64>;
  /** More batches than the proven divstep bound for `bits`-bit inputs: a guard, never reached. */
  private readonly maxBatches: i32;
  // Transition matrix of the last batch: 2^30·(f', g') = (u·f + v·g, q·f + r·g).
  private u: i64 = 0;
  private v: i64 = 0;
  private q: i64 = 0;
  private r: i64 = 0;

  /** For the odd modulus at `m` (`limbs32` 32-bit limbs, `bits` significant bits). */
  constructor(
    m: usize,
    private readonly limbs32: i32,
    bits: i32,
  ) {
    const limbs = (bits + 2 + BATCH - 1) / BATCH;
    const modulus = new StaticArray<i64>(limbs);
    toLimbs30(modulus, m, limbs32);
    // Newton's iteration doubles the correct low bits of m⁻¹ each time: 3 → 6 → 12 → 24 → 48.
    const m0 = <u32>unchecked(modulus[0]);
    let inv: u32 = m0;
    for (let i = 0; i < 4; i++) inv *= 2 - m0 * inv;
    this.limbs = limbs;
    this.modulus = modulus;
    this.modulusInv30 = (<i64>inv) & MASK30;
    this.f = new StaticArray<i64>(limbs);
    this.g = new StaticArray<i64>(limbs);
    this.d = new StaticArray<i64>(limbs);
    this.e = new StaticArray<i64>(limbs);
    // Bernstein–Yang §11: at most ⌊(49·bits + 80)/17⌋ divsteps when starting from δ = 1.
    this.maxBatches = (49 * bits + 80) / 17 / BATCH + 2;
  }

  /**
   * out = x⁻¹ mod m for the number at `x` (32-bit limbs, 0 < x < m); both pointers to `limbs32`
   * limbs. Returns false, leaving `out` unspecified, when x has no inverse (x = 0).
   */
  invert(out: usize, x: usize): bool {
    const n = this.limbs;
    const f = this.f,
      g = this.g,
      d = this.d,
      e = this.e;
    for (let i = 0; i < n; i++) {
      unchecked((f[i] = this.modulus[i]));
      unchecked((d[i] = 0));
      unchecked((e[i] = 0));
    }
    unchecked((e[0] = 1));
    toLimbs30(g, x, this.limbs32);
    let delta: i32 = 1;
    let batches = 0;
    while (!isZero(g, n)) {
      if (++batches > this.maxBatches) return false;
      delta = this.divsteps(delta, low32(f), low32(g));
      this.update(f, g, false);
      this.update(d, e, true);
    }
    // Now f = gcd = ±1 exactly when x was invertible, and x⁻¹ = ±d.
    const negative = unchecked(f[n - 1]) < 0;
    for (let i = 1; i < n; i++) {
      const limb = unchecked(f[i]);
      if (limb != (negative ? (i == n - 1 ? -1 : MASK30) : 0)) return false;
    }
    if (unchecked(f[0]) != (negative ? MASK30 : 1)) return false;
    if (negative && !isZero(d, n)) {
      // d ← m − d
      let c: i64 = 0;
      for (let i = 0; i < n; i++) {
        c += unchecked(this.modulus[i]) - unchecked(d[i]);
        if (i < n - 1) {
          unchecked((d[i] = c & MASK30));
          c >>= 30;
        } else {
          unchecked((d[i] = c));
        }
      }
    }
    fromLimbs30(out, d, this.limbs32);
    return true;
  }

  /** 30 divsteps on the low bits of f and g; records the matrix, returns the new δ. */
  private divsteps(delta: i32, f: u32, g: u32): i32 {
    let u: i64 = 1,
      v: i64 = 0,
      q: i64 = 0,
      r: i64 = 1;
    for (let i = 0; i < BATCH; i++) {
      if ((g & 1) == 0) {
        delta = 1 + delta;
        g >>= 1;
        u <<= 1;
        v <<= 1;
      } else if (delta > 0) {
        // (δ, f, g) ← (1 − δ, g, (g − f)/2)
        delta = 1 - delta;
        const nf = g;
        g = (g - f) >> 1;
        f = nf;
        const nu = q << 1,
          nv = r << 1;
        q -= u;
        r -= v;
        u = nu;
        v = nv;
      } else {
        // (δ, f, g) ← (1 + δ, f, (g + f)/2)
        delta = 1 + delta;
        g = (g + f) >> 1;
        q += u;
        r += v;
        u <<= 1;
        v <<= 1;
      }
    }
    this.u = u;
    this.v = v;
    this.q = q;
    this.r = r;
    return delta;
  }

  /**
   * (a, b) ← (u·a + v·b, q·a + r·b) / 2^30 with the last batch's matrix: one routine for both pairs,
   * so the module holds one copy of the loop. For (f, g) the sums are exact multiples of 2^30 by
   * construction of the matrix (`modular` false: no correction is added). For (d, e) (`modular`)
   * the multiple of m that makes each sum divisible by 2^30 is added (as in a Montgomery
   * reduction); from [0, m) the results land in (−m, 2m), and one add or subtract of m brings
   * them back.
   */
  private update(a: StaticArray<i64>, b: StaticArray<i64>, modular: bool): void {
    const n = this.limbs;
    const m = this.modulus;
    const u = this.u,
      v = this.v,
      q = this.q,
      r = this.r;
    const a0 = unchecked(a[0]),
      b0 = unchecked(b[0]),
      m0 = unchecked(m[0]);
    let ca = u * a0 + v * b0;
    let cb = q * a0 + r * b0;
    const ka = modular ? ((0 - ca) * this.modulusInv30) & MASK30 : 0;
    const kb = modular ? ((0 - cb) * this.modulusInv30) & MASK30 : 0;
    ca = (ca + ka * m0) >> 30;
    cb = (cb + kb * m0) >> 30;
    for (let i = 1; i < n; i++) {
      const ai = unchecked(a[i]),
        bi = unchecked(b[i]),
        mi = unchecked(m[i]);
      ca += u * ai + v * bi + ka * mi;
      cb += q * ai + r * bi + kb * mi;
      unchecked((a[i - 1] = ca & MASK30));
      unchecked((b[i - 1] = cb & MASK30));
      ca >>= 30;
      cb >>= 30;
    }
    unchecked((a[n - 1] = ca));
    unchecked((b[n - 1] = cb));
    if (modular) {
      this.reduce(a);
      this.reduce(b);
    }
  }

  /** a ∈ (−m, 2m) → a mod m ∈ [0, m). */
  private reduce(a: StaticArray<i64>): void {
    const n = this.limbs;
    if (unchecked(a[n - 1]) < 0) {
      addSigned(a, this.modulus, n, 1);
      return;
    }
    addSigned(a, this.modulus, n, -1);
    if (unchecked(a[n - 1]) < 0) addSigned(a, this.modulus, n, 1);
  }
}

/** a += sign·m over 30-bit limbs (top limb signed). */
function addSigned(a: StaticArray<i64>, m: StaticArray<i64>, n: i32, sign: i64): void {
  let c: i64 = 0;
  for (let i = 0; i < n - 1; i++) {
    c += unchecked(a[i]) + sign * unchecked(m[i]);
    unchecked((a[i] = c & MASK30));
    c >>= 30;
  }
  unchecked((a[n - 1] = unchecked(a[n - 1]) + sign * unchecked(m[n - 1]) + c));
}

function isZero(a: StaticArray<i64>, n: i32): bool {
  let acc: i64 = 0;
  for (let i = 0; i < n; i++) acc |= unchecked(a[i]);
  return acc == 0;
}

/** The low 32 bits of a two's-complement number in 30-bit limbs. */
// @ts-ignore: decorator
@inline function low32(a: StaticArray<i64>): u32 {
  return <u32>(unchecked(a[0]) | (unchecked(a[1]) << 30));
}

/** 32-bit limbs at `src` (non-negative) → 30-bit limbs filling `dst`. */
function toLimbs30(dst: StaticArray<i64>, src: usize, limbs32: i32): void {
  const n = dst.length;
  for (let i = 0; i < n; i++) {
    const bit = i * BATCH;
    const word = bit >>> 5;
    let window: u64 = 0;
    if (word < limbs32) window = <u64>load<u32>(src + ((<usize>word) << 2));
    if (word + 1 < limbs32) window |= (<u64>load<u32>(src + ((<usize>(word + 1)) << 2))) << 32;
    unchecked((dst[i] = (<i64>(window >> (bit & 31))) & MASK30));
  }
}

/** 30-bit limbs of a number in [0, 2^(32·limbs32)) → 32-bit limbs at `dst`. */
function fromLimbs30(dst: usize, src: StaticArray<i64>, limbs32: i32): void {
  let acc: u64 = 0;
  let bits = 0;
  let out = 0;
  for (let i = 0; i < src.length && out < limbs32; i++) {
    acc |= (<u64>unchecked(src[i])) << bits;
    bits += BATCH;
    if (bits >= 32) {
      store<u32>(dst + ((<usize>out) << 2), <u32>acc);
      out++;
      acc >>= 32;
      bits -= 32;
    }
  }
  for (; out < limbs32; out++) {
    store<u32>(dst + ((<usize>out) << 2), <u32>acc);
    acc >>= 32;
  }
}
