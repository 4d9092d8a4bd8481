// SPDX-License-Identifier: Apache-2.0
// How fetched keys are fetched and kept: the timing and size fields that `remote_jwks` and
// `oidc_discovery` share, with one set of defaults and bounds, read in one place.
import { ConfigReader, JsonValue, memberPath } from "@getwild/json/assembly";
import { RemoteJwksConfig } from "../cache/jwks_source";

/**
 * The fields readFetchPolicy reads: `remote_jwks` and `oidc_discovery` both accept them. A
 * compile-time table (one static block, no code per name), read by position (FetchField), so each
 * name is stored once.
 */
// @ts-ignore: decorator
@lazy const FETCH_POLICY_FIELDS: StaticArray<string> = [
  "timeout_ms",
  "min_lifetime_seconds",
  "max_lifetime_seconds",
  "fallback_lifetime_seconds",
  "refresh_before_seconds",
  "backoff_base_ms",
  "backoff_max_ms",
  "unknown_kid_min_interval_ms",
  "max_bytes",
  "max_keys",
];
const enum F {
  TimeoutMs,
  MinLifetimeSeconds,
  MaxLifetimeSeconds,
  FallbackLifetimeSeconds,
  RefreshBeforeSeconds,
  BackoffBaseMs,
  BackoffMaxMs,
  UnknownKidMinIntervalMs,
  MaxBytes,
  MaxKeys,
}
/** The name of fetch-policy field `f`. */
function fetchField(f: F): string {
  return unchecked(FETCH_POLICY_FIELDS[f]);
}

/** The known fields of an object that holds a fetch policy: `own`, then the fetch-policy fields (a new array). */
export function withFetchPolicy(own: Array<string>): Array<string> {
  const known = new Array<string>();
  for (let i = 0; i < own.length; i++) known.push(unchecked(own[i]));
  for (let i = 0; i < FETCH_POLICY_FIELDS.length; i++) known.push(unchecked(FETCH_POLICY_FIELDS[i]));
  return known;
}

/** Reads the fetch and cache fields of the object `v` at `path` into `c` (defaults when absent). */
export function readFetchPolicy(r: ConfigReader, v: JsonValue, path: string, c: RemoteJwksConfig): void {
  c.timeoutMs = <u32>r.integer(v, path, fetchField(F.TimeoutMs), 5000, 1, 60000);
  c.minLifetimeSeconds = r.integer(v, path, fetchField(F.MinLifetimeSeconds), 30, 1, 31536000);
  c.maxLifetimeSeconds = r.integer(v, path, fetchField(F.MaxLifetimeSeconds), 86400, 1, 31536000);
  c.fallbackLifetimeSeconds = r.integer(v, path, fetchField(F.FallbackLifetimeSeconds), 600, 1, 31536000);
  if (c.minLifetimeSeconds > c.maxLifetimeSeconds)
    r.fail(memberPath(path, fetchField(F.MinLifetimeSeconds)), "must not exceed max_lifetime_seconds");
  c.refreshBeforeSeconds = r.integer(v, path, fetchField(F.RefreshBeforeSeconds), 60, 0, 86400);
  c.backoffBaseMs = r.integer(v, path, fetchField(F.BackoffBaseMs), 1000, 10, 3600000);
  c.backoffMaxMs = r.integer(v, path, fetchField(F.BackoffMaxMs), 60000, 10, 3600000);
  if (c.backoffBaseMs > c.backoffMaxMs)
    r.fail(memberPath(path, fetchField(F.BackoffBaseMs)), "must not exceed backoff_max_ms");
  c.unknownKidMinIntervalMs = r.integer(v, path, fetchField(F.UnknownKidMinIntervalMs), 30000, 0, 86400000);
  c.jwks.maxBytes = r.integer(v, path, fetchField(F.MaxBytes), 65536, 256, 1 << 20);
  c.jwks.maxKeys = r.integer(v, path, fetchField(F.MaxKeys), 64, 1, 1024);
}
