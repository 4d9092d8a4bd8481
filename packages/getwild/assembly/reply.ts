// SPDX-License-Identifier: Apache-2.0
// Replies of @getwild/getwild: core's one LocalReply type, and `reply(status)` to start one.
import { LocalReply } from "@getwild/core/assembly/http/local_reply";

export { LocalReply, GRPC_STATUS_MAX } from "@getwild/core/assembly/http/local_reply";

/** Response code details of replies started with `reply()`, unless changed with withDetails. */
export const REPLY_DETAILS = "getwild";

/** Starts a reply with `status`: `reply(404).header("cache-control", "no-store").text("not here\n")`. */
export function reply(status: u32): LocalReply {
  return new LocalReply(status, REPLY_DETAILS);
}
