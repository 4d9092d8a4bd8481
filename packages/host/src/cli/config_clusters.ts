// SPDX-License-Identifier: Apache-2.0
// Which Envoy clusters a plugin configuration names, read before the filter runs, so `getwild serve` can warn
// at start about a cluster nobody mapped instead of the filter finding out at request time.
//
// The configuration is opaque to a proxy-wasm host, so this is a convention, not a parse of the filter's
// schema: in a JSON configuration, every string under a key named "cluster" (any depth) is a cluster name;
// the JwtAuthn Firebase preset without one uses "googleapis" (@getwild/jwt's default).
const FIREBASE_DEFAULT_CLUSTER = "googleapis";

function walk(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (key === "cluster" && typeof child === "string" && child !== "") found.add(child);
    else if (key === "firebase" && child !== null && typeof child === "object" && !("cluster" in child)) {
      found.add(FIREBASE_DEFAULT_CLUSTER);
    }
    walk(child, found);
  }
}

/** Cluster names in a JSON configuration, in order of appearance; [] when it is not JSON. */
export function clustersNamedIn(configText: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(configText);
  } catch {
    return [];
  }
  const found = new Set<string>();
  walk(parsed, found);
  return [...found];
}
