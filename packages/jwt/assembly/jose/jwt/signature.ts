// SPDX-License-Identifier: Apache-2.0
// Which key may verify which algorithm, and the dispatch to the crypto verify functions, both read
// from the algorithm table (algorithms.ts).
//
// Dispatch is a `switch` on the family with each branch behind a compile-time constant (the
// family's algorithms & COMPILED_ALGS), not a table of function references: a table would make
// every verify function reachable, so a filter that only needs RS256 would link ECDSA and Ed25519 too.

import { hashLength } from "../crypto/hash";
import { rsaPkcs1Verify, rsaPssVerify } from "../crypto/rsa/index";
import { ecdsaVerify } from "../crypto/ecdsa/index";
import { ed25519Verify } from "../crypto/ed25519/index";
import { Jwk } from "../jwks/jwk";
import {
  Alg,
  AlgFamily,
  KeyType,
  COMPILED_ALGS,
  algCompiled,
  algCurve,
  algFamily,
  algHash,
  algKeyType,
  algsOfFamily,
} from "./algorithms";

// @ts-ignore: decorator
@inline function familyCompiled(family: AlgFamily): bool {
  return (COMPILED_ALGS & algsOfFamily(family)) != 0;
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
 * Verifies `sig` over `msg` with `key` for `alg`. The caller has checked `keyFitsAlg`; each branch
 * still needs the key material of its own type (and ECDSA the curve of the alg), so this function
 * is safe on its own. False when the algorithm is not compiled in (callers report AlgUnavailable
 * before getting here).
 */
export function verifySignature(alg: Alg, key: Jwk, msg: Uint8Array, sig: Uint8Array): bool {
  if (!algCompiled(alg)) return false;
  const hash = algHash(alg);
  switch (algFamily(alg)) {
    case AlgFamily.RsaPkcs1: {
      if (!familyCompiled(AlgFamily.RsaPkcs1)) break;
      const k = key.rsa;
      return k != null && rsaPkcs1Verify(k, hash, msg, sig);
    }
    case AlgFamily.RsaPss: {
      if (!familyCompiled(AlgFamily.RsaPss)) break;
      const k = key.rsa;
      return k != null && rsaPssVerify(k, hash, msg, sig);
    }
    case AlgFamily.Ecdsa: {
      // JWA §3.4 binds each ES* to one curve (and its hash); the key's curve decides the hash.
      if (!familyCompiled(AlgFamily.Ecdsa)) break;
      const k = key.ec;
      return k != null && key.curve == algCurve(alg) && ecdsaVerify(k, msg, sig);
    }
    case AlgFamily.Hmac: {
      if (!familyCompiled(AlgFamily.Hmac)) break;
      return key.hmacVerify(hash, msg, sig);
    }
    case AlgFamily.EdDSA: {
      if (!familyCompiled(AlgFamily.EdDSA)) break;
      const k = key.ed25519;
      return k != null && ed25519Verify(k, msg, sig);
    }
  }
  return false;
}
