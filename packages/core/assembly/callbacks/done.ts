// SPDX-License-Identifier: Apache-2.0
// proxy_on_done: a filter re-exports this module when a stream's or root's onDone must run (see
// ../exports.ts). Without it the host takes true: the context is done at once.
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_done(contextId: u32): bool {
  enterCallback();
  const result: bool = dispatcher.onDone(contextId);
  collectAfterCallback();
  return result;
}
