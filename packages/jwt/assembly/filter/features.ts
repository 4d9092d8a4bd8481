// SPDX-License-Identifier: Apache-2.0
// Optional JwtAuthn features, compiled in or out at build time, like the algorithms (COMPILED_ALGS):
//   asc ... --use GETWILD_JWT_FEATURES=<mask>     (default: every feature)
// A build that never uses a feature need not carry its code. Each gate below is a constant, so
// `if (COMPILED_FEATURES & FEATURE_X)` removes the feature's code (config reading and request path).
// A configuration that names a feature this module was built without is refused at configure time,
// naming the field: never ignored, since ignoring e.g. `dpop` would accept tokens it should refuse.
//
//   bit  value  constant             configuration it allows                 code it keeps
//   0    1      FEATURE_DPOP         providers.*.dpop                        dpop_config, dpop_replay, jose/dpop, DPoP proofs in binding
//   1    2      FEATURE_MTLS         (tokens with cnf "x5t#S256")            binding.ts certificate check (RFC 8705)
//   2    4      FEATURE_OIDC         providers.*.oidc_discovery              oidc_config, cache/discovery
//   3    8      FEATURE_ROUTES       requirement_map, route_requirements,    requirements.ts
//                                    rules[*].requirement_name, provider_and_audiences
//   4    16     FEATURE_CLAIMS_OUT   providers.*.claim_to_filter_state       claims_out.ts
//
// Without FEATURE_MTLS a token bound to a client certificate (cnf "x5t#S256") is refused as an
// unsupported confirmation (fail closed); it cannot be refused earlier, since no field enables it.
import { ConfigReader, JsonValue, memberPath } from "@getwild/json/assembly";

// @ts-ignore: decorator
@inline export const FEATURE_DPOP: u32 = 1;
// @ts-ignore: decorator
@inline export const FEATURE_MTLS: u32 = 2;
// @ts-ignore: decorator
@inline export const FEATURE_OIDC: u32 = 4;
// @ts-ignore: decorator
@inline export const FEATURE_ROUTES: u32 = 8;
// @ts-ignore: decorator
@inline export const FEATURE_CLAIMS_OUT: u32 = 16;
// @ts-ignore: decorator
@inline export const FEATURES_ALL: u32 = 31;

/** Features compiled into this module: `--use GETWILD_JWT_FEATURES=<mask>` at build time, else all. */
// @ts-ignore: decorator, compile-time symbol
@inline export const COMPILED_FEATURES: u32 = isDefined(GETWILD_JWT_FEATURES)
  ? (<u32>GETWILD_JWT_FEATURES) & FEATURES_ALL
  : FEATURES_ALL;

/** Refuses `field` of `v` (at `path`) when present: its feature is not compiled into this module. */
export function refuseUncompiled(r: ConfigReader, v: JsonValue, path: string, field: string): void {
  if (v.has(field)) r.fail(memberPath(path, field), "not compiled into this module (GETWILD_JWT_FEATURES)");
}
