// SPDX-License-Identifier: Apache-2.0
// Upstream and cluster URLs: plain http on a loopback address only, so the dev proxy never sends clear text beyond
// this machine; a cluster may also be https:// on any host (TLS, verified), to check a real IdP from a laptop.
import { CliError, ExitCode } from "./errors.js";

/** True for localhost, 127.0.0.0/8 and ::1 (URL hostnames keep IPv6 brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** Parses `text` as an http URL on a loopback host, or throws a CliError naming `what`. */
export function parseLoopbackUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(ExitCode.BadArguments, `${what}: "${text}" is not a URL (expected http://127.0.0.1:PORT)`);
  }
  if (url.protocol !== "http:") {
    throw new CliError(
      ExitCode.BadArguments,
      `${what}: only http:// URLs are supported${what.startsWith("--cluster") ? " (or https://)" : ""}, got "${text}"`,
    );
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new CliError(
      ExitCode.BadArguments,
      `${what}: only loopback addresses (localhost, 127.x.x.x, [::1]) are allowed, got "${url.hostname}"`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new CliError(
      ExitCode.BadArguments,
      `${what}: the URL must not have a query, fragment or credentials: "${text}"`,
    );
  }
  return url;
}

/**
 * A `--cluster` URL: http:// on a loopback host as for the upstream, or https:// on any host (the
 * callout then goes out over TLS with the certificate verified, as a cluster with a TLS transport
 * socket does in Envoy).
 */
export function parseClusterUrl(text: string, what: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below with the loopback form
  }
  if (url === null || url.protocol !== "https:") return parseLoopbackUrl(text, what);
  if (url.search || url.hash || url.username || url.password) {
    throw new CliError(
      ExitCode.BadArguments,
      `${what}: the URL must not have a query, fragment or credentials: "${text}"`,
    );
  }
  return url;
}
