// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the RSA tests: typed access to build/test/rsa.wasm.
import { loadFixture, type Fixture } from "./wasm";

export interface RsaExports {
  importKey(n: number, e: number, minBits: number): number;
  clearKeys(): void;
  keyByteLength(handle: number): number;
  verify(handle: number, pss: number, alg: number, msg: number, sig: number): number;
  publicOperation(handle: number, sig: number): number;
}

export const HASH_ID: Record<string, number> = {
  "SHA-256": 0,
  "SHA-384": 1,
  "SHA-512": 2,
  sha256: 0,
  sha384: 1,
  sha512: 2,
};

export class RsaWasm {
  readonly fx: Fixture<RsaExports>;
  /** "rsa" is the SIMD build, "rsa_scalar" the portable one. */
  constructor(fixture = "rsa") {
    this.fx = loadFixture<RsaExports>(fixture);
  }
  /** Handle ≥ 0, or minus the KeyError. */
  importKey(n: Uint8Array, e: Uint8Array, minBits = 2048): number {
    const h = this.fx.exports.importKey(this.fx.bytes(n), this.fx.bytes(e), minBits);
    this.fx.release();
    return h;
  }
  verify(handle: number, pss: boolean, alg: number, msg: Uint8Array, sig: Uint8Array): boolean {
    const ok = this.fx.exports.verify(handle, pss ? 1 : 0, alg, this.fx.bytes(msg), this.fx.bytes(sig)) !== 0;
    this.fx.release();
    return ok;
  }
  publicOperation(handle: number, sig: Uint8Array): Buffer {
    const out = Buffer.from(this.fx.read(this.fx.exports.publicOperation(handle, this.fx.bytes(sig))));
    this.fx.release();
    return out;
  }
}

/** Both builds of the RSA code; every RSA test runs on each. */
export const RSA_BUILDS = ["rsa", "rsa_scalar"];
