// SPDX-License-Identifier: Apache-2.0
// proxy_on_queue_ready: a filter re-exports this module when a root's onQueueReady must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_queue_ready(rootContextId: u32, queueId: u32): void {
  enterCallback();
  dispatcher.onQueueReady(rootContextId, queueId);
  collectAfterCallback();
}
