// SPDX-License-Identifier: Apache-2.0
// Size-measurement entry: every JWS algorithm (RS*, PS*, HS*, ES256/384/512, EdDSA).
import { HashAlg } from "../../assembly/jose/crypto/hash";
import { hmacVerify } from "../../assembly/jose/crypto/hmac";
import { RsaPublicKey, importRsaPublicKey, rsaPkcs1Verify, rsaPssVerify } from "../../assembly/jose/crypto/rsa";
import { EcCurve, EcPublicKey, importEcPublicKey, ecdsaVerify } from "../../assembly/jose/crypto/ecdsa";
import { Ed25519PublicKey, importEd25519PublicKey, ed25519Verify } from "../../assembly/jose/crypto/ed25519";
import { bytesAt } from "./io";
export { allocate, releaseAll } from "./io";

let rsaKey: RsaPublicKey | null = null;
let ecKey: EcPublicKey | null = null;
let edKey: Ed25519PublicKey | null = null;

export function importRsa(n: usize, e: usize): i32 {
  const r = importRsaPublicKey(bytesAt(n), bytesAt(e));
  rsaKey = r.key;
  return <i32>r.error;
}

export function importEc(curve: i32, x: usize, y: usize): i32 {
  const r = importEcPublicKey(<EcCurve>curve, bytesAt(x), bytesAt(y));
  ecKey = r.key;
  return <i32>r.error;
}

export function importEd25519(x: usize): i32 {
  const r = importEd25519PublicKey(bytesAt(x));
  edKey = r.key;
  return <i32>r.error;
}

/** `hash` 0/1/2 = SHA-256/384/512; `pss` selects PS* over RS*. */
export function verifyRsa(pss: bool, hash: i32, msg: usize, sig: usize): bool {
  const k = rsaKey;
  if (k === null) return false;
  return pss
    ? rsaPssVerify(k, <HashAlg>hash, bytesAt(msg), bytesAt(sig))
    : rsaPkcs1Verify(k, <HashAlg>hash, bytesAt(msg), bytesAt(sig));
}

export function verifyHmac(hash: i32, key: usize, msg: usize, tag: usize): bool {
  return hmacVerify(<HashAlg>hash, bytesAt(key), bytesAt(msg), bytesAt(tag));
}

export function verifyEc(msg: usize, sig: usize): bool {
  const k = ecKey;
  return k !== null && ecdsaVerify(k, bytesAt(msg), bytesAt(sig));
}

export function verifyEd25519(msg: usize, sig: usize): bool {
  const k = edKey;
  return k !== null && ed25519Verify(k, bytesAt(msg), bytesAt(sig));
}
