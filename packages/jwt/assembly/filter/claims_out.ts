// SPDX-License-Identifier: Apache-2.0
// `claim_to_filter_state`: verified claims written to Envoy filter state, where Envoy's RBAC filter
// (placed after this one) matches them with a `filter_state` principal. See docs/routes.md,
// "Claims for Envoy's RBAC".
//
// Why filter state and not headers or metadata (found in Envoy 1.40, tests/envoy/test/rbac.test.ts):
// `proxy_set_property(path, value)` stores the value as filter state `wasm.<path>` on the request,
// which RBAC's `filter_state: {key, string_match}` reads. A client cannot send filter state, so
// there is nothing forged to remove first (as there is for claim_to_headers), and it never reaches
// the upstream. Dynamic metadata, which jwt_authn uses, cannot be written through the proxy-wasm ABI.
import { JsonKind, JsonValue, ConfigReader, itemPath, memberPath } from "@getwild/json/assembly";
import { Status, setProperty, logWarn } from "@getwild/core/assembly";
import { COMPILED_FEATURES, FEATURE_CLAIMS_OUT } from "./features";
import { N, named, namesFrom } from "./names";

/** Envoy's prefix of the filter state a wasm filter writes. */
// @ts-ignore: decorator (lazy: only a build with claim_to_filter_state compiles its uses)
@lazy export const WASM_STATE_PREFIX = "wasm.";
/** Longest value written: RBAC matches short claim values; a huge one is more likely an attack. */
const MAX_STATE_VALUE: i32 = 4096;

/** One claim copied to filter state: `key` is the full Envoy key (`wasm.<name>`), as RBAC names it. */
export class ClaimState {
  constructor(
    public key: string,
    public claim: string,
  ) {}
}

/** Reads a provider's `claim_to_filter_state: [{claim_name, key}]`. */
export function readClaimStates(r: ConfigReader, v: JsonValue, path: string): Array<ClaimState> {
  const out = new Array<ClaimState>();
  const list = r.objects(v, path, named(N.ClaimToFilterState));
  const where = memberPath(path, named(N.ClaimToFilterState));
  for (let i = 0; i < list.length; i++) {
    const item = unchecked(list[i]);
    const ip = itemPath(where, i);
    r.only(item, ip, namesFrom(N.ClaimName, N.Key));
    r.required(item, ip, named(N.ClaimName));
    r.required(item, ip, named(N.Key));
    const claim = r.nonEmpty(item, ip, named(N.ClaimName));
    const key = r.nonEmpty(item, ip, named(N.Key));
    if (item.has(named(N.Key)) && !stateKey(key)) {
      r.fail(
        memberPath(ip, named(N.Key)),
        "must be \"wasm.\" followed by 1 to 128 letters, digits, '_', '-' or '.' (Envoy names a wasm filter's state wasm.<name>)",
      );
    }
    out.push(new ClaimState(key, claim));
  }
  return out;
}

function stateKey(key: string): bool {
  if (!key.startsWith(WASM_STATE_PREFIX)) return false;
  const n = key.length - WASM_STATE_PREFIX.length;
  if (n < 1 || n > 128) return false;
  for (let i = WASM_STATE_PREFIX.length; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c == 0x5f ||
      c == 0x2d ||
      c == 0x2e;
    if (!ok) return false;
  }
  return true;
}

/**
 * The text RBAC will match for a claim, or null when it is not written: a string as it is, a number
 * as written in the token, a boolean as `true`/`false`, an array of those joined with `,` (match
 * one element with a regex such as `(^|,)admins(,|$)`). Not written: objects, null, nested arrays,
 * an array element containing `,` (the joined text would be ambiguous), empty arrays, and values
 * over 4 KiB. A claim that is not written leaves the key absent, which no RBAC value matcher matches.
 */
export function claimStateValue(claims: JsonValue, name: string): string | null {
  const v = claims.getPath(name);
  if (v === null) return null;
  let text: string | null = scalarText(v);
  if (text === null && v.kind == JsonKind.Array) {
    const n = v.length;
    if (n == 0) return null;
    let joined = "";
    for (let i = 0; i < n; i++) {
      const item = scalarText(v.at(i)!);
      if (item === null || item.includes(",")) return null;
      joined = i == 0 ? item : joined + "," + item;
    }
    text = joined;
  }
  if (text === null || text.length > MAX_STATE_VALUE) return null;
  return text;
}

function scalarText(v: JsonValue): string | null {
  if (v.kind == JsonKind.String || v.kind == JsonKind.Number) return v.text;
  if (v.kind == JsonKind.Bool) return v.flag ? "true" : "false";
  return null;
}

/** Writes a verified token's selected claims to the request's filter state. */
export function writeClaimStates(states: Array<ClaimState>, claims: JsonValue): void {
  if (!(COMPILED_FEATURES & FEATURE_CLAIMS_OUT)) return; // built without it (features.ts): never configured
  for (let i = 0; i < states.length; i++) {
    const s = unchecked(states[i]);
    const value = claimStateValue(claims, s.claim);
    if (value === null) continue;
    const status = setProperty([s.key.substring(WASM_STATE_PREFIX.length)], Uint8Array.wrap(String.UTF8.encode(value)));
    // The request goes on: without the state, RBAC's matcher finds nothing and its policy decides.
    if (status != Status.Ok) logWarn("jwt_authn: filter state " + s.key + " not written (" + status.toString() + ")");
  }
}
