// SPDX-License-Identifier: Apache-2.0
// RSA public key import from JWK `n`/`e` bytes: size and exponent checks, Montgomery constants and
// per-key scratch prepared once so a PKCS#1 v1.5 verify allocates only its hash (PSS a few more buffers).
import { KeyError } from "../errors";
import { MontgomeryModulus } from "./montgomery";
import { bitLength, bytesFromLimbs, limbsFromBytes } from "./bignum";
import { limbsCompare } from "../limbs";

/** Largest modulus accepted, in bits (JWA and Envoy use up to 4096). */
export const RSA_MAX_BITS: i32 = 4096;
/**
 * Largest public exponent accepted, in bits (BoringSSL's limit, which Envoy's keys go through): a
 * verify costs a squaring per exponent bit, so a JWKS could otherwise make every verify ~300 times
 * dearer with a 4096-bit e. Real keys use 65537 (17 bits) or 3.
 */
export const RSA_MAX_EXPONENT_BITS: i32 = 33;
/** Default smallest modulus accepted, in bits (RFC 7518 §3.3 requires 2048 or more). */
export const RSA_DEFAULT_MIN_BITS: i32 = 2048;

export class RsaPublicKey {
  /** Modulus length in bytes (k in RFC 8017); a signature must be exactly this long. */
  readonly byteLength: i32;
  /** Modulus length in bits. */
  readonly bits: i32;
  readonly montgomery: MontgomeryModulus;
  /** Public exponent, big-endian without leading zeros. */
  readonly exponent: Uint8Array;
  /**
   * Per-key scratch: the signature as limbs, the result, a temporary, and the result as bytes.
   * Reusing it makes a key non-reentrant, which is fine in single-threaded wasm.
   */
  readonly signatureLimbs: StaticArray<u32>;
  readonly resultLimbs: StaticArray<u32>;
  readonly tempLimbs: StaticArray<u32>;
  readonly encoded: Uint8Array;
  /** Scratch for the encoded block a verify expects (k bytes). */
  readonly expectedBlock: Uint8Array;

  constructor(modulus: Uint8Array, bits: i32, exponent: Uint8Array) {
    const k = modulus.length;
    this.byteLength = k;
    this.bits = bits;
    this.exponent = exponent;
    const mont = new MontgomeryModulus(modulus.dataStart, k);
    this.montgomery = mont;
    this.signatureLimbs = mont.newOperand();
    this.resultLimbs = mont.newOperand();
    this.tempLimbs = mont.newOperand();
    this.encoded = new Uint8Array(k);
    this.expectedBlock = new Uint8Array(k);
  }

  /**
   * RSAVP1 (RFC 8017 §5.2.2): checks `sig` is exactly k bytes and below n, then leaves
   * sig^e mod n as k big-endian bytes in `encoded`. False (nothing computed) otherwise.
   */
  publicOperation(sig: Uint8Array): bool {
    const k = this.byteLength;
    if (sig.length != k) return false;
    const mont = this.montgomery;
    const limbs = mont.limbs;
    const s = changetype<usize>(this.signatureLimbs);
    limbsFromBytes(s, limbs, sig.dataStart, k);
    if (limbsCompare(s, changetype<usize>(mont.modulus), limbs) >= 0) return false;
    const out = changetype<usize>(this.resultLimbs);
    const exponent = this.exponent;
    mont.powModulo(out, s, exponent.dataStart, exponent.length, changetype<usize>(this.tempLimbs));
    bytesFromLimbs(this.encoded.dataStart, k, out, limbs);
    return true;
  }
}

export class RsaKeyResult {
  constructor(
    readonly key: RsaPublicKey | null,
    readonly error: KeyError,
  ) {}
}

/** The bytes of `b` after its leading zero bytes (a JWK integer may carry some). */
function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length && unchecked(b[i]) == 0) i++;
  return b.slice(i);
}

/**
 * Imports an RSA public key from the decoded JWK members `n` and `e` (big-endian bytes).
 * Accepts a modulus of `minBits`..4096 bits (leading zero bytes tolerated) that is odd, and an
 * exponent that is odd, at least 3, at most 33 bits long and smaller than n (as BoringSSL; e = 3
 * keys are accepted, as RFC 8017 allows). Never traps: any bytes give either a key or a KeyError.
 */
export function importRsaPublicKey(n: Uint8Array, e: Uint8Array, minBits: i32 = RSA_DEFAULT_MIN_BITS): RsaKeyResult {
  const modulus = stripLeadingZeros(n);
  const bits = bitLength(modulus.dataStart, modulus.length);
  if (bits == 0 || bits < minBits || bits > RSA_MAX_BITS) return new RsaKeyResult(null, KeyError.ModulusSize);
  // An even modulus is not a product of two odd primes, and Montgomery reduction needs it odd.
  if ((unchecked(modulus[modulus.length - 1]) & 1) == 0) return new RsaKeyResult(null, KeyError.BadModulus);
  const exponent = stripLeadingZeros(e);
  const eLen = exponent.length;
  if (eLen == 0 || (unchecked(exponent[eLen - 1]) & 1) == 0) return new RsaKeyResult(null, KeyError.BadExponent);
  if (eLen == 1 && unchecked(exponent[0]) == 1) return new RsaKeyResult(null, KeyError.BadExponent);
  if (bitLength(exponent.dataStart, eLen) > RSA_MAX_EXPONENT_BITS) return new RsaKeyResult(null, KeyError.BadExponent);
  if (!lessThan(exponent, modulus)) return new RsaKeyResult(null, KeyError.BadExponent);
  return new RsaKeyResult(new RsaPublicKey(modulus, bits, exponent), KeyError.None);
}

/** a < b for big-endian byte strings without leading zeros. */
function lessThan(a: Uint8Array, b: Uint8Array): bool {
  if (a.length != b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) {
    const x = unchecked(a[i]),
      y = unchecked(b[i]);
    if (x != y) return x < y;
  }
  return false;
}
