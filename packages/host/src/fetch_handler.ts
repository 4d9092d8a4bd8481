// SPDX-License-Identifier: Apache-2.0
// An httpCallHandler that performs callouts for real over HTTP/1.1, mapping Envoy cluster names to base
// URLs, and answers the filter the way Envoy's async client does when the call goes wrong.
import http from "node:http";
import {
  CONNECT_FAILURE_REPLY, CONNECTION_TERMINATION_REPLY, type PendingCall, type HttpCallOutcome,
} from "./callouts.js";
import { decodeHeaderValue, encodeHeaderValue } from "./header_text.js";

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

/**
 * `clusters` maps a cluster name to a base URL ("http://127.0.0.1:8081"); the call's `:path` is
 * appended. The request carries exactly the call's headers (`:authority` as Host), as Envoy sends
 * them (plus its content-length for a body). What the filter gets, as in Envoy (tests/envoy
 * differential rows callout-*): a refused connection is a 503 reply with Envoy's body
 * (CONNECT_FAILURE_REPLY), a connection closed before the response headers another 503
 * (CONNECTION_TERMINATION_REPLY), the call's timeout (real time) Envoy's 504 (TIMEOUT_REPLY). A
 * failure after the response started is a reset (0 headers, proxy_get_status 11). Replies keep
 * their headers in wire order minus `keep-alive` (Envoy's codec drops it) plus Envoy's
 * `x-envoy-upstream-service-time`. A cluster missing from the map is a connect failure.
 */
export function fetchCallHandler(clusters: Record<string, string>): (call: PendingCall) => Promise<HttpCallOutcome> {
  const agent = new http.Agent({ keepAlive: true });
  return (call) =>
    new Promise<HttpCallOutcome>((resolve) => {
      const base = Object.hasOwn(clusters, call.cluster) ? new URL(clusters[call.cluster]!) : null;
      if (!base) return resolve(CONNECT_FAILURE_REPLY);
      const started = Date.now();
      let settled = false;
      let responded = false;
      const finish = (outcome: HttpCallOutcome) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve(outcome);
      };
      const headers: string[] = [];
      for (const [k, v] of call.headers.pairs()) {
        if (k === ":authority") headers.push("host", latin1(encodeHeaderValue(v)));
        else if (!k.startsWith(":")) headers.push(k, latin1(encodeHeaderValue(v)));
      }
      const prefix = base.pathname === "/" ? "" : base.pathname.replace(/\/$/, "");
      const req = http.request({
        host: base.hostname,
        port: base.port,
        method: call.headers.get(":method") ?? "GET",
        path: prefix + (call.headers.get(":path") ?? "/"),
        headers,
        setHost: false,
        agent,
      });
      const timer = call.timeoutMs > 0 ? setTimeout(() => (req.destroy(), finish("timeout")), call.timeoutMs) : null;
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (responded) return finish("reset");
        finish(error.code === "ECONNREFUSED" ? CONNECT_FAILURE_REPLY : CONNECTION_TERMINATION_REPLY);
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
            if (name !== "keep-alive") replyHeaders.push([name, decodeHeaderValue(Buffer.from(res.rawHeaders[i + 1]!, "latin1"))]);
          }
          replyHeaders.push(["x-envoy-upstream-service-time", String(Date.now() - started)]);
          const trailers: [string, string][] = [];
          for (let i = 0; i + 1 < res.rawTrailers.length; i += 2) trailers.push([res.rawTrailers[i]!.toLowerCase(), res.rawTrailers[i + 1]!]);
          finish({ headers: replyHeaders, body: new Uint8Array(Buffer.concat(chunks)), trailers: trailers.length > 0 ? trailers : undefined });
        });
      });
      req.end(call.body.length > 0 ? Buffer.from(call.body) : undefined);
    });
}
