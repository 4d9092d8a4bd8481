// SPDX-License-Identifier: Apache-2.0
// proxy_on_request_headers: a filter re-exports this module when a stream's onRequestHeaders must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_request_headers(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onRequestHeaders(contextId, numHeaders, endOfStream);
  collectAfterCallback();
  return result;
}
