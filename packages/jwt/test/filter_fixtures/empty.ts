// SPDX-License-Identifier: Apache-2.0
// Bench baseline: a filter whose contexts do nothing (every callback continues).
import { RootContext, StreamContext, registerRootContext } from "@getwild/core/assembly";
export * from "@getwild/core/assembly/exports";

class EmptyRoot extends RootContext {
  createHttpContext(contextId: u32): StreamContext | null {
    return new StreamContext(contextId, this.id);
  }
}
registerRootContext((id: u32): RootContext => new EmptyRoot(id), "empty");
