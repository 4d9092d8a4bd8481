// SPDX-License-Identifier: Apache-2.0
// What `getwild serve` runs beside the filter, with and without --envoy: the dev IdP that --dev-idp
// clusters map to, and the built-in echo upstream when no --upstream is given.
import { startEchoUpstream } from "./echo_upstream.js";
import { loadDevKeys } from "./dev_keys.js";
import { startDevIdp } from "./dev_idp.js";
import { clustersNamedIn } from "./config_clusters.js";
import type { ServeOptions } from "./args.js";

export interface LocalServices {
  /** --cluster's map plus each --dev-idp cluster mapped to the dev IdP. */
  clusters: Map<string, URL>;
  devIdp: { url: URL; clusters: string[] } | null;
  /** Where requests go after the filter: --upstream, else the echo upstream. */
  upstream: URL;
  /** True when `upstream` is the built-in echo server. */
  echo: boolean;
}

/** Starts the dev IdP (when asked) and the echo upstream (without --upstream); each pushes its stop onto `stoppers`. */
export async function startLocalServices(options: ServeOptions, stoppers: (() => Promise<void> | void)[]): Promise<LocalServices> {
  const clusters = new Map(options.clusters);
  const devIdpClusters = options.devIdpClusters ?? [];
  let devIdp: LocalServices["devIdp"] = null;
  if (devIdpClusters.length > 0) {
    const idp = await startDevIdp(loadDevKeys(options.devKeyFile));
    stoppers.push(() => idp.close());
    for (const name of devIdpClusters) clusters.set(name, idp.url);
    devIdp = { url: idp.url, clusters: devIdpClusters };
  }
  if (options.upstream) return { clusters, devIdp, upstream: options.upstream, echo: false };
  const echo = await startEchoUpstream();
  stoppers.push(() => echo.close());
  return { clusters, devIdp, upstream: echo.url, echo: true };
}

/** Clusters the plugin configuration names that `clusters` does not map (proxy_http_call to them fails). */
export function unmappedClusters(configuration: Uint8Array | undefined, clusters: ReadonlyMap<string, URL>): string[] {
  const text = configuration === undefined ? "" : new TextDecoder().decode(configuration);
  return clustersNamedIn(text).filter((name) => !clusters.has(name));
}
