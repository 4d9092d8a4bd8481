// SPDX-License-Identifier: Apache-2.0
// The hello filter: logs every request header at info ("name: value") and adds `hello: world` to
// every response (the wasme / TinyGo default template, in AssemblyScript).
import {
  RootContext,
  StreamContext,
  Action,
  LogLevel,
  logEnabled,
  logInfo,
  registerRootContext,
} from "@getwild/core/assembly";
// Only the callbacks this filter's hooks need: Envoy skips a callback the module does not export,
// so a request crosses into the VM four times (create, request and response headers, delete)
// instead of once per phase. core's build check refuses a hook left without its callback.
export * from "@getwild/core/assembly/callbacks/required";
export * from "@getwild/core/assembly/callbacks/request_headers";
export * from "@getwild/core/assembly/callbacks/response_headers";

class Hello extends StreamContext {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    // Production Envoys log at warning: one host call then skips reading the header map and
    // building lines the proxy would drop.
    if (!logEnabled(LogLevel.Info)) return Action.Continue;
    let headers = this.requestHeaders.pairs().value; // empty if the map cannot be read
    for (let i = 0, n = headers.length; i < n; i++) {
      let header = unchecked(headers[i]);
      logInfo(header.name + ": " + header.value);
    }
    return Action.Continue;
  }

  onResponseHeaders(numHeaders: u32, endOfStream: bool): Action {
    this.responseHeaders.add("hello", "world");
    return Action.Continue;
  }
}

class HelloRoot extends RootContext {
  createHttpContext(contextId: u32): StreamContext | null {
    return new Hello(contextId, this.id);
  }
}

registerRootContext((id: u32): RootContext => new HelloRoot(id), "hello");
