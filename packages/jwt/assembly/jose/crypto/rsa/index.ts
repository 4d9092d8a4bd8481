// SPDX-License-Identifier: Apache-2.0
// RSA signature verification for JWS RS* (PKCS#1 v1.5) and PS* (PSS): the public surface.
export { RsaPublicKey, RsaKeyResult, importRsaPublicKey, RSA_MAX_BITS, RSA_DEFAULT_MIN_BITS } from "./key";
export { rsaPkcs1Verify } from "./pkcs1";
export { rsaPssVerify } from "./pss";
