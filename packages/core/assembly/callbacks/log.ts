// SPDX-License-Identifier: Apache-2.0
// proxy_on_log: a filter re-exports this module when a stream's or root's onLog must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_log(contextId: u32): void {
  enterCallback();
  dispatcher.onLog(contextId);
  collectAfterCallback();
}
