// SPDX-License-Identifier: Apache-2.0
// The compiled ecdsa test fixture and the calls the ECDSA tests share (vectors and differential):
// key import by curve id, and verification of a message or of a digest.
import { loadFixture, type Fixture } from "./wasm";

export interface EcdsaExports {
  importKey(curve: number, x: number, y: number): number;
  verify(handle: number, msg: number, sig: number): number;
  verifyDigest(handle: number, digest: number, sig: number): number;
  invertMod(curve: number, field: number, x: number): number;
  dropKeys(): void;
  __collect(): void;
}

/** The portable build and the SIMD one (P-256 field multiplication by p256_mul_simd.ts there). */
export const ECDSA_BUILDS = ["ecdsa", "ecdsa_simd"];

const loaded = new Map<string, Fixture<EcdsaExports>>();
/** A build of the fixture, loaded on first use (global setup builds it before any test runs). */
export function ecdsaFixture(build = "ecdsa"): Fixture<EcdsaExports> {
  let f = loaded.get(build);
  if (f === undefined) loaded.set(build, (f = loadFixture<EcdsaExports>(build)));
  return f;
}

/** What the fixture's importKey answers for the curve id and the big-endian coordinates. */
export function importKey(curve: number, x: Uint8Array, y: Uint8Array, build = "ecdsa"): number {
  const f = ecdsaFixture(build);
  const h = f.exports.importKey(curve, f.bytes(x), f.bytes(y));
  f.release();
  return h;
}

/** Whether `sig` (raw r||s) verifies `msg` under the key `handle`; a trap throws and fails the test. */
export function verify(handle: number, msg: Uint8Array, sig: Uint8Array, build = "ecdsa"): boolean {
  const f = ecdsaFixture(build);
  const ok = f.exports.verify(handle, f.bytes(msg), f.bytes(sig));
  f.release();
  return ok !== 0;
}

/** Whether `sig` verifies the already hashed `digest` under the key `handle`. */
export function verifyDigest(handle: number, digest: Uint8Array, sig: Uint8Array): boolean {
  const f = ecdsaFixture();
  const ok = f.exports.verifyDigest(handle, f.bytes(digest), f.bytes(sig));
  f.release();
  return ok !== 0;
}
