// SPDX-License-Identifier: Apache-2.0
// The http-call filter: answers each request with the body of `GET /uuid` on the `httpbin` cluster,
// made with proxy_http_call; a timeout, reset or non-2xx reply becomes a 502 with a short JSON error.
import {
  RootContext,
  HttpContext,
  StreamContext,
  Action,
  Status,
  HeaderPair,
  HttpCallHandler,
  HttpCallResponse,
  getPluginConfigurationText,
  logInfo,
  logWarn,
  logError,
  registerRootContext,
  statusName,
} from "@getwild/core/assembly";
import { CallConfig, parseCallConfig } from "./config";
// Only the callbacks this filter's hooks need (Envoy skips the others; core's build check refuses
// a hook left without its callback).
export * from "@getwild/core/assembly/callbacks/required";
export * from "@getwild/core/assembly/callbacks/request_headers";
export * from "@getwild/core/assembly/callbacks/http_call_response";

const UUID_PATH = "/uuid";
/** Replies larger than this are refused rather than copied into the VM and sent back (1 MiB). */
export const MAX_REPLY_BYTES: u32 = 1 << 20;
/** The body Envoy's async client puts in the 504 it generates when a call's timeout expires. */
const ENVOY_TIMEOUT_BODY = "upstream request timeout";

class UuidRoot extends RootContext {
  config: CallConfig = new CallConfig();

  onConfigure(pluginConfigurationSize: u32): bool {
    let config = parseCallConfig(getPluginConfigurationText().value);
    if (config.error.length > 0) {
      logError("http-call: bad configuration: " + config.error);
      return false;
    }
    this.config = config;
    return true;
  }

  createHttpContext(contextId: u32): StreamContext | null {
    return new UuidStream(contextId, this);
  }
}

class UuidStream extends HttpContext<UuidRoot> {
  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    let config = this.root.config;
    let headers: HeaderPair[] = [
      new HeaderPair(":method", "GET"),
      new HeaderPair(":path", UUID_PATH),
      new HeaderPair(":authority", config.authority),
      new HeaderPair("accept", "application/json"),
    ];
    let started = this.httpCall(config.cluster, headers, null, null, config.timeoutMs, new UuidCall(this));
    if (started.status != Status.Ok) {
      // BadArgument here means Envoy has no such cluster: a deployment mistake, said loudly.
      return failWith(
        this,
        "call_refused",
        "proxy_http_call to cluster " + config.cluster + " refused: " + statusName(started.status),
      );
    }
    // Hold the request (headers and any body) until the reply arrives.
    return Action.Pause;
  }
}

/** One request's call: it holds the stream it answers (the dispatcher made it effective first). */
class UuidCall extends HttpCallHandler {
  constructor(private readonly stream: UuidStream) {
    super();
  }

  onHttpCallResponse(response: HttpCallResponse): void {
    let stream = this.stream;
    if (response.failed) {
      let failure = response.failure();
      failWith(stream, "reset", "httpbin call failed: " + statusName(failure.status) + " " + failure.value);
      return;
    }
    let code = response.statusCode;
    if (!response.ok) {
      if (
        code == 504 &&
        response.bodySize == <u32>ENVOY_TIMEOUT_BODY.length &&
        response.bodyText().value == ENVOY_TIMEOUT_BODY
      ) {
        failWith(stream, "timeout", "httpbin call timed out after " + stream.root.config.timeoutMs.toString() + " ms");
      } else {
        failWith(stream, "upstream_status_" + code.toString(), "httpbin answered " + code.toString());
      }
      return;
    }
    if (response.bodySize > MAX_REPLY_BYTES) {
      failWith(
        stream,
        "reply_too_large",
        "httpbin reply of " + response.bodySize.toString() + " bytes exceeds " + MAX_REPLY_BYTES.toString(),
      );
      return;
    }
    let headers: HeaderPair[] = [];
    let contentType = response.header("content-type");
    if (contentType.ok) headers.push(new HeaderPair("content-type", contentType.value));
    logInfo("httpbin answered " + code.toString() + " with " + response.bodySize.toString() + " bytes");
    stream.sendLocalResponse(200, "httpbin_uuid", response.body().value, headers);
  }
}

/** Logs why at warn and answers 502 `{"error":"httpbin_unavailable","reason":...}`. */
function failWith(stream: StreamContext, reason: string, why: string): Action {
  logWarn(why);
  let body = '{"error":"httpbin_unavailable","reason":"' + reason + '"}';
  let headers: HeaderPair[] = [new HeaderPair("content-type", "application/json")];
  return stream.sendLocalResponse(502, "httpbin_" + reason, Uint8Array.wrap(String.UTF8.encode(body)), headers);
}

registerRootContext((id: u32): RootContext => new UuidRoot(id), "http-call");
