// SPDX-License-Identifier: Apache-2.0
// RSASSA-PSS verify (RFC 8017 §8.1.2 and EMSA-PSS-VERIFY §9.1.2) for JWS PS256/384/512: MGF1 with
// the message hash and a salt as long as the hash, as RFC 7518 §3.5 requires.
import { HashAlg, Hasher, hashLength } from "../hash";
import { constantTimeEqualUnsafe } from "../ct_equal";
import { RsaPublicKey } from "./key";

/**
 * True when `sig` is a valid RSASSA-PSS signature of `msg` with hash `alg`, MGF1(`alg`) and
 * sLen = hLen. Every step of §9.1.2 is checked; any inconsistency answers false.
 */
export function rsaPssVerify(key: RsaPublicKey, alg: HashAlg, msg: Uint8Array, sig: Uint8Array): bool {
  const hLen = hashLength(alg);
  if (hLen == 0) return false;
  const sLen = hLen;
  // §8.1.2 steps 1-2: length, range and RSAVP1 (done by publicOperation).
  if (!key.publicOperation(sig)) return false;
  const k = key.byteLength;
  const emBits = key.bits - 1;
  const emLen = (emBits + 7) >>> 3;
  // I2OSP(m, emLen): when emLen = k - 1 the top byte of the k-byte result must be zero.
  const full = key.encoded.dataStart;
  if (emLen < k && load<u8>(full) != 0) return false;
  const em = full + <usize>(k - emLen);
  // §9.1.2 step 3.
  if (emLen < hLen + sLen + 2) return false;
  // Step 4: trailer byte.
  if (load<u8>(em + <usize>(emLen - 1)) != 0xbc) return false;
  // Step 5: maskedDB || H.
  const dbLen = emLen - hLen - 1;
  const hAt = em + <usize>dbLen;
  // Step 6: the 8·emLen - emBits leftmost bits of maskedDB must be zero.
  const unusedBits = <u32>(8 * emLen - emBits);
  const topMask = (<u32>0xff) >>> unusedBits; // bits that may be set in the first byte
  if (((<u32>load<u8>(em)) & ~topMask & 0xff) != 0) return false;
  // Steps 7-8: DB = maskedDB xor MGF1(H, dbLen), unmasked in place (em is scratch owned by the key).
  const hasher = new Hasher(alg);
  const mask = new Uint8Array(hLen);
  const counter = new Uint8Array(4);
  let c: u32 = 0;
  for (let offset = 0; offset < dbLen; offset += hLen) {
    store<u32>(counter.dataStart, bswap<u32>(c++));
    hasher.updateUnsafe(hAt, hLen);
    hasher.update(counter);
    hasher.finishInto(mask.dataStart);
    const n = min(hLen, dbLen - offset);
    for (let i = 0; i < n; i++) {
      const at = em + <usize>(offset + i);
      store<u8>(at, load<u8>(at) ^ load<u8>(mask.dataStart + <usize>i));
    }
  }
  // Step 9: clear the unused top bits.
  store<u8>(em, <u8>((<u32>load<u8>(em)) & topMask));
  // Step 10: DB = PS (zeros) || 0x01 || salt.
  const psLen = dbLen - sLen - 1;
  let nonZero: u32 = 0;
  for (let i = 0; i < psLen; i++) nonZero |= load<u8>(em + <usize>i);
  if (nonZero != 0 || load<u8>(em + <usize>psLen) != 0x01) return false;
  // Steps 11-13: H' = Hash(0x00 × 8 || mHash || salt).
  const mHash = new Uint8Array(hLen);
  hasher.update(msg);
  hasher.finishInto(mHash.dataStart);
  const zeros = new Uint8Array(8);
  hasher.update(zeros);
  hasher.update(mHash);
  hasher.updateUnsafe(em + <usize>(dbLen - sLen), sLen);
  const hPrime = new Uint8Array(hLen);
  hasher.finishInto(hPrime.dataStart);
  // Step 14.
  return constantTimeEqualUnsafe(hPrime.dataStart, hAt, hLen);
}
