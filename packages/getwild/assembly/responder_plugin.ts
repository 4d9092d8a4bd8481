// SPDX-License-Identifier: Apache-2.0
// A ready plugin around the config-driven responder: configure reads the rules, each request is answered by the first match.
//
// Register it in a filter with
//   registerRootContext((id: u32): RootContext => new ResponderRoot(id), "responder");
// A bad configuration makes onConfigure return false, so Envoy refuses it (and Istio NACKs it)
// instead of serving with half of the rules; the log line names every offending field.
import {
  Action,
  HttpContext,
  StreamContext,
  RootContext,
  getPluginConfiguration,
  logError,
  logInfo,
  logWarn,
} from "@getwild/core/assembly";
import { parseResponderConfig } from "./config";
import { Responder } from "./responder";

export class ResponderRoot extends RootContext {
  /** The rules in force; replaced only by a configuration that is valid as a whole. */
  responder: Responder = new Responder();

  onConfigure(pluginConfigurationSize: u32): bool {
    let config = parseResponderConfig(getPluginConfiguration().value);
    let responder = config.responder;
    if (responder === null) {
      logError("getwild responder: configuration refused: " + config.error);
      return false;
    }
    this.responder = responder;
    let count = responder.rules.length;
    if (count == 0) logWarn("getwild responder: no rules configured; every request passes on");
    else logInfo("getwild responder: " + count.toString() + (count == 1 ? " rule" : " rules") + " loaded");
    return true;
  }

  createHttpContext(contextId: u32): StreamContext | null {
    return new ResponderStream(contextId, this);
  }
}

export class ResponderStream extends HttpContext<ResponderRoot> {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    return this.root.responder.answer(this);
  }
}
