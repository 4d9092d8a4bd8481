// SPDX-License-Identifier: Apache-2.0
// Ed25519 public keys (RFC 8032 §5.1.5 encoding, JWK "x" of RFC 8037): decoded and checked once at
// import, with the key's precomputed multiples kept in the key object for every later verify.

import { KeyError } from "../errors";
import { X, POINT_SIZE, completedToProjective, pointDouble } from "./point";
import { pointDecode } from "./point_codec";
import { feIsZero } from "./field";
import { buildTables, tableBytes } from "./table";
import { getBaseTables } from "./base_table";

/** NAF width for the key's scalar k: 2^(w-2) precomputed odd multiples per chunk. */
export const KEY_NAF_WIDTH: i32 = 5;

export class Ed25519PublicKey {
  /** The 32 encoded bytes, hashed into every challenge k = SHA-512(R || A || M). */
  readonly encoded: StaticArray<u8> = new StaticArray<u8>(32);
  /** Odd multiples of A (see table.ts), affine, KEY_NAF_WIDTH. */
  readonly tables: StaticArray<u8> = new StaticArray<u8>(<i32>tableBytes(KEY_NAF_WIDTH));
}

export class Ed25519KeyResult {
  constructor(
    readonly key: Ed25519PublicKey | null,
    readonly error: KeyError,
  ) {}
}

// @ts-ignore: decorator
@lazy const POINTS: usize = memory.data(3 * <i32>POINT_SIZE, 8);

/**
 * Imports a public key from its 32 bytes. Rejects a wrong length (BadLength), a y coordinate
 * not below p, bytes that decode to no curve point, and points of small order (all BadEncoding).
 * Small-order keys (the 8 points with [8]A = 0) are refused on purpose: with such a key a forger
 * can make signatures that verify for any message, and no honest key generator produces one.
 */
export function importEd25519PublicKey(x: Uint8Array): Ed25519KeyResult {
  if (x.length != 32) return new Ed25519KeyResult(null, KeyError.BadLength);
  const point = POINTS,
    multiple = POINTS + POINT_SIZE,
    completed = POINTS + 2 * POINT_SIZE;
  if (!pointDecode(point, x.dataStart)) return new Ed25519KeyResult(null, KeyError.BadEncoding);
  // [8]A: three doublings; the result is the neutral element (X = 0) exactly for small order.
  pointDouble(completed, point);
  completedToProjective(multiple, completed);
  pointDouble(completed, multiple);
  completedToProjective(multiple, completed);
  pointDouble(completed, multiple);
  completedToProjective(multiple, completed);
  if (feIsZero(multiple + X)) return new Ed25519KeyResult(null, KeyError.BadEncoding);
  const key = new Ed25519PublicKey();
  memory.copy(changetype<usize>(key.encoded), x.dataStart, 32);
  buildTables(changetype<usize>(key.tables), point, KEY_NAF_WIDTH);
  getBaseTables(); // built here once, so that no verify has to
  return new Ed25519KeyResult(key, KeyError.None);
}
