// SPDX-License-Identifier: Apache-2.0
// proxy_on_tick: a filter re-exports this module when a root's onTick must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_tick(rootContextId: u32): void {
  enterCallback();
  dispatcher.onTick(rootContextId);
  collectAfterCallback();
}
