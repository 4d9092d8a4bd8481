// SPDX-License-Identifier: Apache-2.0
// Stream control (spec: "HTTP streams"): resume or reset the current (effective) stream.
//
// Valid in HTTP stream callbacks and in callout callbacks (where the dispatcher has made the
// originating stream effective). Both are deferred by the host until the running callback returns.
// On a root context Envoy accepts them and does nothing. Envoy: Upstream continue is Unimplemented.
import { Status, StreamType } from "../abi/enums";
import { fromHost } from "../abi/status";
import { proxy_continue_stream, proxy_close_stream } from "../abi/imports";

/** Resumes a paused stream direction. Prefer HttpContext.continueRequest/continueResponse. */
export function continueStream(streamType: StreamType): Status {
  return fromHost(proxy_continue_stream(streamType));
}

/** Resets the stream. */
export function closeStream(streamType: StreamType): Status {
  return fromHost(proxy_close_stream(streamType));
}
