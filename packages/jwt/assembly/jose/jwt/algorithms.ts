// SPDX-License-Identifier: Apache-2.0
// THE one place that knows the JWS algorithms: name ↔ Alg, the key each needs (kty, curve),
// its hash and family, which are compiled in, and the dispatch to the crypto verify functions.
//
// Dispatch is a `switch` on a compile-time-gated constant mask, not a table of function
// references: a table would make every verify function reachable, so a filter that only needs
// RS256 would link ECDSA and Ed25519 too. Build a smaller module with
//   asc ... --use GETWILD_JWT_ALGS=1        (RS256 only: bit 0, see ALG_BIT_* below)
// which turns every branch for another algorithm into dead code before it is compiled.

import { HashAlg, hashLength } from "../crypto/hash";
import { rsaPkcs1Verify, rsaPssVerify } from "../crypto/rsa/index";
import { ecdsaVerify, EcCurve } from "../crypto/ecdsa/index";
import { ed25519Verify } from "../crypto/ed25519/index";
import { Jwk } from "../jwks/jwk";

/** JWS signature algorithms (RFC 7518 §3, RFC 8037). Values are bit positions in masks. */
export const enum Alg {
  RS256 = 0,
  RS384 = 1,
  RS512 = 2,
  PS256 = 3,
  PS384 = 4,
  PS512 = 5,
  ES256 = 6,
  ES384 = 7,
  ES512 = 8,
  HS256 = 9,
  HS384 = 10,
  HS512 = 11,
  EdDSA = 12,
}

/** Number of algorithms; valid Alg values are 0 .. ALG_COUNT-1. */
export const ALG_COUNT: i32 = 13;
/** `algFromName` answer for a name that is no JWS signature algorithm. */
export const ALG_UNKNOWN: i32 = -1;
/** `algFromName` answer for "none" (kept apart so it gets its own error code). */
export const ALG_NONE: i32 = -2;

export const ALG_BIT_RS256: u32 = 1 << 0;
export const ALG_BIT_RS384: u32 = 1 << 1;
export const ALG_BIT_RS512: u32 = 1 << 2;
export const ALG_BIT_PS256: u32 = 1 << 3;
export const ALG_BIT_PS384: u32 = 1 << 4;
export const ALG_BIT_PS512: u32 = 1 << 5;
export const ALG_BIT_ES256: u32 = 1 << 6;
export const ALG_BIT_ES384: u32 = 1 << 7;
export const ALG_BIT_ES512: u32 = 1 << 8;
export const ALG_BIT_HS256: u32 = 1 << 9;
export const ALG_BIT_HS384: u32 = 1 << 10;
export const ALG_BIT_HS512: u32 = 1 << 11;
export const ALG_BIT_EDDSA: u32 = 1 << 12;

export const ALGS_RSA_PKCS1: u32 = ALG_BIT_RS256 | ALG_BIT_RS384 | ALG_BIT_RS512;
export const ALGS_RSA_PSS: u32 = ALG_BIT_PS256 | ALG_BIT_PS384 | ALG_BIT_PS512;
export const ALGS_RSA: u32 = ALGS_RSA_PKCS1 | ALGS_RSA_PSS;
export const ALGS_ECDSA: u32 = ALG_BIT_ES256 | ALG_BIT_ES384 | ALG_BIT_ES512;
export const ALGS_HMAC: u32 = ALG_BIT_HS256 | ALG_BIT_HS384 | ALG_BIT_HS512;
export const ALGS_ALL: u32 = (1 << 13) - 1;
/** Every public-key algorithm: the default allow-list (HMAC needs an explicit opt-in). */
export const ALGS_ASYMMETRIC: u32 = ALGS_ALL & ~ALGS_HMAC;

/**
 * Algorithms compiled into this module: `--use GETWILD_JWT_ALGS=<mask>` at build time, else all.
 * A constant, so `if (COMPILED_ALGS & bit)` removes the code of every other family.
 */
// @ts-ignore: decorator, compile-time symbol
@inline export const COMPILED_ALGS: u32 = isDefined(GETWILD_JWT_ALGS) ? <u32>GETWILD_JWT_ALGS & ALGS_ALL : ALGS_ALL;

/** Key types of RFC 7517/7518/8037. */
export const enum KeyType {
  None = 0,
  RSA = 1,
  EC = 2,
  OKP = 3,
  Oct = 4,
}

/** Curves: the EcCurve values for P-256/384/521, plus Ed25519; CURVE_NONE for RSA and oct. */
export const CURVE_NONE: i32 = -1;
export const CURVE_P256: i32 = <i32>EcCurve.P256;
export const CURVE_P384: i32 = <i32>EcCurve.P384;
export const CURVE_P521: i32 = <i32>EcCurve.P521;
export const CURVE_ED25519: i32 = 16;

export const enum AlgFamily {
  RsaPkcs1 = 0,
  RsaPss = 1,
  Ecdsa = 2,
  Hmac = 3,
  EdDSA = 4,
}

// @inline: keeps the mask test a constant when `alg` is one.
// @ts-ignore: decorator
@inline export function algBit(alg: Alg): u32 {
  return (<u32>1) << (<u32>alg);
}

/** Whether `alg` is compiled into this module. */
// @ts-ignore: decorator
@inline export function algCompiled(alg: Alg): bool {
  return (COMPILED_ALGS & algBit(alg)) != 0;
}

/** Alg for a header or JWK `alg` value (exact, case-sensitive), ALG_NONE, or ALG_UNKNOWN. */
export function algFromName(name: string): i32 {
  const n = name.length;
  if (n == 5) {
    const c0 = name.charCodeAt(0);
    const c1 = name.charCodeAt(1);
    const tail = name.substring(2);
    let size: i32 = -1;
    if (tail == "256") size = 0;
    else if (tail == "384") size = 1;
    else if (tail == "512") size = 2;
    if (size < 0) return name == "EdDSA" ? <i32>Alg.EdDSA : ALG_UNKNOWN;
    if (c1 != 0x53) return ALG_UNKNOWN; // every family name ends in 'S'
    if (c0 == 0x52) return <i32>Alg.RS256 + size; // R
    if (c0 == 0x50) return <i32>Alg.PS256 + size; // P
    if (c0 == 0x45) return <i32>Alg.ES256 + size; // E
    if (c0 == 0x48) return <i32>Alg.HS256 + size; // H
    return ALG_UNKNOWN;
  }
  if (name == "none") return ALG_NONE;
  return ALG_UNKNOWN;
}

/** The registered name of an Alg ("" for a value out of range). */
export function algName(alg: Alg): string {
  switch (alg) {
    case Alg.RS256: return "RS256";
    case Alg.RS384: return "RS384";
    case Alg.RS512: return "RS512";
    case Alg.PS256: return "PS256";
    case Alg.PS384: return "PS384";
    case Alg.PS512: return "PS512";
    case Alg.ES256: return "ES256";
    case Alg.ES384: return "ES384";
    case Alg.ES512: return "ES512";
    case Alg.HS256: return "HS256";
    case Alg.HS384: return "HS384";
    case Alg.HS512: return "HS512";
    case Alg.EdDSA: return "EdDSA";
  }
  return "";
}

export function algFamily(alg: Alg): AlgFamily {
  if (alg <= Alg.RS512) return AlgFamily.RsaPkcs1;
  if (alg <= Alg.PS512) return AlgFamily.RsaPss;
  if (alg <= Alg.ES512) return AlgFamily.Ecdsa;
  if (alg <= Alg.HS512) return AlgFamily.Hmac;
  return AlgFamily.EdDSA;
}

/** The hash an algorithm uses (EdDSA: SHA-512 internally). */
export function algHash(alg: Alg): HashAlg {
  if (alg == Alg.EdDSA) return HashAlg.SHA512;
  return <HashAlg>(<i32>alg % 3);
}

/** The JWK `kty` an algorithm needs. */
export function algKeyType(alg: Alg): KeyType {
  const f = algFamily(alg);
  if (f == AlgFamily.RsaPkcs1 || f == AlgFamily.RsaPss) return KeyType.RSA;
  if (f == AlgFamily.Ecdsa) return KeyType.EC;
  if (f == AlgFamily.Hmac) return KeyType.Oct;
  return KeyType.OKP;
}

/** The curve an algorithm needs (JWA binds each ES* to one curve), or CURVE_NONE. */
export function algCurve(alg: Alg): i32 {
  if (alg == Alg.ES256) return CURVE_P256;
  if (alg == Alg.ES384) return CURVE_P384;
  if (alg == Alg.ES512) return CURVE_P521;
  if (alg == Alg.EdDSA) return CURVE_ED25519;
  return CURVE_NONE;
}

/**
 * Whether `key` may verify `alg`: kty and curve bound to the algorithm, the JWK's own `alg`
 * (when it has one) equal to it, and HMAC secrets at least as long as the hash (RFC 7518 §3.2).
 * `use`/`key_ops` were already enforced when the key was parsed.
 */
export function keyFitsAlg(key: Jwk, alg: Alg): bool {
  if (key.kty != algKeyType(alg) || key.curve != algCurve(alg)) return false;
  if (key.alg >= 0 && key.alg != <i32>alg) return false;
  if (key.kty == KeyType.Oct) {
    const secret = key.secret;
    return secret != null && secret.length >= hashLength(algHash(alg));
  }
  return true;
}

/**
 * Verifies `sig` over `msg` with `key` for `alg`. The caller has checked `keyFitsAlg`; the
 * checks below repeat the binding (cheaply) so this function is safe on its own. False when the
 * algorithm is not compiled in (callers report AlgUnavailable before getting here).
 */
export function verifySignature(alg: Alg, key: Jwk, msg: Uint8Array, sig: Uint8Array): bool {
  switch (alg) {
    case Alg.RS256:
      if (COMPILED_ALGS & ALG_BIT_RS256) return rsaPkcs1(key, HashAlg.SHA256, msg, sig);
      return false;
    case Alg.RS384:
      if (COMPILED_ALGS & ALG_BIT_RS384) return rsaPkcs1(key, HashAlg.SHA384, msg, sig);
      return false;
    case Alg.RS512:
      if (COMPILED_ALGS & ALG_BIT_RS512) return rsaPkcs1(key, HashAlg.SHA512, msg, sig);
      return false;
    case Alg.PS256:
      if (COMPILED_ALGS & ALG_BIT_PS256) return rsaPss(key, HashAlg.SHA256, msg, sig);
      return false;
    case Alg.PS384:
      if (COMPILED_ALGS & ALG_BIT_PS384) return rsaPss(key, HashAlg.SHA384, msg, sig);
      return false;
    case Alg.PS512:
      if (COMPILED_ALGS & ALG_BIT_PS512) return rsaPss(key, HashAlg.SHA512, msg, sig);
      return false;
    case Alg.ES256:
      if (COMPILED_ALGS & ALG_BIT_ES256) return ecdsa(key, CURVE_P256, msg, sig);
      return false;
    case Alg.ES384:
      if (COMPILED_ALGS & ALG_BIT_ES384) return ecdsa(key, CURVE_P384, msg, sig);
      return false;
    case Alg.ES512:
      if (COMPILED_ALGS & ALG_BIT_ES512) return ecdsa(key, CURVE_P521, msg, sig);
      return false;
    case Alg.HS256:
      if (COMPILED_ALGS & ALG_BIT_HS256) return key.hmacVerify(HashAlg.SHA256, msg, sig);
      return false;
    case Alg.HS384:
      if (COMPILED_ALGS & ALG_BIT_HS384) return key.hmacVerify(HashAlg.SHA384, msg, sig);
      return false;
    case Alg.HS512:
      if (COMPILED_ALGS & ALG_BIT_HS512) return key.hmacVerify(HashAlg.SHA512, msg, sig);
      return false;
    case Alg.EdDSA:
      if (COMPILED_ALGS & ALG_BIT_EDDSA) {
        const k = key.ed25519;
        return k != null && ed25519Verify(k, msg, sig);
      }
      return false;
  }
  return false;
}

// @ts-ignore: decorator
@inline function rsaPkcs1(key: Jwk, hash: HashAlg, msg: Uint8Array, sig: Uint8Array): bool {
  const k = key.rsa;
  return k != null && rsaPkcs1Verify(k, hash, msg, sig);
}

// @ts-ignore: decorator
@inline function rsaPss(key: Jwk, hash: HashAlg, msg: Uint8Array, sig: Uint8Array): bool {
  const k = key.rsa;
  return k != null && rsaPssVerify(k, hash, msg, sig);
}

// @ts-ignore: decorator
@inline function ecdsa(key: Jwk, curve: i32, msg: Uint8Array, sig: Uint8Array): bool {
  const k = key.ec;
  return k != null && key.curve == curve && ecdsaVerify(k, msg, sig);
}
