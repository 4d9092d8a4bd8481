// SPDX-License-Identifier: Apache-2.0
// The downstream connection a stream arrived on, and the upstream it went to: what Envoy reports as
// `source.*`, `destination.*`, `connection.*` and `upstream.*` properties. The host has no sockets
// of its own, so it models a plaintext HTTP/1.1 client on loopback unless told otherwise.
import { encodePropertyValue } from "./property_value.js";

export interface ConnectionInfo {
  /** Client address, "ip:port" (`source.address`; `source.port` is its port). */
  source: string;
  /** Listener address, "ip:port" (`destination.address`, `destination.port`). */
  destination: string;
  /** Envoy's connection id (`connection.id`). */
  id: number;
  /** TLS on the downstream connection, or null for plaintext (`connection.tls_version` absent, `mtls` false). */
  tls: { version?: string; serverName?: string; mtls?: boolean } | null;
}

export interface ConnectionOptions {
  source?: string;
  destination?: string;
  tls?: ConnectionInfo["tls"];
  /** Address of the upstream host a forwarded request reaches (`upstream.address`); default 127.0.0.1:8080. */
  upstream?: string;
}

/** Defaults: client 127.0.0.1:(40000 + id), listener 127.0.0.1:10000, ids from 1 per host, no TLS. */
export function defaultConnection(id: number, given: ConnectionOptions): ConnectionInfo {
  return {
    source: given.source ?? `127.0.0.1:${40000 + (id % 20000)}`,
    destination: given.destination ?? "127.0.0.1:10000",
    id,
    tls: given.tls ?? null,
  };
}

function port(address: string): number | null {
  const m = /:(\d+)$/.exec(address);
  return m ? Number(m[1]) : null;
}

/** `source.*`, `destination.*`, `connection.*`, `upstream.*` as Envoy encodes them; null if absent. */
export function connectionAttribute(
  connection: ConnectionInfo,
  upstream: string | null,
  path: string[],
): Uint8Array | null {
  if (path.length !== 2) return null;
  const [top, name] = path;
  const address =
    top === "source"
      ? connection.source
      : top === "destination"
        ? connection.destination
        : top === "upstream"
          ? upstream
          : undefined;
  if (address !== undefined) {
    if (address === null) return null;
    if (name === "address") return encodePropertyValue(address);
    const p = port(address);
    return name === "port" && p !== null ? encodePropertyValue(p) : null;
  }
  if (top !== "connection") return null;
  switch (name) {
    case "id":
      return encodePropertyValue(connection.id);
    case "mtls":
      return encodePropertyValue(connection.tls?.mtls ?? false);
    case "requested_server_name":
      return encodePropertyValue(connection.tls?.serverName ?? "");
    case "tls_version":
      return connection.tls?.version === undefined ? null : encodePropertyValue(connection.tls.version);
    default:
      return null;
  }
}
