// SPDX-License-Identifier: Apache-2.0
// proxy_http_call on real HTTP: a named cluster maps to a loopback http URL or an https URL (TLS verified); the
// call's timeout, failures and reply go back to the filter.
import http from "node:http";
import https from "node:https";
import { rootCertificates } from "node:tls";
import { isIP } from "node:net";
import type { PendingCall, HttpCallOutcome } from "../index.js";
import { hostnameOf, portOf, pathPrefixOf } from "./loopback.js";
import { pairsFromRaw, nodeHeaders } from "./http_headers.js";

/**
 * Builds the host's `httpCallHandler`. Envoy sends the call's `:authority` as Host and its body with a
 * content-length; a timeout gives the filter Envoy's 504, a connection failure the "reset" failure.
 * `settled` runs after each outcome has been delivered to the filter (so streams it resumed move on).
 */
export function clusterCallHandler(clusters: Map<string, URL>, settled: () => void, extraCa?: string) {
  // Extra CAs are added to Node's roots (the `ca` option alone would replace them).
  const ca = extraCa === undefined ? undefined : [...rootCertificates, extraCa];
  return async (call: PendingCall): Promise<HttpCallOutcome> => {
    try {
      return await perform(call, clusters.get(call.cluster)!, ca);
    } finally {
      // The host delivers the outcome in a later microtask; a macrotask runs after it.
      setImmediate(settled);
    }
  };
}

function perform(call: PendingCall, base: URL, ca: string[] | undefined): Promise<HttpCallOutcome> {
  return new Promise((resolve) => {
    let done = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const finish = (outcome: HttpCallOutcome) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve(outcome);
    };
    const headers = nodeHeaders(call.headers);
    headers.host = call.headers.get(":authority") ?? base.host;
    const options = {
      hostname: hostnameOf(base),
      port: portOf(base),
      method: call.headers.get(":method") ?? "GET",
      path: pathPrefixOf(base) + (call.headers.get(":path") ?? "/"),
      headers,
      setHost: false,
      agent: false,
    } as const;
    // TLS: SNI and certificate check against the URL's host (an Envoy cluster's `sni`), whatever
    // :authority the filter sends as Host.
    const req =
      base.protocol === "https:"
        ? https.request({ ...options, servername: isIP(options.hostname) ? undefined : options.hostname, ca, rejectUnauthorized: true })
        : http.request(options);
    if (call.timeoutMs > 0) {
      timer = setTimeout(() => {
        req.destroy();
        finish("timeout");
      }, call.timeoutMs);
    }
    req.on("error", () => finish("reset"));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => finish("reset"));
      res.on("end", () =>
        finish({
          headers: [[":status", String(res.statusCode ?? 502)], ...pairsFromRaw(res.rawHeaders)],
          body: new Uint8Array(Buffer.concat(chunks)),
          trailers: res.rawTrailers.length > 0 ? pairsFromRaw(res.rawTrailers) : undefined,
        }),
      );
    });
    req.end(call.body.length > 0 ? Buffer.from(call.body) : undefined);
  });
}
