// SPDX-License-Identifier: Apache-2.0
// Size probe: the smallest useful JWT filter core (parse a JWKS, verify tokens), compiled by
// bench/jwt_size.mjs with different GETWILD_JWT_ALGS masks.
import { verifyJwt, parseJwks, VerifyOptions, KeySet, JwksOptions } from "../assembly/index";

let keys = new KeySet();
const options = new VerifyOptions();

export function load(body: ArrayBuffer): i32 {
  const r = parseJwks(Uint8Array.wrap(body), new JwksOptions());
  if (r.keySet != null) keys = r.keySet!;
  return <i32>r.error;
}

export function check(token: string, now: i64): i32 {
  return <i32>verifyJwt(token, keys, options, now).error;
}
