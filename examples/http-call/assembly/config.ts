// SPDX-License-Identifier: Apache-2.0
// The http-call filter's plugin configuration: which cluster to call, its :authority and the timeout.
//
// Envoy passes the `configuration` string as is; Istio's WasmPlugin passes `pluginConfig` as JSON.
// Every field is optional, so an empty configuration means "cluster httpbin, 5 s". A configuration
// that is not a JSON object, an unknown field (a typo would otherwise fall back to the default
// silently) or a field of the wrong type is refused (onConfigure returns false), which makes Envoy
// reject the config instead of running with a surprise. "$schema" (a string) is allowed so a
// configuration file can name schema/http-call.schema.json for editors.
import { JsonKind, JsonValue, parseJsonText } from "@getwild/json/assembly";

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
  /** Why the configuration was refused; "" when it is valid. */
  error: string = "";
}

/** Reads the configuration text; `error` is set (and the other fields are defaults) when it is invalid. */
export function parseCallConfig(text: string): CallConfig {
  let config = new CallConfig();
  if (text.trim().length == 0) return config;
  let parsed = parseJsonText(text);
  let root = parsed.value;
  if (!parsed.ok || root === null || root.kind != JsonKind.Object) {
    config.error = "configuration must be a JSON object";
    return config;
  }
  for (let i = 0, n = root.length; i < n; i++) {
    let name = root.nameAt(i);
    if (!KNOWN_FIELDS.includes(name)) return refuse(config, "unknown field \"" + name + "\" (known: cluster, authority, timeout_ms)");
  }
  let schema = root.get("$schema");
  if (schema !== null && schema.kind != JsonKind.String) return refuse(config, "\"$schema\" must be a string");
  let cluster = nonEmptyString(root, "cluster");
  let authority = nonEmptyString(root, "authority");
  if (root.has("cluster")) {
    if (cluster === null) return refuse(config, "\"cluster\" must be a non-empty string");
    config.cluster = cluster;
  }
  if (root.has("authority")) {
    if (authority === null) return refuse(config, "\"authority\" must be a non-empty string");
    config.authority = authority;
  }
  if (root.has("timeout_ms")) {
    let timeout = root.get("timeout_ms");
    let ms = timeout === null || timeout.kind != JsonKind.Number ? -1 : smallInteger(timeout.text);
    if (ms < 1 || <u32>ms > MAX_TIMEOUT_MS) {
      return refuse(config, "\"timeout_ms\" must be an integer from 1 to " + MAX_TIMEOUT_MS.toString());
    }
    config.timeoutMs = <u32>ms;
  }
  return config;
}

function refuse(config: CallConfig, why: string): CallConfig {
  config.error = why;
  return config;
}

function nonEmptyString(object: JsonValue, name: string): string | null {
  let value = object.get(name);
  if (value === null || value.kind != JsonKind.String || value.text.length == 0) return null;
  return value.text;
}

/** Decimal digits only, at most 9 of them; -1 otherwise (no exponent or fraction in a timeout). */
function smallInteger(text: string): i32 {
  let n = text.length;
  if (n == 0 || n > 9) return -1;
  let value: i32 = 0;
  for (let i = 0; i < n; i++) {
    let digit = <i32>text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
