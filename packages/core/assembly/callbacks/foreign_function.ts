// SPDX-License-Identifier: Apache-2.0
// proxy_on_foreign_function: a filter re-exports this module when a root's onForeignFunction must run (see ../exports.ts).
import * as dispatcher from "../context/dispatcher";
import { enterCallback, collectAfterCallback } from "./pacing";

export function proxy_on_foreign_function(rootContextId: u32, functionId: u32, argumentsSize: u32): void {
  enterCallback();
  dispatcher.onForeignFunction(rootContextId, functionId, argumentsSize);
  collectAfterCallback();
}
