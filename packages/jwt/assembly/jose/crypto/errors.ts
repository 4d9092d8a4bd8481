// SPDX-License-Identifier: Apache-2.0
// Why a key could not be imported. Verification itself answers only true/false: a caller must
// not learn more from a bad signature than that it is bad.

export const enum KeyError {
  None = 0,
  /** A member has the wrong length for its algorithm or curve. */
  BadLength = 1,
  /** RSA modulus below the configured floor or above 4096 bits. */
  ModulusSize = 2,
  /** RSA public exponent even, 1, longer than 33 bits, or larger than the modulus. */
  BadExponent = 3,
  /** EC point not on the curve, the point at infinity, or coordinates not below p. */
  NotOnCurve = 4,
  /** Ed25519 public key that does not decode to a curve point. */
  BadEncoding = 5,
  /** HMAC key shorter than the hash output (RFC 7518 §3.2). */
  WeakKey = 6,
  /** RSA modulus that is even (not a product of odd primes; Montgomery arithmetic needs it odd). */
  BadModulus = 7,
}

// @ts-ignore: decorator
@lazy export const KEY_ERROR_MESSAGES: StaticArray<string> = [
  "ok",
  "key member has the wrong length",
  "RSA modulus size outside the allowed range",
  "RSA public exponent must be odd, at least 3, at most 33 bits and smaller than the modulus",
  "EC public key is not a point on the curve",
  "Ed25519 public key is not a valid point encoding",
  "HMAC key is shorter than the hash output",
  "RSA modulus must be odd",
];

/** The message for a KeyError; never traps, whatever the value. */
export function keyErrorMessage(e: KeyError): string {
  const i = <i32>e;
  return i >= 0 && i < KEY_ERROR_MESSAGES.length ? unchecked(KEY_ERROR_MESSAGES[i]) : "unknown key error";
}
