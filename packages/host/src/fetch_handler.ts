// SPDX-License-Identifier: Apache-2.0
// An httpCallHandler that performs callouts for real over HTTP/1.1 (or HTTPS), mapping Envoy cluster
// names to base URLs, and answers the filter the way Envoy's async client does when the call goes
// wrong. `getwild serve` uses it too, so the in-process host and the CLI answer alike.
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { rootCertificates } from "node:tls";
import {
  CONNECT_FAILURE_REPLY,
  CONNECTION_TERMINATION_REPLY,
  type PendingCall,
  type HttpCallOutcome,
} from "./callouts.js";
import { headerFromNode, headerToNode } from "./header_text.js";
import { hostnameOf, pathPrefixOf, portOf } from "./url_parts.js";

export interface FetchCallOptions {
  /**
   * Extra CA certificates (PEM) trusted for https:// clusters, on top of Node's roots. The server is
   * always verified, with SNI the URL's host (an Envoy cluster with a TLS transport socket and `sni`).
   */
  ca?: string;
}

/**
 * `clusters` maps a cluster name to a base URL ("http://127.0.0.1:8081", or https://); the call's
 * `:path` is appended to the URL's path. The request carries what Envoy's async client sends (seen
 * in tests/envoy differential test "callout requests"): Host from `:authority` first, the call's
 * headers in order (repeated names grouped, as node writes them), its content-length for a body,
 * then `x-envoy-internal: true` and, when the call has a timeout, `x-envoy-expected-rq-timeout-ms`;
 * no `connection` header. What the filter gets, as in Envoy (differential rows callout-*): a
 * connection that could not be made (refused, TLS handshake failed, unresolvable host) is a 503
 * reply with Envoy's body (CONNECT_FAILURE_REPLY), a connection closed before the response headers
 * another 503 (CONNECTION_TERMINATION_REPLY), the call's timeout (real time) Envoy's 504
 * (TIMEOUT_REPLY), all through the success path. Only a failure after the response started is a
 * reset (0 headers, proxy_get_status 11). Replies keep their headers in wire order minus
 * `keep-alive` (Envoy's codec drops it) plus Envoy's `x-envoy-upstream-service-time`. A cluster
 * missing from the map is a connect failure.
 */
export function fetchCallHandler(
  clusters: Record<string, string | URL> | ReadonlyMap<string, string | URL>,
  options: FetchCallOptions = {},
): (call: PendingCall) => Promise<HttpCallOutcome> {
  const lookup = (name: string): string | URL | undefined =>
    clusters instanceof Map
      ? clusters.get(name)
      : Object.hasOwn(clusters, name)
        ? (clusters as Record<string, string | URL>)[name]
        : undefined;
  // Envoy pools connections per cluster; so do these agents.
  const httpAgent = new http.Agent({ keepAlive: true });
  // Extra CAs are added to Node's roots (the `ca` option alone would replace them).
  const ca = options.ca === undefined ? undefined : [...rootCertificates, options.ca];
  const httpsAgent = new https.Agent({ keepAlive: true, ca, rejectUnauthorized: true });
  return (call) =>
    new Promise<HttpCallOutcome>((resolve) => {
      const target = lookup(call.cluster);
      if (target === undefined) return resolve(CONNECT_FAILURE_REPLY);
      const base = new URL(target);
      const secure = base.protocol === "https:";
      const hostname = hostnameOf(base);
      const started = Date.now();
      let settled = false;
      let connected = false;
      let responded = false;
      const finish = (outcome: HttpCallOutcome) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve(outcome);
      };
      const req = (secure ? https : http).request({
        host: hostname,
        port: portOf(base),
        method: call.headers.get(":method") ?? "GET",
        path: pathPrefixOf(base) + (call.headers.get(":path") ?? "/"),
        headers: outgoingHeaders(call),
        setHost: false,
        agent: secure ? httpsAgent : httpAgent,
        ...(secure ? { servername: isIP(hostname) ? undefined : hostname } : {}),
      });
      // Node adds `connection: keep-alive` unless told not to; Envoy sends no connection header.
      req.removeHeader("connection");
      req.on("socket", (socket) => {
        if (req.reusedSocket) connected = true;
        else socket.once(secure ? "secureConnect" : "connect", () => (connected = true));
      });
      const timer = call.timeoutMs > 0 ? setTimeout(() => (req.destroy(), finish("timeout")), call.timeoutMs) : null;
      req.on("error", () => {
        if (responded) return finish("reset");
        finish(connected ? CONNECTION_TERMINATION_REPLY : CONNECT_FAILURE_REPLY);
      });
      req.on("response", (res) => {
        responded = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", () => finish("reset"));
        res.on("aborted", () => finish("reset"));
        res.on("end", () => {
          const replyHeaders: [string, string][] = [[":status", String(res.statusCode ?? 502)]];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!.toLowerCase();
            if (name !== "keep-alive") replyHeaders.push([name, headerFromNode(res.rawHeaders[i + 1]!)]);
          }
          replyHeaders.push(["x-envoy-upstream-service-time", String(Date.now() - started)]);
          const trailers: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawTrailers.length; i += 2) {
            trailers.push([res.rawTrailers[i]!.toLowerCase(), headerFromNode(res.rawTrailers[i + 1]!)]);
          }
          finish({
            headers: replyHeaders,
            body: new Uint8Array(Buffer.concat(chunks)),
            trailers: trailers.length > 0 ? trailers : undefined,
          });
        });
      });
      req.end(call.body.length > 0 ? Buffer.from(call.body) : undefined);
    });
}

/**
 * The request headers as Envoy's router sends a callout: Host first, the call's own headers, then
 * the two Envoy adds. An object (not node's flat array) so that `removeHeader("connection")` still
 * works; values are the header bytes as latin1 strings (node writes them byte for byte).
 */
function outgoingHeaders(call: PendingCall): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  out.host = headerToNode(call.headers.get(":authority") ?? "");
  for (const [name, value] of call.headers.pairs()) {
    if (name.startsWith(":") || name === "host") continue;
    const wire = headerToNode(value);
    const prev = out[name];
    out[name] = prev === undefined ? wire : Array.isArray(prev) ? [...prev, wire] : [prev, wire];
  }
  out["x-envoy-internal"] = "true";
  if (call.timeoutMs > 0) out["x-envoy-expected-rq-timeout-ms"] = String(call.timeoutMs);
  return out;
}
