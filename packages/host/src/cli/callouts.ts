// SPDX-License-Identifier: Apache-2.0
// proxy_http_call on real HTTP for `getwild serve`: the in-process host's fetchCallHandler (one
// implementation of Envoy's answers: 503 for a failed connection, 504 for a timeout, the reply's
// headers as Envoy keeps them), plus the nudge serve needs to move the streams a reply resumed.
import type { PendingCall, HttpCallOutcome } from "../index.js";
import { fetchCallHandler } from "../fetch_handler.js";

/**
 * Builds the host's `httpCallHandler` for the `--cluster NAME=URL` map (loopback http:// or any
 * https://, verified against Node's roots plus `extraCa`). `settled` runs after each outcome has
 * been delivered to the filter (so streams it resumed move on).
 */
export function clusterCallHandler(clusters: ReadonlyMap<string, URL>, settled: () => void, extraCa?: string) {
  const perform = fetchCallHandler(clusters, { ca: extraCa });
  return async (call: PendingCall): Promise<HttpCallOutcome> => {
    try {
      return await perform(call);
    } finally {
      // The host delivers the outcome in a later microtask; a macrotask runs after it.
      setImmediate(settled);
    }
  };
}
