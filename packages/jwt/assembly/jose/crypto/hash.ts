// SPDX-License-Identifier: Apache-2.0
// The SHA-2 family used by JWS, chosen by value: digest, lengths and a streaming Hasher.
import { Sha256 } from "./sha256";
import { Sha512 } from "./sha512";
import { HashAlg } from "./hash_alg";
import { COMPILED_ALGS, algsWithHash } from "../jwt/algorithms";

export { HashAlg } from "./hash_alg";

/**
 * Whether SHA-384/512 are compiled in, read from the algorithm table: a module built with
 * `--use GETWILD_JWT_ALGS=<mask>` whose algorithms all hash with SHA-256 leaves them out (~2.7 KB):
 * hashLength and hashBlockLength then answer 0 for them, which every public entry point here
 * already rejects. A constant inside each function (the table's masks fold), so dead code goes.
 */
// @ts-ignore: decorator
@inline function largeHashes(): bool {
  return (COMPILED_ALGS & (algsWithHash(HashAlg.SHA384) | algsWithHash(HashAlg.SHA512))) != 0;
}

/** Digest length in bytes, or 0 for a value that is not a HashAlg (callers treat 0 as "reject"). */
export function hashLength(alg: HashAlg): i32 {
  if (alg == HashAlg.SHA256) return 32;
  if (largeHashes() && alg == HashAlg.SHA384) return 48;
  if (largeHashes() && alg == HashAlg.SHA512) return 64;
  return 0;
}

/** Compression block length in bytes (what HMAC pads keys to), or 0 for an unknown value. */
export function hashBlockLength(alg: HashAlg): i32 {
  if (alg == HashAlg.SHA256) return 64;
  if (largeHashes() && (alg == HashAlg.SHA384 || alg == HashAlg.SHA512)) return 128;
  return 0;
}

/**
 * A streaming hash of any HashAlg. An unknown alg behaves as SHA-256 here, so callers must check
 * `hashLength(alg) != 0` first (every public entry point in this folder does).
 */
export class Hasher {
  private small: Sha256 | null = null;
  private large: Sha512 | null = null;

  constructor(readonly alg: HashAlg) {
    if (largeHashes() && (alg == HashAlg.SHA384 || alg == HashAlg.SHA512))
      this.large = new Sha512(alg == HashAlg.SHA384);
    else this.small = new Sha256();
  }

  get digestLength(): i32 {
    const large = this.large;
    return largeHashes() && large !== null ? large.digestLength : 32;
  }

  reset(): void {
    const large = this.large;
    if (largeHashes() && large !== null) large.reset();
    else changetype<Sha256>(this.small).reset();
  }

  /** Continues from where `other` (a Hasher of the same alg) is; a different alg is ignored. */
  copyFrom(other: Hasher): void {
    if (other.alg != this.alg) return;
    const large = this.large;
    if (largeHashes() && large !== null) large.copyFrom(changetype<Sha512>(other.large));
    else changetype<Sha256>(this.small).copyFrom(changetype<Sha256>(other.small));
  }

  update(data: Uint8Array): void {
    this.updateUnsafe(data.dataStart, data.length);
  }

  updateUnsafe(ptr: usize, len: i32): void {
    const large = this.large;
    if (largeHashes() && large !== null) large.updateUnsafe(ptr, len);
    else changetype<Sha256>(this.small).updateUnsafe(ptr, len);
  }

  /** Writes `digestLength` bytes at `out` and resets. */
  finishInto(out: usize): void {
    const large = this.large;
    if (largeHashes() && large !== null) large.finishInto(out);
    else changetype<Sha256>(this.small).finishInto(out);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.digestLength);
    this.finishInto(out.dataStart);
    return out;
  }
}

/** One-shot digest of `msg`; an empty array for an unknown alg. */
export function digest(alg: HashAlg, msg: Uint8Array): Uint8Array {
  if (hashLength(alg) == 0) return new Uint8Array(0);
  const h = new Hasher(alg);
  h.update(msg);
  return h.finish();
}
