// SPDX-License-Identifier: Apache-2.0
// HttpContext<R>: the stream context filters extend, with its root context typed.
import { RootContext } from "./root";
import { StreamContext } from "./stream";

/**
 * What a filter's per-request class extends: every StreamContext callback and call, plus `root`,
 * typed as the filter's own root class, so a stream reads its root's configuration without a
 * cast: `class Auth extends HttpContext<AuthRoot>` then `this.root.config`. A stream that needs
 * nothing from its root extends StreamContext instead. The root's `createHttpContext` returns
 * either as a StreamContext. (No default for `R`: asc 0.28 resolves a default type argument in the
 * scope of the file that names the class, where RootContext may not be imported.)
 */
export class HttpContext<R extends RootContext> extends StreamContext {
  constructor(
    id: u32,
    public readonly root: R,
  ) {
    super(id, root.id);
  }
}
