// SPDX-License-Identifier: Apache-2.0
// proxy_on_response_body: a filter re-exports this module when a stream's onResponseBody must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  enterCallback();
  const result: u32 = dispatcher.onResponseBody(contextId, bodySize, endOfStream);
  collectAfterCallback();
  return result;
}
