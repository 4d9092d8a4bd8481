// SPDX-License-Identifier: Apache-2.0
// The http-call filter's plugin configuration: which cluster to call, its :authority and the timeout.
//
// Envoy passes the `configuration` string as is; Istio's WasmPlugin passes `pluginConfig` as JSON.
// Every field is optional, so an empty configuration means "cluster httpbin, 5 s". A configuration
// that is not a JSON object, an unknown field (a typo would otherwise fall back to the default
// silently) or a field of the wrong type is refused (onConfigure returns false), which makes Envoy
// reject the config instead of running with a surprise; the log line lists every wrong field, in
// @getwild/json's wording ("timeout_ms: must be an integer from 1 to 60000, got 0"). "$schema" (a
// string) is allowed so a configuration file can name schema/http-call.schema.json for editors.
import { ConfigReader, JsonLimits } from "@getwild/json/assembly";

export const DEFAULT_CLUSTER = "httpbin";
export const DEFAULT_AUTHORITY = "httpbin.org";
export const DEFAULT_TIMEOUT_MS: u32 = 5000;
/** One minute: longer than any sane callout from a request path. */
export const MAX_TIMEOUT_MS: u32 = 60000;

/** The fields a configuration may have; anything else is refused by name. */
const KNOWN_FIELDS: string[] = ["$schema", "cluster", "authority", "timeout_ms"];

export class CallConfig {
  cluster: string = DEFAULT_CLUSTER;
  authority: string = DEFAULT_AUTHORITY;
  timeoutMs: u32 = DEFAULT_TIMEOUT_MS;
  /** Why the configuration was refused (every error, joined with "; "); "" when it is valid. */
  error: string = "";
}

/** Reads the configuration text; `error` is set (and the other fields are not to be used) when it is invalid. */
export function parseCallConfig(text: string): CallConfig {
  let config = new CallConfig();
  if (text.trim().length == 0) return config;
  let reader = new ConfigReader();
  let root = reader.documentText(text, new JsonLimits());
  if (root !== null) {
    reader.only(root, "", KNOWN_FIELDS);
    reader.string(root, "", "$schema", "");
    config.cluster = reader.string(root, "", "cluster", DEFAULT_CLUSTER, 1);
    config.authority = reader.string(root, "", "authority", DEFAULT_AUTHORITY, 1);
    config.timeoutMs = <u32>reader.integer(root, "", "timeout_ms", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  }
  config.error = reader.error;
  return config;
}
