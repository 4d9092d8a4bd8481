// SPDX-License-Identifier: Apache-2.0
// An httpCallHandler that performs callouts for real with fetch, mapping Envoy cluster names to base URLs (local runs, dev proxy).
import type { PendingCall, HttpCallOutcome } from "./callouts.js";

/**
 * `clusters` maps a cluster name to a base URL ("http://127.0.0.1:8081"); the call's `:path` is appended.
 * Unknown clusters and network errors are reported as a reset (the plugin sees 0 headers, status 11).
 * The call's timeout is not enforced here: with a virtual clock, `host.advance` times calls out.
 */
export function fetchCallHandler(clusters: Record<string, string>): (call: PendingCall) => Promise<HttpCallOutcome> {
  return async (call) => {
    const base = clusters[call.cluster];
    if (!base) return "reset";
    const headers = new Headers();
    for (const [k, v] of call.headers.pairs()) {
      if (!k.startsWith(":") && k !== "content-length") headers.append(k, v);
    }
    const method = call.headers.get(":method") ?? "GET";
    try {
      const res = await fetch(new URL(call.headers.get(":path") ?? "/", base), {
        method,
        headers,
        body: call.body.length > 0 && method !== "GET" && method !== "HEAD" ? (call.body.slice() as unknown as BodyInit) : undefined,
      });
      const body = new Uint8Array(await res.arrayBuffer());
      const replyHeaders: [string, string][] = [];
      res.headers.forEach((v, k) => replyHeaders.push([k, v]));
      return { status: res.status, headers: replyHeaders, body };
    } catch {
      return "reset";
    }
  };
}
