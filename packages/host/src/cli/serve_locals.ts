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
export async function startLocalServices(options: ServeOptions, stoppers: Stopper[]): Promise<LocalServices> {
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

export type Stopper = () => Promise<void> | void;

/** Where serve and serve --envoy push how to stop what they start; stopAll runs them last first. */
export function stopStack(): { stoppers: Stopper[]; stopAll: () => Promise<void> } {
  const stoppers: Stopper[] = [];
  return {
    stoppers,
    stopAll: async () => {
      while (stoppers.length) await stoppers.pop()!();
    },
  };
}

/** What serve and serve --envoy both report about the server they run. */
export interface RunningServerBase {
  /** http://127.0.0.1:PORT (the emulator's listener, or Envoy's). */
  url: string;
  port: number;
  /** Where requests go after the filter. */
  upstream: URL;
  /** True when `upstream` is the built-in echo server. */
  echo: boolean;
  /** The development identity provider, when --dev-idp mapped clusters to it. */
  devIdp: { url: URL; clusters: string[] } | null;
  /** Clusters the configuration names that no --cluster or --dev-idp maps (proxy_http_call to them fails). */
  unmappedClusters: string[];
  /** The package whose build --watch runs on a source change (null: none, or not watching). */
  watching: { buildPackage: string | null } | null;
  /** Loads the filter and configuration again (what --watch does). */
  reload(): Promise<void>;
  /** Stops the server and everything started beside it; once. */
  close(): Promise<void>;
}

/** The shared part of a running server: `close()` runs `stopAll` once, whoever calls it. */
export function runningServerBase(
  port: number,
  services: LocalServices,
  unmapped: string[],
  watching: RunningServerBase["watching"],
  reload: () => Promise<void>,
  stopAll: () => Promise<void>,
): RunningServerBase {
  let closed: Promise<void> | null = null;
  const { upstream, echo, devIdp } = services;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstream,
    echo,
    devIdp,
    unmappedClusters: unmapped,
    watching,
    reload,
    close: () => (closed ??= stopAll()),
  };
}

/** Clusters the plugin configuration names that `clusters` does not map (proxy_http_call to them fails). */
export function unmappedClusters(configuration: Uint8Array | undefined, clusters: ReadonlyMap<string, URL>): string[] {
  const text = configuration === undefined ? "" : new TextDecoder().decode(configuration);
  return clustersNamedIn(text).filter((name) => !clusters.has(name));
}
