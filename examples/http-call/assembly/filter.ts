// SPDX-License-Identifier: Apache-2.0
// The http-call filter: answers each request with the body of `GET /uuid` on the `httpbin` cluster,
// made with proxy_http_call; a timeout, reset or non-2xx reply becomes a 502 with a short JSON error.
import {
  RootContext, HttpContext, BaseContext, Action, Status, HeaderPair, HttpCallResponse,
  getPluginConfigurationText, logInfo, logWarn, logError, registerRootContext, statusName,
} from "@getwild/core/assembly";
import { CallConfig, parseCallConfig } from "./config";
export * from "@getwild/core/assembly/exports";

const UUID_PATH = "/uuid";
/** Replies larger than this are refused rather than copied into the VM and sent back (1 MiB). */
export const MAX_REPLY_BYTES: u32 = 1 << 20;
/** The body Envoy's async client puts in the 504 it generates when a call's timeout expires. */
const ENVOY_TIMEOUT_BODY = "upstream request timeout";

class UuidRoot extends RootContext {
  config: CallConfig = new CallConfig();

  onConfigure(pluginConfigurationSize: u32): bool {
    let config = parseCallConfig(getPluginConfigurationText());
    if (config.error.length > 0) {
      logError("http-call: bad configuration: " + config.error);
      return false;
    }
    this.config = config;
    return true;
  }

  createHttpContext(contextId: u32): HttpContext | null {
    return new UuidStream(contextId, this);
  }
}

class UuidStream extends HttpContext {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    let config = (this.root as UuidRoot).config;
    let headers: HeaderPair[] = [
      new HeaderPair(":method", "GET"),
      new HeaderPair(":path", UUID_PATH),
      new HeaderPair(":authority", config.authority),
      new HeaderPair("accept", "application/json"),
    ];
    let started = this.httpCall(config.cluster, headers, null, null, config.timeoutMs, onUuidReply);
    if (started.status != Status.Ok) {
      // BadArgument here means Envoy has no such cluster: a deployment mistake, said loudly.
      return failWith(this, "call_refused", "proxy_http_call to cluster " + config.cluster + " refused: " + statusName(started.status));
    }
    // Hold the request (headers and any body) until the reply arrives.
    return Action.Pause;
  }
}

/** Runs on the root context with the request's stream made effective; answers that stream. */
function onUuidReply(origin: BaseContext, response: HttpCallResponse): void {
  let stream = origin as UuidStream;
  if (response.failed) {
    failWith(stream, "reset", "httpbin call failed: " + statusName(response.failureCode()) + " " + response.failureMessage());
    return;
  }
  let code = response.statusCode;
  if (!response.ok) {
    if (code == 504 && response.bodySize == <u32>ENVOY_TIMEOUT_BODY.length && response.bodyText() == ENVOY_TIMEOUT_BODY) {
      let timeout = (stream.root as UuidRoot).config.timeoutMs;
      failWith(stream, "timeout", "httpbin call timed out after " + timeout.toString() + " ms");
    } else {
      failWith(stream, "upstream_status_" + code.toString(), "httpbin answered " + code.toString());
    }
    return;
  }
  if (response.bodySize > MAX_REPLY_BYTES) {
    failWith(stream, "reply_too_large", "httpbin reply of " + response.bodySize.toString() + " bytes exceeds " + MAX_REPLY_BYTES.toString());
    return;
  }
  let headers: HeaderPair[] = [];
  let contentType = response.header("content-type");
  if (contentType !== null) headers.push(new HeaderPair("content-type", contentType));
  logInfo("httpbin answered " + code.toString() + " with " + response.bodySize.toString() + " bytes");
  stream.sendLocalResponse(200, "httpbin_uuid", response.body(), headers);
}

/** Logs why at warn and answers 502 `{"error":"httpbin_unavailable","reason":...}`. */
function failWith(stream: HttpContext, reason: string, why: string): Action {
  logWarn(why);
  let body = '{"error":"httpbin_unavailable","reason":"' + reason + '"}';
  let headers: HeaderPair[] = [new HeaderPair("content-type", "application/json")];
  return stream.sendLocalResponse(502, "httpbin_" + reason, Uint8Array.wrap(String.UTF8.encode(body)), headers);
}

registerRootContext((id: u32): RootContext => new UuidRoot(id), "http-call");
