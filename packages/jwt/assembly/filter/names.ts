// SPDX-License-Identifier: Apache-2.0
// The field names (and a few choices) of the JwtAuthn configuration, in one table read by position.
// Its own file so that config.ts and the readers it calls (requirements.ts, oidc_config.ts,
// claims_out.ts, dpop_config.ts) share it without importing config.ts back.

/**
 * The names the configuration reader knows (config.ts and the files it calls): every field, each
 * object's a run of positions (`N`), and the choices of a few fields. One compile-time table (core's literal pool stores it as one static
 * block, no code per name), read by position, so each name is stored once in the module; a run
 * is also that object's list of known fields (`namesFrom`), for the "unknown field" check.
 */
// @ts-ignore: decorator
@lazy const NAMES: StaticArray<string> = [
  // the top level ("$schema" lets a configuration file name its JSON Schema for editors,
  // schema/jwt-authn.schema.json; the filter only checks that it is a string)
  "$schema",
  "providers",
  "rules",
  "unmatched",
  "bypass_cors_preflight",
  "audience_failure_status",
  "failure_body",
  "realm",
  "jwks_unavailable",
  "jwt_cache_size",
  "jwt_cache_bytes",
  "stat_prefix",
  "tick_ms",
  "path_with_escaped_slashes_action",
  "requirement_map",
  "route_requirements",
  // a provider
  "issuer",
  "issuers",
  "audiences",
  "algorithms",
  "require_expiration",
  "require_kid",
  "require_subject",
  "clock_skew_seconds",
  "max_lifetime_seconds",
  "claims",
  "local_jwks",
  "remote_jwks",
  "from_headers",
  "from_cookies",
  "from_params",
  "forward",
  "forward_payload_header",
  "claim_to_headers",
  "firebase",
  "max_token_bytes",
  "dpop",
  "claim_to_filter_state",
  "oidc_discovery",
  // claim_to_headers[i]: header_name, claim_name; claim_to_filter_state[i]: claim_name, key
  "header_name",
  "claim_name",
  "key",
  // firebase: project_id, cluster; oidc_discovery: cluster, jwks_cluster (and the fetch policy's)
  "project_id",
  "cluster",
  "jwks_cluster",
  // remote_jwks: cluster to path (and the fetch policy's); rules[i].match: path to headers
  "cluster",
  "authority",
  "uri",
  "path",
  "prefix",
  "headers",
  // rules[i]
  "match",
  "requires",
  "requirement_name",
  // from_headers[i]: value_prefix, name; rules[i].match.headers[j]: name; claims[i]: name to exists
  // (the operators in the order of ClaimOp)
  "value_prefix",
  "name",
  "equals",
  "one_of",
  "contains_any",
  "contains_all",
  "is_true",
  "exists",
  // the kinds of requirement (one member each), and the list requires_any and requires_all hold
  "provider_name",
  "provider_and_audiences",
  "requires_any",
  "requires_all",
  "allow_missing",
  "allow_missing_or_failed",
  "requirements",
  // the choices of path_with_escaped_slashes_action, failure_body, jwks_unavailable and unmatched
  "REJECT_REQUEST",
  "UNESCAPE_AND_FORWARD",
  "json",
  "empty",
  "deny",
  "allow",
];
/** Positions in NAMES. */
export const enum N {
  Schema,
  Providers,
  Rules,
  Unmatched,
  BypassCorsPreflight,
  AudienceFailureStatus,
  FailureBody,
  Realm,
  JwksUnavailable,
  JwtCacheSize,
  JwtCacheBytes,
  StatPrefix,
  TickMs,
  PathWithEscapedSlashesAction,
  RequirementMap,
  RouteRequirements,
  Issuer,
  Issuers,
  Audiences,
  Algorithms,
  RequireExpiration,
  RequireKid,
  RequireSubject,
  ClockSkewSeconds,
  MaxLifetimeSeconds,
  Claims,
  LocalJwks,
  RemoteJwks,
  FromHeaders,
  FromCookies,
  FromParams,
  Forward,
  ForwardPayloadHeader,
  ClaimToHeaders,
  Firebase,
  MaxTokenBytes,
  Dpop,
  ClaimToFilterState,
  OidcDiscovery,
  HeaderName,
  ClaimName,
  Key,
  ProjectId,
  Cluster,
  JwksCluster,
  RemoteCluster,
  Authority,
  Uri,
  Path,
  Prefix,
  Headers,
  Match,
  Requires,
  RequirementName,
  ValuePrefix,
  Name,
  Equals,
  OneOf,
  ContainsAny,
  ContainsAll,
  IsTrue,
  Exists,
  ProviderName,
  ProviderAndAudiences,
  RequiresAny,
  RequiresAll,
  AllowMissing,
  AllowMissingOrFailed,
  Requirements,
  RejectRequest,
  UnescapeAndForward,
  Json,
  Empty,
  Deny,
  Allow,
}

/** The name at position `n` of NAMES. */
export function named(n: N): string {
  return unchecked(NAMES[n]);
}

/** The names at positions `first` to `last` of NAMES (one object's known fields), as a new array. */
export function namesFrom(first: N, last: N): Array<string> {
  const out = new Array<string>();
  for (let n = first; n <= last; n++) out.push(named(n));
  return out;
}
