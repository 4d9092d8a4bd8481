// SPDX-License-Identifier: Apache-2.0
// Bench entry for key import (bench/jwks_import.bench.mjs): one JWKS document parsed into keys, as
// a filter does at configure time and after every JWKS fetch or rotation (JSON, base64url, the key
// checks, and for ECDSA the per-key comb table).
import { parseJwks, JwksOptions, KeySet } from "../assembly/index";

let body: Uint8Array = new Uint8Array(0);
let last: KeySet | null = null;

export function setBody(data: ArrayBuffer): void {
  body = Uint8Array.wrap(data);
}

/** Parses the document set by setBody; returns the number of usable keys (negative: the JwksError). */
export function importAll(): i32 {
  const r = parseJwks(body, new JwksOptions());
  last = r.keySet; // kept so the work cannot be optimised away
  return r.ok ? last!.size : -(<i32>r.error);
}
