// SPDX-License-Identifier: Apache-2.0
// Ed25519 verification (RFC 8032 §5.1.7), cofactorless: accept when the encoding of
// [S]B - [k]A equals the 32 bytes R of the signature, with k = SHA-512(R || A || M) mod L and
// S < L. R is never decoded: an R that is not a canonical point encoding cannot equal an encoding
// we compute, so the byte comparison refuses it. Variable time: every input here is public.

import { Sha512 } from "../sha512";
import { Ed25519PublicKey, KEY_NAF_WIDTH } from "./key";
import {
  POINT_SIZE,
  AFFINE_SIZE,
  completedToExtended,
  completedToProjective,
  pointAddAffine,
  pointDouble,
  pointSetIdentity,
} from "./point";
import { pointEncode } from "./point_codec";
import { scalarIsCanonical, scalarReduce64, scalarToNaf } from "./scalar";
import { CHUNKS, CHUNK_BITS } from "./table";
import { BASE_NAF_WIDTH, getBaseTables } from "./base_table";

let hasher: Sha512 | null = null;

// Scratch: two NAFs, the hash, the reduced k, the encoding of the result, and three points.
// @ts-ignore: decorator
@lazy const S_NAF: usize = memory.data(256, 8);
// @ts-ignore: decorator
@lazy const K_NAF: usize = memory.data(256, 8);
// @ts-ignore: decorator
@lazy const HASH: usize = memory.data(64, 8);
// @ts-ignore: decorator
@lazy const K_SCALAR: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const ENCODED: usize = memory.data(32, 8);
// @ts-ignore: decorator
@lazy const POINTS: usize = memory.data(3 * <i32>POINT_SIZE, 8);

/** True when `sig` is a valid Ed25519 signature of `msg` by `key`. Never traps. */
export function ed25519Verify(key: Ed25519PublicKey, msg: Uint8Array, sig: Uint8Array): bool {
  if (sig.length != 64) return false;
  const r = sig.dataStart,
    s = sig.dataStart + 32;
  if (!scalarIsCanonical(s)) return false;
  let h = hasher;
  if (h === null) hasher = h = new Sha512(false);
  h.reset();
  h.updateUnsafe(r, 32);
  h.updateUnsafe(changetype<usize>(key.encoded), 32);
  h.update(msg);
  h.finishInto(HASH);
  scalarReduce64(K_SCALAR, HASH);
  const sTop = scalarToNaf(S_NAF, s, BASE_NAF_WIDTH);
  const kTop = scalarToNaf(K_NAF, K_SCALAR, KEY_NAF_WIDTH);
  const result = POINTS;
  doubleScalarMul(result, getBaseTables(), changetype<usize>(key.tables), max(sTop, kTop));
  pointEncode(ENCODED, result);
  return memory.compare(ENCODED, r, 32) == 0;
}

/**
 * result (projective) = sum over chunks of [S-digits]B_q - [k-digits]A_q, one shared doubling per
 * bit position inside a chunk. `top` is the highest non-zero NAF position of either scalar.
 */
function doubleScalarMul(result: usize, bTables: usize, aTables: usize, top: i32): void {
  const completed = POINTS + POINT_SIZE,
    extended = POINTS + 2 * POINT_SIZE;
  const bEntries = 1 << (BASE_NAF_WIDTH - 2),
    aEntries = 1 << (KEY_NAF_WIDTH - 2);
  pointSetIdentity(result);
  const start = top < 0 ? -1 : min(top, CHUNK_BITS - 1);
  for (let bit = start; bit >= 0; bit--) {
    pointDouble(completed, result);
    for (let q = 0; q < CHUNKS; q++) {
      const position = <usize>(q * CHUNK_BITS + bit);
      const sDigit = <i32>load<i8>(S_NAF + position);
      if (sDigit != 0) {
        completedToExtended(extended, completed);
        const index = (sDigit < 0 ? -sDigit : sDigit) >> 1;
        pointAddAffine(completed, extended, bTables + <usize>(q * bEntries + index) * AFFINE_SIZE, sDigit < 0);
      }
      const kDigit = <i32>load<i8>(K_NAF + position);
      if (kDigit != 0) {
        completedToExtended(extended, completed);
        const index = (kDigit < 0 ? -kDigit : kDigit) >> 1;
        // Subtracting [k]A: a positive digit subtracts, a negative one adds.
        pointAddAffine(completed, extended, aTables + <usize>(q * aEntries + index) * AFFINE_SIZE, kDigit > 0);
      }
    }
    completedToProjective(result, completed);
  }
}
