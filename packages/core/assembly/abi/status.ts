// SPDX-License-Identifier: Apache-2.0
// THE one place where raw host status codes become SDK values.
//
// Every wrapper passes the i32 the host returned through `fromHost`, which also records it as the
// "last status" so that wrappers returning a plain value (a header, a body) stay allocation-free and
// callers can still tell NotFound from BadArgument via `lastStatus()`. Unknown codes never trap: they
// become `Status.Unknown` (a host newer than this SDK must not kill the VM).
import { Status } from "./enums";

let last: Status = Status.Ok;

/** Maps a raw status code to a `Status` without recording it (e.g. the code of proxy_get_status). */
export function mapStatus(raw: u32): Status {
  return raw <= <u32>Status.Unimplemented ? <Status>raw : Status.Unknown;
}

/** Maps a raw host return code to a `Status` and remembers it for `lastStatus()`. */
export function fromHost(raw: u32): Status {
  let status = mapStatus(raw);
  last = status;
  return status;
}

/** Records a status produced by the SDK itself (e.g. ParseFailure for a malformed pairs buffer). */
export function setLastStatus(status: Status): Status {
  last = status;
  return status;
}

/**
 * Status of the most recent host call made by a wrapper. Use it after a wrapper that returned
 * `null`/empty to learn why (NotFound: absent; BadArgument: not available in this callback; ...).
 */
export function lastStatus(): Status {
  return last;
}

/** A short, stable, human-readable name for a status (for logs and error messages). */
export function statusName(status: Status): string {
  switch (status) {
    case Status.Ok: return "Ok";
    case Status.NotFound: return "NotFound";
    case Status.BadArgument: return "BadArgument";
    case Status.SerializationFailure: return "SerializationFailure";
    case Status.ParseFailure: return "ParseFailure";
    case Status.BadExpression: return "BadExpression";
    case Status.InvalidMemoryAccess: return "InvalidMemoryAccess";
    case Status.Empty: return "Empty";
    case Status.CasMismatch: return "CasMismatch";
    case Status.ResultMismatch: return "ResultMismatch";
    case Status.InternalFailure: return "InternalFailure";
    case Status.BrokenConnection: return "BrokenConnection";
    case Status.Unimplemented: return "Unimplemented";
    default: return "Unknown";
  }
}
