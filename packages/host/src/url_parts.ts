// SPDX-License-Identifier: Apache-2.0
// The parts of an http:// or https:// base URL that a connection to it needs: the host name node:net
// and Envoy's socket_address take, the port, and the path put in front of every request path.

/** Host name without IPv6 brackets ("[::1]" -> "::1"), as node:http and Envoy's socket_address take it. */
export function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** Port of an http or https URL (80 or 443 when absent). */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

/** The URL's path as a prefix for request paths ("" for "/", no trailing slash). */
export function pathPrefixOf(url: URL): string {
  return url.pathname === "/" ? "" : url.pathname.replace(/\/$/, "");
}
