// SPDX-License-Identifier: Apache-2.0
// Ed25519 signature verification (RFC 8032, JWS "EdDSA" of RFC 8037): the public entry points.

export { Ed25519PublicKey, Ed25519KeyResult, importEd25519PublicKey } from "./key";
export { ed25519Verify } from "./verify";
