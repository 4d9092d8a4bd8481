// SPDX-License-Identifier: Apache-2.0
// How fetched keys are fetched and kept: the timing and size fields that `remote_jwks` and
// `oidc_discovery` share, with one set of defaults and bounds, read in one place.
import { ConfigReader, JsonValue, memberPath } from "@getwild/json/assembly";
import { RemoteJwksConfig } from "../cache/jwks_source";

/** The fields readFetchPolicy reads: `remote_jwks` and `oidc_discovery` both accept them. */
const FETCH_POLICY_FIELDS = [
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

/** `own` with the fetch-policy fields appended: the known fields of an object that holds a fetch policy. */
export function withFetchPolicy(own: Array<string>): Array<string> {
  for (let i = 0; i < FETCH_POLICY_FIELDS.length; i++) own.push(unchecked(FETCH_POLICY_FIELDS[i]));
  return own;
}

/** Reads the fetch and cache fields of the object `v` at `path` into `c` (defaults when absent). */
export function readFetchPolicy(r: ConfigReader, v: JsonValue, path: string, c: RemoteJwksConfig): void {
  c.timeoutMs = <u32>r.integer(v, path, "timeout_ms", 5000, 1, 60000);
  c.minLifetimeSeconds = r.integer(v, path, "min_lifetime_seconds", 30, 1, 31536000);
  c.maxLifetimeSeconds = r.integer(v, path, "max_lifetime_seconds", 86400, 1, 31536000);
  c.fallbackLifetimeSeconds = r.integer(v, path, "fallback_lifetime_seconds", 600, 1, 31536000);
  if (c.minLifetimeSeconds > c.maxLifetimeSeconds)
    r.fail(memberPath(path, "min_lifetime_seconds"), "must not exceed max_lifetime_seconds");
  c.refreshBeforeSeconds = r.integer(v, path, "refresh_before_seconds", 60, 0, 86400);
  c.backoffBaseMs = r.integer(v, path, "backoff_base_ms", 1000, 10, 3600000);
  c.backoffMaxMs = r.integer(v, path, "backoff_max_ms", 60000, 10, 3600000);
  if (c.backoffBaseMs > c.backoffMaxMs) r.fail(memberPath(path, "backoff_base_ms"), "must not exceed backoff_max_ms");
  c.unknownKidMinIntervalMs = r.integer(v, path, "unknown_kid_min_interval_ms", 30000, 0, 86400000);
  c.jwks.maxBytes = r.integer(v, path, "max_bytes", 65536, 256, 1 << 20);
  c.jwks.maxKeys = r.integer(v, path, "max_keys", 64, 1, 1024);
}
