// SPDX-License-Identifier: Apache-2.0
// proxy_on_response_trailers: a filter re-exports this module when a stream's onResponseTrailers must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_response_trailers(contextId: u32, numTrailers: u32): u32 {
  enterCallback();
  const result: u32 = dispatcher.onResponseTrailers(contextId, numTrailers);
  collectAfterCallback();
  return result;
}
