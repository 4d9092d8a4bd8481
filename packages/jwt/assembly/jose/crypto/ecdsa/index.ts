// SPDX-License-Identifier: Apache-2.0
// ECDSA verification for JWS ES256 / ES384 / ES512: public API of this folder.

export { EcCurve } from "./curve";
export { EcPublicKey, EcKeyResult, importEcPublicKey } from "./key";
export { ecdsaVerify, ecdsaVerifyDigest } from "./verify";
