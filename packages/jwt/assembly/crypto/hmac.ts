// SPDX-License-Identifier: Apache-2.0
// HMAC (RFC 2104) over SHA-256/384/512 and the JWS HS* check with a constant-time, full-tag compare.
import { HashAlg, Hasher, hashLength, hashBlockLength } from "./hash";
import { constantTimeEqualUnsafe } from "./ct_equal";

/**
 * An HMAC key prepared once: the inner and outer padded key blocks, so a verify only streams the
 * message. Keys of any length are accepted here (RFC 2104); the RFC 7518 §3.2 minimum (key at
 * least as long as the hash) is a policy for the JWT layer (`KeyError.WeakKey`).
 */
export class HmacKey {
  private innerPad: Uint8Array;
  private outerPad: Uint8Array;
  private hasher: Hasher;
  private innerDigest: Uint8Array;

  constructor(readonly alg: HashAlg, key: Uint8Array) {
    const blockLength = hashBlockLength(alg);
    const hasher = new Hasher(alg);
    this.hasher = hasher;
    this.innerDigest = new Uint8Array(hasher.digestLength);
    let k = key;
    if (key.length > blockLength) {
      hasher.update(key);
      k = hasher.finish();
    }
    const inner = new Uint8Array(blockLength);
    const outer = new Uint8Array(blockLength);
    for (let i = 0; i < blockLength; i++) {
      const b: u8 = i < k.length ? unchecked(k[i]) : 0;
      unchecked((inner[i] = b ^ 0x36));
      unchecked((outer[i] = b ^ 0x5c));
    }
    this.innerPad = inner;
    this.outerPad = outer;
  }

  /** The full-length tag of `msg`. */
  sign(msg: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.hasher.digestLength);
    this.signUnsafe(msg.dataStart, msg.length, out.dataStart);
    return out;
  }

  /** Writes the tag of `len` bytes at `ptr` to `out` (digestLength bytes). */
  signUnsafe(ptr: usize, len: i32, out: usize): void {
    const h = this.hasher;
    h.reset();
    h.update(this.innerPad);
    h.updateUnsafe(ptr, len);
    const innerDigest = this.innerDigest;
    h.finishInto(innerDigest.dataStart);
    h.update(this.outerPad);
    h.update(innerDigest);
    h.finishInto(out);
  }

  /**
   * True when `tag` is the full HMAC of `msg`. A truncated tag is rejected: JWS (RFC 7518 §3.2)
   * never truncates, and accepting a prefix would let a forger guess fewer bits.
   */
  verify(msg: Uint8Array, tag: Uint8Array): bool {
    const n = this.hasher.digestLength;
    if (tag.length != n) return false;
    const expected = this.sign(msg);
    return constantTimeEqualUnsafe(expected.dataStart, tag.dataStart, n);
  }
}

/** HMAC of `msg` under `key`; an empty array for an unknown alg. */
export function hmac(alg: HashAlg, key: Uint8Array, msg: Uint8Array): Uint8Array {
  if (hashLength(alg) == 0) return new Uint8Array(0);
  return new HmacKey(alg, key).sign(msg);
}

/** JWS HS256/384/512 check: full-length tag, constant-time compare, false for an unknown alg. */
export function hmacVerify(alg: HashAlg, key: Uint8Array, msg: Uint8Array, tag: Uint8Array): bool {
  if (hashLength(alg) == 0) return false;
  return new HmacKey(alg, key).verify(msg, tag);
}
