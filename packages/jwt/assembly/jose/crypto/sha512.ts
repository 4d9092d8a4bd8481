// SPDX-License-Identifier: Apache-2.0
// SHA-512 and SHA-384 (FIPS 180-4): one streaming class for both and one-shot helpers.
import { absorb, padAndCompress } from "./md_blocks";

// @ts-ignore: decorator
@lazy const K512: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
  0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
  0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
  0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
  0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
  0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
  0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
  0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
  0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
  0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
  0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
  0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
  0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

// Initial hash values (FIPS 180-4 §5.3.4, §5.3.5), copied in by reset(): data takes less room
// than sixteen stores of 64-bit constants.
// @ts-ignore: decorator
@lazy const IV512: usize = memory.data<u64>([
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1, 0x510e527fade682d1,
  0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
]);
// @ts-ignore: decorator
@lazy const IV384: usize = memory.data<u64>([
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939, 0x67332667ffc00b31,
  0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
]);

// @ts-ignore: decorator
@inline function bigSigma0(x: u64): u64 {
  return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39);
}
// @ts-ignore: decorator
@inline function bigSigma1(x: u64): u64 {
  return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41);
}
// @ts-ignore: decorator
@inline function choose(x: u64, y: u64, z: u64): u64 {
  return z ^ (x & (y ^ z));
}
// @ts-ignore: decorator
@inline function majority(x: u64, y: u64, z: u64): u64 {
  return (x & y) | (z & (x | y));
}

/**
 * Incremental SHA-512, or SHA-384 when made with `new Sha512(true)` (other initial values, output
 * cut to 48 bytes). Each instance owns its state, schedule and partial block.
 */
export class Sha512 {
  private state: StaticArray<u64> = new StaticArray<u64>(8);
  private schedule: StaticArray<u64> = new StaticArray<u64>(80);
  /** The partial block (this and the next two fields are read by md_blocks.ts). */
  block: StaticArray<u8> = new StaticArray<u8>(128);
  /** Bytes waiting in `block` (always < 128 between calls). */
  blockFill: i32 = 0;
  /** Message length in bytes; inputs here never reach 2^64 bytes, so the upper length word is 0. */
  totalBytes: u64 = 0;

  constructor(readonly is384: bool = false) {
    this.reset();
  }

  /** Digest length in bytes: 48 for SHA-384, 64 for SHA-512. */
  get digestLength(): i32 {
    return this.is384 ? 48 : 64;
  }

  /** Starts a new message; the instance can be reused any number of times. */
  reset(): void {
    memory.copy(changetype<usize>(this.state), this.is384 ? IV384 : IV512, 64);
    this.blockFill = 0;
    this.totalBytes = 0;
  }

  /** Makes this instance continue from exactly where `other` is (same variant expected). */
  copyFrom(other: Sha512): void {
    memory.copy(changetype<usize>(this.state), changetype<usize>(other.state), 64);
    memory.copy(changetype<usize>(this.block), changetype<usize>(other.block), 128);
    this.blockFill = other.blockFill;
    this.totalBytes = other.totalBytes;
  }

  update(data: Uint8Array): void {
    this.updateUnsafe(data.dataStart, data.length);
  }

  /** Hashes `len` bytes at `ptr`; the caller guarantees the range is readable. */
  updateUnsafe(ptr: usize, len: i32): void {
    absorb<Sha512>(this, ptr, len, 128);
  }

  /** Pads, returns the digest (48 or 64 bytes) and resets the instance. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.digestLength);
    this.finishInto(out.dataStart);
    return out;
  }

  /** Writes the digest (48 or 64 bytes) at `out` and resets. */
  finishInto(out: usize): void {
    padAndCompress<Sha512>(this, 128, 16);
    const s = changetype<usize>(this.state);
    const n = <usize>this.digestLength;
    for (let i: usize = 0; i < n; i += 8) store<u64>(out + i, bswap<u64>(load<u64>(s + i)));
    this.reset();
  }

  /** One compression of the 128-byte block at `p` into the state. */
  compress(p: usize): void {
    const w = changetype<usize>(this.schedule);
    const k = changetype<usize>(K512);
    for (let i: usize = 0; i < 128; i += 8) store<u64>(w + i, bswap<u64>(load<u64>(p + i)));
    for (let i: usize = 128; i < 640; i += 8) {
      const w15 = load<u64>(w + i - 120);
      const w2 = load<u64>(w + i - 16);
      const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >>> 7);
      const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >>> 6);
      store<u64>(w + i, load<u64>(w + i - 128) + s0 + load<u64>(w + i - 56) + s1);
    }
    const s = changetype<usize>(this.state);
    let a = load<u64>(s, 0),
      b = load<u64>(s, 8),
      c = load<u64>(s, 16),
      d = load<u64>(s, 24);
    let e = load<u64>(s, 32),
      f = load<u64>(s, 40),
      g = load<u64>(s, 48),
      h = load<u64>(s, 56);
    // One round per iteration (see sha256.ts: the unrolled body costs module bytes, not speed).
    for (let i: usize = 0; i < 640; i += 8) {
      const t1 = h + bigSigma1(e) + choose(e, f, g) + load<u64>(k + i) + load<u64>(w + i);
      const t2 = bigSigma0(a) + majority(a, b, c);
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    store<u64>(s, load<u64>(s, 0) + a, 0);
    store<u64>(s, load<u64>(s, 8) + b, 8);
    store<u64>(s, load<u64>(s, 16) + c, 16);
    store<u64>(s, load<u64>(s, 24) + d, 24);
    store<u64>(s, load<u64>(s, 32) + e, 32);
    store<u64>(s, load<u64>(s, 40) + f, 40);
    store<u64>(s, load<u64>(s, 48) + g, 48);
    store<u64>(s, load<u64>(s, 56) + h, 56);
  }
}

// @ts-ignore: decorator
@lazy let sharedSha384: Sha512 | null = null;
// @ts-ignore: decorator
@lazy let sharedSha512: Sha512 | null = null;

/** One-shot SHA-384 of `msg` (reuses one lazily made instance, reset first). */
export function sha384(msg: Uint8Array): Uint8Array {
  let h = sharedSha384;
  if (h === null) sharedSha384 = h = new Sha512(true);
  h.reset();
  h.update(msg);
  return h.finish();
}

/** One-shot SHA-512 of `msg` (reuses one lazily made instance, reset first). */
export function sha512(msg: Uint8Array): Uint8Array {
  let h = sharedSha512;
  if (h === null) sharedSha512 = h = new Sha512(false);
  h.reset();
  h.update(msg);
  return h.finish();
}
