// SPDX-License-Identifier: Apache-2.0
// An example's own envoy.yaml, the file users deploy, made runnable here: listeners move to 127.0.0.1
// on a free port, cluster endpoints point at local stand-ins, the `.wasm` path becomes absolute, and an
// upstream TLS cluster may be given the test CA. Nothing else may change: `changedPaths` lists every
// leaf that differs and `disallowedChanges` keeps those outside the rewrites above, so a test can
// assert the list is empty.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./locate";

export type Bootstrap = Record<string, any>;

export interface Endpoint {
  address: string;
  port: number;
}

export interface Rewrites {
  /** Cluster name -> where its endpoints go (every endpoint of that cluster). */
  clusters?: Record<string, Endpoint>;
  /** Cluster name -> a CA file for its UpstreamTlsContext validation (replaces trusted_ca). */
  trustedCa?: Record<string, string>;
  /** Absolute path for every wasm `vm_config.code.local.filename` (default: the example's build/filter.wasm). */
  wasm?: string;
  /** Plugin configuration to put in place of the file's (only for tests of configurations other than the shipped one). */
  pluginConfiguration?: string;
}

export function exampleDir(example: string): string {
  return join(repoRoot, "examples", example);
}

export function loadExampleBootstrap(example: string): Bootstrap {
  return parse(readFileSync(join(exampleDir(example), "envoy.yaml"), "utf8"));
}

/** Every `envoy.filters.http.wasm` filter config (the `typed_config.config` objects) in a bootstrap. */
export function wasmConfigs(bootstrap: Bootstrap): any[] {
  const out: any[] = [];
  for (const listener of bootstrap.static_resources?.listeners ?? []) {
    for (const chain of listener.filter_chains ?? []) {
      for (const filter of chain.filters ?? []) {
        for (const http of filter.typed_config?.http_filters ?? []) {
          if (http.name === "envoy.filters.http.wasm") out.push(http.typed_config.config);
        }
      }
    }
  }
  return out;
}

export function rewriteBootstrap(example: string, original: Bootstrap, rewrites: Rewrites = {}): Bootstrap {
  const copy: Bootstrap = structuredClone(original);
  for (const listener of copy.static_resources?.listeners ?? []) {
    listener.address.socket_address.address = "127.0.0.1";
    listener.address.socket_address.port_value = 0;
  }
  for (const config of wasmConfigs(copy)) {
    config.vm_config.code.local.filename = rewrites.wasm ?? join(exampleDir(example), "build", "filter.wasm");
    if (rewrites.pluginConfiguration !== undefined) config.configuration.value = rewrites.pluginConfiguration;
  }
  for (const cluster of copy.static_resources?.clusters ?? []) {
    const endpoint = rewrites.clusters?.[cluster.name];
    if (endpoint !== undefined) {
      for (const group of cluster.load_assignment?.endpoints ?? []) {
        for (const lb of group.lb_endpoints ?? []) {
          lb.endpoint.address.socket_address.address = endpoint.address;
          lb.endpoint.address.socket_address.port_value = endpoint.port;
        }
      }
    }
    const ca = rewrites.trustedCa?.[cluster.name];
    if (ca !== undefined) {
      const tls = cluster.transport_socket?.typed_config;
      if (tls === undefined) throw new Error(`cluster ${cluster.name} has no transport socket to give a CA to`);
      tls.common_tls_context ??= {};
      tls.common_tls_context.validation_context ??= {};
      tls.common_tls_context.validation_context.trusted_ca = { filename: ca };
    }
  }
  delete copy.admin; // startEnvoy puts its own admin on a free loopback port
  return copy;
}

/** Dotted paths of every leaf that differs between two JSON-like values. */
export function changedPaths(a: unknown, b: unknown, path = ""): string[] {
  if (a === b) return [];
  // An object added (or removed) as a whole is listed by its leaves, so that an allowed leaf added
  // under a new parent (the test CA's trusted_ca under a new common_tls_context) is recognised.
  if (a === undefined && typeof b === "object" && b !== null && !Array.isArray(b)) return changedPaths({}, b, path);
  if (b === undefined && typeof a === "object" && a !== null && !Array.isArray(a)) return changedPaths(a, {}, path);
  if (
    typeof a !== "object" ||
    typeof b !== "object" ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return [path];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of keys)
    out.push(...changedPaths((a as any)[key], (b as any)[key], path === "" ? key : `${path}.${key}`));
  return out;
}

const ALLOWED = [
  /^admin(\.|$)/,
  /^static_resources\.listeners\.\d+\.address\.socket_address\.(address|port_value)$/,
  /^static_resources\.clusters\.\d+\.load_assignment\.endpoints\.\d+\.lb_endpoints\.\d+\.endpoint\.address\.socket_address\.(address|port_value)$/,
  /^static_resources\.clusters\.\d+\.transport_socket\.typed_config\.common_tls_context\.validation_context\.trusted_ca(\.|$)/,
  /\.vm_config\.code\.local\.filename$/,
];

/** The changes a rewrite made that are not among the allowed ones (ports, endpoints, wasm path, admin, test CA). */
export function disallowedChanges(original: Bootstrap, rewritten: Bootstrap): string[] {
  return changedPaths(original, rewritten).filter((p) => !ALLOWED.some((re) => re.test(p)));
}
