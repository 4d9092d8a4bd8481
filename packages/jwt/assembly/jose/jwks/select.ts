// SPDX-License-Identifier: Apache-2.0
// Key selection for one token: by `kid`, then by binding the header `alg` to kty/crv/alg.
//
// Rules (RFC 8725 §3.1, §3.10): a key with a `kid` is a candidate only for a token with the same
// `kid`; a key without `kid` is a candidate for any token (as Envoy does, so a single configured
// key works whatever `kid` the issuer stamps). With no `kid` in the token every fitting key is a
// candidate, in document order. The token never chooses the key type: `keyFitsAlg` does.
// Iteration by index keeps selection allocation-free.

import { Alg } from "../jwt/algorithms";
import { keyFitsAlg } from "../jwt/signature";
import { KeySet } from "./jwks";

/** Index of the first candidate at or after `from`, or -1. */
export function nextCandidate(keys: KeySet, alg: Alg, kid: string | null, from: i32): i32 {
  const list = keys.keys;
  for (let i = max(from, 0); i < list.length; i++) {
    const key = unchecked(list[i]);
    const keyKid = key.kid;
    if (kid != null && keyKid != null && keyKid != kid) continue;
    if (keyFitsAlg(key, alg)) return i;
  }
  return -1;
}
