// SPDX-License-Identifier: Apache-2.0
// Montgomery multiplication, portable version: FIOS (the product and reduction rows interleaved
// in one pass) on 32-bit limbs with 64-bit intermediate sums.
import { reduceOnce } from "./bignum";

/**
 * out = a·b·R⁻¹ mod n with R = 2^(32·limbs); a, b < n; `scratch` holds at least limbs + 2 u32.
 * out may alias a or b (the result is built in scratch and copied at the end).
 */
export function montgomeryMultiplyScalar(out: usize, a: usize, b: usize, n: usize, negInverse: u32, limbs: i32, scratch: usize): void {
  const t = scratch;
  const size = <usize>limbs << 2;
  memory.fill(t, 0, size + 8);
  const a0 = <u64>load<u32>(a);
  const n0 = <u64>load<u32>(n);
  for (let i: usize = 0; i < size; i += 4) {
    const bi = <u64>load<u32>(b + i);
    // Column 0: choose m so that the low limb of t + a·bi + m·n is zero.
    let s = <u64>load<u32>(t) + a0 * bi;
    let carryProduct = s >>> 32;
    const m = <u64>(<u32>s * negInverse);
    let carryReduce = ((s & 0xffffffff) + m * n0) >>> 32;
    for (let j: usize = 4; j < size; j += 4) {
      s = <u64>load<u32>(t + j) + <u64>load<u32>(a + j) * bi + carryProduct;
      carryProduct = s >>> 32;
      const r = (s & 0xffffffff) + <u64>load<u32>(n + j) * m + carryReduce;
      carryReduce = r >>> 32;
      store<u32>(t + j - 4, <u32>r);
    }
    s = <u64>load<u32>(t + size) + carryProduct + carryReduce;
    store<u32>(t + size - 4, <u32>s);
    store<u32>(t + size, <u32>(s >>> 32));
  }
  reduceOnce(t, load<u32>(t + size), n, limbs);
  memory.copy(out, t, size);
}
