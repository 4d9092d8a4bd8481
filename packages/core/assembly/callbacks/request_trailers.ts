// SPDX-License-Identifier: Apache-2.0
// proxy_on_request_trailers: a filter re-exports this module when a stream's onRequestTrailers must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_request_trailers(contextId: u32, numTrailers: u32): u32 {
  enterCallback();
  const result: u32 = dispatcher.onRequestTrailers(contextId, numTrailers);
  collectAfterCallback();
  return result;
}
