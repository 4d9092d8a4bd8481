// SPDX-License-Identifier: Apache-2.0
// The Get Wild filter: a GET is answered 418 with the Get Wild reply; every other method goes on to the upstream.
import { Action, StreamContext, RootContext, registerRootContext } from "@getwild/core/assembly";
import { GET_WILD } from "@getwild/getwild/assembly";
// Only the callbacks this filter's hooks need (Envoy skips the others; core's build check refuses
// a hook left without its callback).
export * from "@getwild/core/assembly/callbacks/required";
export * from "@getwild/core/assembly/callbacks/request_headers";

class GetWild extends StreamContext {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    // The method is the `:method` pseudo-header, looked up by its exact name (not by scanning for
    // names that merely contain "method", which a client could forge as `x-method: GET`).
    if (this.requestHeaders.get(":method").value == "GET") return GET_WILD.send(this);
    return Action.Continue;
  }
}

class GetWildRoot extends RootContext {
  createHttpContext(contextId: u32): StreamContext | null {
    return new GetWild(contextId, this.id);
  }
}

registerRootContext((id: u32): RootContext => new GetWildRoot(id), "getwild");
