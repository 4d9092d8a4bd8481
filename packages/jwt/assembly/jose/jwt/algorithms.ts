// SPDX-License-Identifier: Apache-2.0
// THE table of JWS algorithms (RFC 7518 §3, RFC 8037): for each one its name, bit, family, hash,
// key type and curve, with the JWK names of key types and curves. JWS (header.ts), JWK (jwk.ts),
// the verify dispatch (signature.ts) and crypto (hash.ts) all read it; nothing else knows these facts.
//
// Each row is a compile-time constant, so a question about a constant algorithm, or a mask such as
// "the algorithms that use SHA-512", folds to a constant where it is asked (inside a function).
// That keeps dead-code elimination under `asc ... --use GETWILD_JWT_ALGS=<mask>` (COMPILED_ALGS):
//   asc ... --use GETWILD_JWT_ALGS=1        (RS256 only: bit 0, see ALG_BIT_* below)
// turns the code of every other family, curve and hash into dead code before it is compiled.
// Lookups by an algorithm known only at run time read the same rows packed by column (FAMILIES…).
//
// This file imports no crypto code (only the HashAlg values), so crypto can read it too.

import { HashAlg } from "../crypto/hash_alg";

/** JWS signature algorithms. Values are the table's row numbers and bit positions in masks. */
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

export const enum AlgFamily {
  RsaPkcs1 = 0,
  RsaPss = 1,
  Ecdsa = 2,
  Hmac = 3,
  EdDSA = 4,
}

/** Key types of RFC 7517/7518/8037 (JWK `kty`, names in KEY_TYPE_NAMES). */
export const enum KeyType {
  None = 0,
  RSA = 1,
  EC = 2,
  OKP = 3,
  Oct = 4,
}

/** Curves (JWK `crv`, names in CURVE_NAMES); CURVE_NONE for RSA and oct keys. */
export const CURVE_NONE: i32 = 0;
export const CURVE_P256: i32 = 1;
export const CURVE_P384: i32 = 2;
export const CURVE_P521: i32 = 3;
export const CURVE_ED25519: i32 = 4;

// Row layout: one nibble per column.
// @ts-ignore: decorator
@inline const FAMILY: u32 = 0;
// @ts-ignore: decorator
@inline const HASH: u32 = 4;
// @ts-ignore: decorator
@inline const KEY_TYPE: u32 = 8;
// @ts-ignore: decorator
@inline const CURVE: u32 = 12;

// The table. One row per Alg, in Alg order; the name is in NAMES below, the bit is 1 << Alg.
//                                          family                    hash                           key type                        curve
// @ts-ignore: decorator
@inline const ROW_RS256: u32 =
  ((<u32>AlgFamily.RsaPkcs1) << FAMILY) |
  ((<u32>HashAlg.SHA256) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_RS384: u32 =
  ((<u32>AlgFamily.RsaPkcs1) << FAMILY) |
  ((<u32>HashAlg.SHA384) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_RS512: u32 =
  ((<u32>AlgFamily.RsaPkcs1) << FAMILY) |
  ((<u32>HashAlg.SHA512) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_PS256: u32 =
  ((<u32>AlgFamily.RsaPss) << FAMILY) |
  ((<u32>HashAlg.SHA256) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_PS384: u32 =
  ((<u32>AlgFamily.RsaPss) << FAMILY) |
  ((<u32>HashAlg.SHA384) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_PS512: u32 =
  ((<u32>AlgFamily.RsaPss) << FAMILY) |
  ((<u32>HashAlg.SHA512) << HASH) |
  ((<u32>KeyType.RSA) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_ES256: u32 =
  ((<u32>AlgFamily.Ecdsa) << FAMILY) |
  ((<u32>HashAlg.SHA256) << HASH) |
  ((<u32>KeyType.EC) << KEY_TYPE) |
  ((<u32>CURVE_P256) << CURVE);
// @ts-ignore: decorator
@inline const ROW_ES384: u32 =
  ((<u32>AlgFamily.Ecdsa) << FAMILY) |
  ((<u32>HashAlg.SHA384) << HASH) |
  ((<u32>KeyType.EC) << KEY_TYPE) |
  ((<u32>CURVE_P384) << CURVE);
// @ts-ignore: decorator
@inline const ROW_ES512: u32 =
  ((<u32>AlgFamily.Ecdsa) << FAMILY) |
  ((<u32>HashAlg.SHA512) << HASH) |
  ((<u32>KeyType.EC) << KEY_TYPE) |
  ((<u32>CURVE_P521) << CURVE);
// @ts-ignore: decorator
@inline const ROW_HS256: u32 =
  ((<u32>AlgFamily.Hmac) << FAMILY) |
  ((<u32>HashAlg.SHA256) << HASH) |
  ((<u32>KeyType.Oct) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_HS384: u32 =
  ((<u32>AlgFamily.Hmac) << FAMILY) |
  ((<u32>HashAlg.SHA384) << HASH) |
  ((<u32>KeyType.Oct) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// @ts-ignore: decorator
@inline const ROW_HS512: u32 =
  ((<u32>AlgFamily.Hmac) << FAMILY) |
  ((<u32>HashAlg.SHA512) << HASH) |
  ((<u32>KeyType.Oct) << KEY_TYPE) |
  ((<u32>CURVE_NONE) << CURVE);
// EdDSA hashes with SHA-512 inside the signature scheme (RFC 8032 §5.1).
// @ts-ignore: decorator
@inline const ROW_EDDSA: u32 =
  ((<u32>AlgFamily.EdDSA) << FAMILY) |
  ((<u32>HashAlg.SHA512) << HASH) |
  ((<u32>KeyType.OKP) << KEY_TYPE) |
  ((<u32>CURVE_ED25519) << CURVE);

/** The names, in Alg order. Every registered JWS signature algorithm name has five characters. */
const NAMES = "RS256RS384RS512PS256PS384PS512ES256ES384ES512HS256HS384HS512EdDSA";
// @ts-ignore: decorator
@inline const NAME_LENGTH: i32 = 5;
/** JWK `kty` names, by KeyType. */
// @ts-ignore: decorator
@lazy const KEY_TYPE_NAMES: StaticArray<string> = ["", "RSA", "EC", "OKP", "oct"];
/** JWK `crv` names, by curve, and the key type of each curve (a nibble per curve). */
// @ts-ignore: decorator
@lazy const CURVE_NAMES: StaticArray<string> = ["", "P-256", "P-384", "P-521", "Ed25519"];
// @ts-ignore: decorator
@inline const CURVE_KEY_TYPES: u32 =
  ((<u32>KeyType.EC) << (CURVE_P256 << 2)) |
  ((<u32>KeyType.EC) << (CURVE_P384 << 2)) |
  ((<u32>KeyType.EC) << (CURVE_P521 << 2)) |
  ((<u32>KeyType.OKP) << (CURVE_ED25519 << 2));

export const ALG_BIT_RS256: u32 = 1 << Alg.RS256;
export const ALG_BIT_RS384: u32 = 1 << Alg.RS384;
export const ALG_BIT_RS512: u32 = 1 << Alg.RS512;
export const ALG_BIT_PS256: u32 = 1 << Alg.PS256;
export const ALG_BIT_PS384: u32 = 1 << Alg.PS384;
export const ALG_BIT_PS512: u32 = 1 << Alg.PS512;
export const ALG_BIT_ES256: u32 = 1 << Alg.ES256;
export const ALG_BIT_ES384: u32 = 1 << Alg.ES384;
export const ALG_BIT_ES512: u32 = 1 << Alg.ES512;
export const ALG_BIT_HS256: u32 = 1 << Alg.HS256;
export const ALG_BIT_HS384: u32 = 1 << Alg.HS384;
export const ALG_BIT_HS512: u32 = 1 << Alg.HS512;
export const ALG_BIT_EDDSA: u32 = 1 << Alg.EdDSA;

// Family masks for configuration code, spelled out so they are constants in any context; the
// algorithm-table test checks each against algsOfFamily() of the table.
export const ALGS_RSA_PKCS1: u32 = ALG_BIT_RS256 | ALG_BIT_RS384 | ALG_BIT_RS512;
export const ALGS_RSA_PSS: u32 = ALG_BIT_PS256 | ALG_BIT_PS384 | ALG_BIT_PS512;
export const ALGS_RSA: u32 = ALGS_RSA_PKCS1 | ALGS_RSA_PSS;
export const ALGS_ECDSA: u32 = ALG_BIT_ES256 | ALG_BIT_ES384 | ALG_BIT_ES512;
export const ALGS_HMAC: u32 = ALG_BIT_HS256 | ALG_BIT_HS384 | ALG_BIT_HS512;
export const ALGS_ALL: u32 = (1 << ALG_COUNT) - 1;
/** Every public-key algorithm: the default allow-list (HMAC needs an explicit opt-in). */
export const ALGS_ASYMMETRIC: u32 = ALGS_ALL & ~ALGS_HMAC;

/**
 * Algorithms compiled into this module: `--use GETWILD_JWT_ALGS=<mask>` at build time, else all.
 * A constant, so `if (COMPILED_ALGS & bit)` removes the code of every other algorithm.
 */
// @ts-ignore: decorator, compile-time symbol
@inline export const COMPILED_ALGS: u32 = isDefined(GETWILD_JWT_ALGS) ? (<u32>GETWILD_JWT_ALGS) & ALGS_ALL : ALGS_ALL;

// Masks read from the table. Each is a chain of constant tests that folds to one constant when
// its argument is a constant, so `COMPILED_ALGS & algsWithHash(HashAlg.SHA512)` decides at
// compile time whether SHA-512 is linked.

// @ts-ignore: decorator
@inline function bitWhere(row: u32, alg: Alg, shift: u32, value: u32): u32 {
  return ((row >> shift) & 0xf) == value ? (<u32>1) << <u32>alg : 0;
}

// @ts-ignore: decorator
@inline function algsWhere(shift: u32, value: u32): u32 {
  return (
    bitWhere(ROW_RS256, Alg.RS256, shift, value) |
    bitWhere(ROW_RS384, Alg.RS384, shift, value) |
    bitWhere(ROW_RS512, Alg.RS512, shift, value) |
    bitWhere(ROW_PS256, Alg.PS256, shift, value) |
    bitWhere(ROW_PS384, Alg.PS384, shift, value) |
    bitWhere(ROW_PS512, Alg.PS512, shift, value) |
    bitWhere(ROW_ES256, Alg.ES256, shift, value) |
    bitWhere(ROW_ES384, Alg.ES384, shift, value) |
    bitWhere(ROW_ES512, Alg.ES512, shift, value) |
    bitWhere(ROW_HS256, Alg.HS256, shift, value) |
    bitWhere(ROW_HS384, Alg.HS384, shift, value) |
    bitWhere(ROW_HS512, Alg.HS512, shift, value) |
    bitWhere(ROW_EDDSA, Alg.EdDSA, shift, value)
  );
}

/** The algorithms of a family (a constant for a constant family). */
// @ts-ignore: decorator
@inline export function algsOfFamily(family: AlgFamily): u32 {
  return algsWhere(FAMILY, <u32>family);
}
/** The algorithms that hash with `hash` (EdDSA counts as SHA-512). */
// @ts-ignore: decorator
@inline export function algsWithHash(hash: HashAlg): u32 {
  return algsWhere(HASH, <u32>hash);
}
/** The algorithms whose keys are of type `kty`. */
// @ts-ignore: decorator
@inline export function algsWithKeyType(kty: KeyType): u32 {
  return algsWhere(KEY_TYPE, <u32>kty);
}
/** The algorithms whose keys are on `curve` (a CURVE_* value). */
// @ts-ignore: decorator
@inline export function algsWithCurve(curve: i32): u32 {
  return algsWhere(CURVE, <u32>curve);
}

// @inline: keeps the mask test a constant when `alg` is one.
// @ts-ignore: decorator
@inline export function algBit(alg: Alg): u32 {
  return (<u32>1) << <u32>alg;
}

/** Whether `alg` is compiled into this module. */
// @ts-ignore: decorator
@inline export function algCompiled(alg: Alg): bool {
  return (COMPILED_ALGS & algBit(alg)) != 0;
}

/**
 * `alg` where it is known to be compiled in (the header check refused every other one): in a build
 * of one algorithm (GETWILD_JWT_ALGS=1) that algorithm as a constant, so that what the key choice
 * and the verify dispatch ask of it (key type, curve, family, hash) folds where they ask it.
 */
// @ts-ignore: decorator
@inline export function compiledAlg(alg: Alg): Alg {
  return popcnt<u32>(COMPILED_ALGS) == 1 ? <Alg>ctz<u32>(COMPILED_ALGS) : alg;
}

// For an algorithm known only at run time: each column of the table packed into one u64 constant,
// a nibble per algorithm at bit 4·Alg (no memory, no branches), spelled from the rows above.
// @ts-ignore: decorator
@inline const FAMILIES: u64 =
  ((<u64>((ROW_RS256 >> FAMILY) & 0xf)) << 0) |
  ((<u64>((ROW_RS384 >> FAMILY) & 0xf)) << 4) |
  ((<u64>((ROW_RS512 >> FAMILY) & 0xf)) << 8) |
  ((<u64>((ROW_PS256 >> FAMILY) & 0xf)) << 12) |
  ((<u64>((ROW_PS384 >> FAMILY) & 0xf)) << 16) |
  ((<u64>((ROW_PS512 >> FAMILY) & 0xf)) << 20) |
  ((<u64>((ROW_ES256 >> FAMILY) & 0xf)) << 24) |
  ((<u64>((ROW_ES384 >> FAMILY) & 0xf)) << 28) |
  ((<u64>((ROW_ES512 >> FAMILY) & 0xf)) << 32) |
  ((<u64>((ROW_HS256 >> FAMILY) & 0xf)) << 36) |
  ((<u64>((ROW_HS384 >> FAMILY) & 0xf)) << 40) |
  ((<u64>((ROW_HS512 >> FAMILY) & 0xf)) << 44) |
  ((<u64>((ROW_EDDSA >> FAMILY) & 0xf)) << 48);
// @ts-ignore: decorator
@inline const HASHES: u64 =
  ((<u64>((ROW_RS256 >> HASH) & 0xf)) << 0) |
  ((<u64>((ROW_RS384 >> HASH) & 0xf)) << 4) |
  ((<u64>((ROW_RS512 >> HASH) & 0xf)) << 8) |
  ((<u64>((ROW_PS256 >> HASH) & 0xf)) << 12) |
  ((<u64>((ROW_PS384 >> HASH) & 0xf)) << 16) |
  ((<u64>((ROW_PS512 >> HASH) & 0xf)) << 20) |
  ((<u64>((ROW_ES256 >> HASH) & 0xf)) << 24) |
  ((<u64>((ROW_ES384 >> HASH) & 0xf)) << 28) |
  ((<u64>((ROW_ES512 >> HASH) & 0xf)) << 32) |
  ((<u64>((ROW_HS256 >> HASH) & 0xf)) << 36) |
  ((<u64>((ROW_HS384 >> HASH) & 0xf)) << 40) |
  ((<u64>((ROW_HS512 >> HASH) & 0xf)) << 44) |
  ((<u64>((ROW_EDDSA >> HASH) & 0xf)) << 48);
// @ts-ignore: decorator
@inline const KEY_TYPES: u64 =
  ((<u64>((ROW_RS256 >> KEY_TYPE) & 0xf)) << 0) |
  ((<u64>((ROW_RS384 >> KEY_TYPE) & 0xf)) << 4) |
  ((<u64>((ROW_RS512 >> KEY_TYPE) & 0xf)) << 8) |
  ((<u64>((ROW_PS256 >> KEY_TYPE) & 0xf)) << 12) |
  ((<u64>((ROW_PS384 >> KEY_TYPE) & 0xf)) << 16) |
  ((<u64>((ROW_PS512 >> KEY_TYPE) & 0xf)) << 20) |
  ((<u64>((ROW_ES256 >> KEY_TYPE) & 0xf)) << 24) |
  ((<u64>((ROW_ES384 >> KEY_TYPE) & 0xf)) << 28) |
  ((<u64>((ROW_ES512 >> KEY_TYPE) & 0xf)) << 32) |
  ((<u64>((ROW_HS256 >> KEY_TYPE) & 0xf)) << 36) |
  ((<u64>((ROW_HS384 >> KEY_TYPE) & 0xf)) << 40) |
  ((<u64>((ROW_HS512 >> KEY_TYPE) & 0xf)) << 44) |
  ((<u64>((ROW_EDDSA >> KEY_TYPE) & 0xf)) << 48);
// @ts-ignore: decorator
@inline const CURVES: u64 =
  ((<u64>((ROW_RS256 >> CURVE) & 0xf)) << 0) |
  ((<u64>((ROW_RS384 >> CURVE) & 0xf)) << 4) |
  ((<u64>((ROW_RS512 >> CURVE) & 0xf)) << 8) |
  ((<u64>((ROW_PS256 >> CURVE) & 0xf)) << 12) |
  ((<u64>((ROW_PS384 >> CURVE) & 0xf)) << 16) |
  ((<u64>((ROW_PS512 >> CURVE) & 0xf)) << 20) |
  ((<u64>((ROW_ES256 >> CURVE) & 0xf)) << 24) |
  ((<u64>((ROW_ES384 >> CURVE) & 0xf)) << 28) |
  ((<u64>((ROW_ES512 >> CURVE) & 0xf)) << 32) |
  ((<u64>((ROW_HS256 >> CURVE) & 0xf)) << 36) |
  ((<u64>((ROW_HS384 >> CURVE) & 0xf)) << 40) |
  ((<u64>((ROW_HS512 >> CURVE) & 0xf)) << 44) |
  ((<u64>((ROW_EDDSA >> CURVE) & 0xf)) << 48);

/** The `alg` nibble of a packed column; 0 for a value out of range (key type None: fits no key). */
// @ts-ignore: decorator
@inline function columnAt(column: u64, alg: Alg): u32 {
  return <u32>alg < <u32>ALG_COUNT ? (<u32>(column >> ((<u64>alg) << 2))) & 0xf : 0;
}

/** Alg for a header or JWK `alg` value (exact, case-sensitive), ALG_NONE, or ALG_UNKNOWN. */
export function algFromName(name: string): i32 {
  if (name.length == NAME_LENGTH) {
    const bytes = (<usize>NAME_LENGTH) << 1;
    for (let i = 0; i < ALG_COUNT; i++) {
      if (memory.compare(changetype<usize>(NAMES) + <usize>i * bytes, changetype<usize>(name), bytes) == 0) return i;
    }
  }
  return name == "none" ? ALG_NONE : ALG_UNKNOWN;
}

/** The registered name of an Alg ("" for a value out of range). */
export function algName(alg: Alg): string {
  if (<u32>alg >= <u32>ALG_COUNT) return "";
  const at = <i32>alg * NAME_LENGTH;
  return NAMES.substring(at, at + NAME_LENGTH);
}

export function algFamily(alg: Alg): AlgFamily {
  return <AlgFamily>columnAt(FAMILIES, alg);
}

/** The hash an algorithm uses (EdDSA: SHA-512 internally). */
export function algHash(alg: Alg): HashAlg {
  return <HashAlg>columnAt(HASHES, alg);
}

/** The JWK `kty` an algorithm needs (KeyType.None for a value out of range). */
export function algKeyType(alg: Alg): KeyType {
  return <KeyType>columnAt(KEY_TYPES, alg);
}

/** The curve an algorithm needs (JWA binds each ES* to one curve), or CURVE_NONE. */
export function algCurve(alg: Alg): i32 {
  return <i32>columnAt(CURVES, alg);
}

/** KeyType for a JWK `kty` (exact, case-sensitive), or KeyType.None. */
export function keyTypeFromName(name: string): KeyType {
  for (let i = 1; i < KEY_TYPE_NAMES.length; i++) {
    if (unchecked(KEY_TYPE_NAMES[i]) == name) return <KeyType>i;
  }
  return KeyType.None;
}

/** The curve a JWK `crv` names when it belongs to key type `kty`, else CURVE_NONE. */
export function curveFromName(name: string, kty: KeyType): i32 {
  for (let i = 1; i < CURVE_NAMES.length; i++) {
    if (unchecked(CURVE_NAMES[i]) == name)
      return ((CURVE_KEY_TYPES >> ((<u32>i) << 2)) & 0xf) == <u32>kty ? i : CURVE_NONE;
  }
  return CURVE_NONE;
}
