// SPDX-License-Identifier: Apache-2.0
// The lines `getwild serve` prints once it listens, the same with and without --envoy: only the Envoy
// line, the CA line and the admin line differ, and the runner passes those in.
import type { ServeOptions } from "./args.js";

/** What the banner reports of a started server (both RunningServer and RunningEnvoyServer have it). */
export interface ServedFacts {
  url: string;
  upstream: URL;
  echo: boolean;
  devIdp: { url: URL; clusters: string[] } | null;
  unmappedClusters: string[];
  watching: { buildPackage: string | null } | null;
}

export interface BannerExtras {
  /** After the filter line: which Envoy runs it. */
  engine?: string;
  /** After the cluster lines: where https clusters take their CA certificates from. */
  ca?: string;
  /** The admin line, when an admin listener runs. */
  admin?: string;
}

export function printServeBanner(
  options: ServeOptions,
  server: ServedFacts,
  io: { out(line: string): void; err(line: string): void },
  extras: BannerExtras,
): void {
  const say = (line: string) => io.out(`getwild serve: ${line}`);
  const workers = `${options.workers} worker${options.workers === 1 ? "" : "s"}`;
  say(`filter ${options.filter} (root_id "${options.rootId}", ${workers}, config ${options.config ?? "none"})`);
  if (extras.engine !== undefined) say(extras.engine);
  say(server.echo ? `upstream: built-in echo at ${server.upstream.origin}` : `upstream: ${server.upstream.origin}`);
  for (const [name, url] of options.clusters) say(`cluster ${name} -> ${url.href}`);
  if (extras.ca !== undefined) say(extras.ca);
  if (server.devIdp) {
    say(
      `dev IdP (development keys, for local testing only): JWKS at ${server.devIdp.url.origin} for cluster ${server.devIdp.clusters.join(", ")}; mint a token with: getwild token ${options.config ?? "CONFIG.json"}`,
    );
  }
  for (const name of server.unmappedClusters) {
    // proxy_http_call to it would fail at request time (BadArgument, as in Envoy): say so now, with the fix.
    io.err(
      `getwild serve: warning: the configuration names cluster "${name}", which is not mapped: pass --cluster ${name}=URL (a loopback http:// or an https:// URL) or --dev-idp ${name}`,
    );
  }
  if (extras.admin !== undefined) say(extras.admin);
  if (server.watching) {
    say(
      `watching ${options.filter}${options.config ? ` and ${options.config}` : ""}${server.watching.buildPackage ? `, and ${server.watching.buildPackage}/assembly (runs its build)` : ""}`,
    );
  }
  say(`listening on ${server.url} (Ctrl-C to stop)`);
}
