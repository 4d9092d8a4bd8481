// SPDX-License-Identifier: Apache-2.0
// Size-measurement entry: RS256 only (RSA key import + PKCS#1 v1.5 verify with SHA-256).
import { HashAlg } from "../../assembly/jose/crypto/hash";
import { RsaPublicKey, importRsaPublicKey, rsaPkcs1Verify } from "../../assembly/jose/crypto/rsa";
import { bytesAt } from "./io";
export { allocate, releaseAll } from "./io";

let key: RsaPublicKey | null = null;

export function importKey(n: usize, e: usize): i32 {
  const r = importRsaPublicKey(bytesAt(n), bytesAt(e));
  key = r.key;
  return <i32>r.error;
}

export function verifyRs256(msg: usize, sig: usize): bool {
  const k = key;
  return k !== null && rsaPkcs1Verify(k, HashAlg.SHA256, bytesAt(msg), bytesAt(sig));
}
