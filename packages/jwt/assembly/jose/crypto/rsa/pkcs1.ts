// SPDX-License-Identifier: Apache-2.0
// RSASSA-PKCS1-v1_5 verify (RFC 8017 §8.2.2) for JWS RS256/384/512: the expected encoded message
// is rebuilt from the hash and compared whole, so no ASN.1 is ever parsed from the signature.
import { HashAlg, digest, hashLength } from "../hash";
import { constantTimeEqualUnsafe } from "../ct_equal";
import { RsaPublicKey } from "./key";

// DER of DigestInfo { AlgorithmIdentifier { OID, NULL }, OCTET STRING of hLen } up to the hash
// (RFC 8017 §9.2 note 1). The NULL parameter is required: the form without it is refused.
// @ts-ignore: decorator
@lazy const DIGEST_INFO_SHA256: StaticArray<u8> = [
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
];
// @ts-ignore: decorator
@lazy const DIGEST_INFO_SHA384: StaticArray<u8> = [
  0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
];
// @ts-ignore: decorator
@lazy const DIGEST_INFO_SHA512: StaticArray<u8> = [
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
];

/**
 * True when `sig` is a valid RSASSA-PKCS1-v1_5 signature of `msg` with hash `alg`: exactly k
 * bytes, below n, and sig^e mod n equal to 00 01 FF..FF 00 || DigestInfo || H(msg) in every byte.
 */
export function rsaPkcs1Verify(key: RsaPublicKey, alg: HashAlg, msg: Uint8Array, sig: Uint8Array): bool {
  const hLen = hashLength(alg);
  if (hLen == 0) return false;
  const prefix =
    alg == HashAlg.SHA256 ? DIGEST_INFO_SHA256 : alg == HashAlg.SHA384 ? DIGEST_INFO_SHA384 : DIGEST_INFO_SHA512;
  const k = key.byteLength;
  const tLen = prefix.length + hLen;
  // EMSA-PKCS1-v1_5 needs at least eight 0xFF padding bytes.
  if (k < tLen + 11) return false;
  if (!key.publicOperation(sig)) return false;
  const e = key.expectedBlock.dataStart;
  store<u8>(e, 0x00);
  store<u8>(e, 0x01, 1);
  const padEnd = k - tLen - 1;
  memory.fill(e + 2, 0xff, <usize>(padEnd - 2));
  store<u8>(e + <usize>padEnd, 0x00);
  memory.copy(e + <usize>(padEnd + 1), changetype<usize>(prefix), <usize>prefix.length);
  const h = digest(alg, msg);
  memory.copy(e + <usize>(k - hLen), h.dataStart, <usize>hLen);
  return constantTimeEqualUnsafe(e, key.encoded.dataStart, k);
}
