// SPDX-License-Identifier: Apache-2.0
// proxy_on_http_call_response: a filter re-exports this module when an HttpCallHandler (any httpCall) must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_http_call_response(
  rootContextId: u32,
  token: u32,
  numHeaders: u32,
  bodySize: u32,
  numTrailers: u32,
): void {
  enterCallback();
  dispatcher.onHttpCallResponse(rootContextId, token, numHeaders, bodySize, numTrailers);
  collectAfterCallback();
}
