// SPDX-License-Identifier: Apache-2.0
// HMAC (RFC 2104) over SHA-256/384/512 and the JWS HS* check with a constant-time, full-tag compare.
import { HashAlg, Hasher, hashLength, hashBlockLength } from "./hash";
import { constantTimeEqualUnsafe } from "./ct_equal";

/**
 * An HMAC key imported once: the hash states after the inner and outer padded key blocks are
 * kept, so a verify hashes only the message and the inner digest, and allocates nothing.
 * Keys of any length are accepted here (RFC 2104); the RFC 7518 §3.2 minimum (a key at least as
 * long as the hash) is a policy for the JWT layer (`KeyError.WeakKey`).
 */
export class HmacKey {
  private inner: Hasher;
  private outer: Hasher;
  private work: Hasher;
  private innerDigest: Uint8Array;
  private expected: Uint8Array;

  /** `alg` must be a HashAlg (use `importHmacKey` for values from outside). */
  constructor(
    readonly alg: HashAlg,
    key: Uint8Array,
  ) {
    const blockLength = hashBlockLength(alg);
    const work = new Hasher(alg);
    const digestLength = work.digestLength;
    let k = key;
    if (key.length > blockLength) {
      work.update(key);
      k = work.finish();
    }
    const pad = new Uint8Array(blockLength);
    for (let i = 0; i < blockLength; i++) unchecked((pad[i] = (i < k.length ? unchecked(k[i]) : 0) ^ 0x36));
    const inner = new Hasher(alg);
    inner.update(pad);
    // 0x36 ^ 0x5c turns each inner pad byte into the outer one.
    for (let i = 0; i < blockLength; i++) unchecked((pad[i] ^= 0x6a));
    const outer = new Hasher(alg);
    outer.update(pad);
    this.inner = inner;
    this.outer = outer;
    this.work = work;
    this.innerDigest = new Uint8Array(digestLength);
    this.expected = new Uint8Array(digestLength);
  }

  get tagLength(): i32 {
    return this.expected.length;
  }

  /** The full-length tag of `msg`. */
  sign(msg: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.tagLength);
    this.signUnsafe(msg.dataStart, msg.length, out.dataStart);
    return out;
  }

  /** Writes the tag of the `len` bytes at `ptr` to `out` (tagLength bytes). */
  signUnsafe(ptr: usize, len: i32, out: usize): void {
    const h = this.work;
    h.copyFrom(this.inner);
    h.updateUnsafe(ptr, len);
    const innerDigest = this.innerDigest;
    h.finishInto(innerDigest.dataStart);
    h.copyFrom(this.outer);
    h.update(innerDigest);
    h.finishInto(out);
  }

  /**
   * True when `tag` is the full HMAC of `msg`. A truncated tag is rejected: JWS (RFC 7518 §3.2)
   * never truncates, and accepting a prefix would let a forger guess fewer bits.
   */
  verify(msg: Uint8Array, tag: Uint8Array): bool {
    const expected = this.expected;
    const n = expected.length;
    if (tag.length != n) return false;
    this.signUnsafe(msg.dataStart, msg.length, expected.dataStart);
    return constantTimeEqualUnsafe(expected.dataStart, tag.dataStart, n);
  }
}

/** Imports an HMAC key; null only for a value of `alg` that is not a HashAlg. */
export function importHmacKey(alg: HashAlg, key: Uint8Array): HmacKey | null {
  if (hashLength(alg) == 0) return null;
  return new HmacKey(alg, key);
}

/** HMAC of `msg` under `key`; an empty array for an unknown alg. */
export function hmac(alg: HashAlg, key: Uint8Array, msg: Uint8Array): Uint8Array {
  const k = importHmacKey(alg, key);
  return k === null ? new Uint8Array(0) : k.sign(msg);
}

/**
 * JWS HS256/384/512 check from raw key bytes: full-length tag, constant-time compare, false for
 * an unknown alg. A caller verifying many tokens with one key should keep an `HmacKey`.
 */
export function hmacVerify(alg: HashAlg, key: Uint8Array, msg: Uint8Array, tag: Uint8Array): bool {
  const k = importHmacKey(alg, key);
  return k !== null && k.verify(msg, tag);
}
