// SPDX-License-Identifier: Apache-2.0
// The contexts one VM holds: its root context and one per HTTP stream; host calls act on one of them.
import type { HttpStream } from "./stream.js";

export interface RootContext {
  kind: "root";
  id: number;
  /** on_done returned false: the plugin will call proxy_done later. */
  pendingDone: boolean;
}

export interface StreamContext {
  kind: "stream";
  id: number;
  stream: HttpStream;
}

export type Context = RootContext | StreamContext;
