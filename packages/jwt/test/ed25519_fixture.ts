// SPDX-License-Identifier: Apache-2.0
// The compiled ed25519 test fixture and the little-endian scalar helpers the Ed25519 tests share
// (known-answer, differential and mixed-order).
import { loadFixture, type Fixture } from "./wasm";

export interface Ed25519Exports {
  importError(x: number): number;
  verify(pk: number, msg: number, sig: number): number;
  reduce64(h: number): number;
  fieldOp(op: number, a: number, b: number): number;
}

/** The portable build and the SIMD one (field add, sub and negate take a v128 path there). */
export const ED25519_BUILDS = ["ed25519", "ed25519_simd"];

const loaded = new Map<string, Fixture<Ed25519Exports>>();
/** A build of the fixture, loaded on first use (global setup builds it before any test runs). */
export function ed25519Fixture(build = "ed25519"): Fixture<Ed25519Exports> {
  let fx = loaded.get(build);
  if (fx === undefined) loaded.set(build, (fx = loadFixture<Ed25519Exports>(build)));
  return fx;
}

/** 1 valid, 0 invalid, -1 key refused. A wasm abort (a trap) throws and fails the test. */
export function verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, build = "ed25519"): number {
  const fx = ed25519Fixture(build);
  const r = fx.exports.verify(fx.bytes(pk), fx.bytes(msg), fx.bytes(sig));
  fx.release();
  return r;
}

/** The KeyError of importing `pk` as an Ed25519 public key (0 when it imports). */
export function importError(pk: Uint8Array): number {
  const fx = ed25519Fixture();
  const r = fx.exports.importError(fx.bytes(pk));
  fx.release();
  return r;
}

/** The order of the base point. */
export const L = 2n ** 252n + 27742317777372353535851937790883648493n;
/** `x` as `n` little-endian bytes. */
export const toLe = (x: bigint, n = 32): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
};
/** The unsigned little-endian integer in `b`. */
export const fromLe = (b: Uint8Array): bigint => b.reduceRight((x, v) => (x << 8n) | BigInt(v), 0n);
