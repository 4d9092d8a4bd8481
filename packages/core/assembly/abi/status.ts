// SPDX-License-Identifier: Apache-2.0
// THE one place where raw host status codes become SDK values.
//
// Every wrapper passes the code the host returned through `fromHost`: writes return that Status,
// reads put it in their Result (./result.ts). Unknown codes never trap: they become
// `Status.Unknown` (a host newer than this SDK must not kill the VM).
import { Status } from "./enums";

/** Maps a raw host status code (a call's return value, or the code proxy_get_status reports). */
export function fromHost(raw: u32): Status {
  return raw <= <u32>Status.Unimplemented ? <Status>raw : Status.Unknown;
}

/** A short, stable, human-readable name for a status (for logs and error messages). */
export function statusName(status: Status): string {
  switch (status) {
    case Status.Ok:
      return "Ok";
    case Status.NotFound:
      return "NotFound";
    case Status.BadArgument:
      return "BadArgument";
    case Status.SerializationFailure:
      return "SerializationFailure";
    case Status.ParseFailure:
      return "ParseFailure";
    case Status.BadExpression:
      return "BadExpression";
    case Status.InvalidMemoryAccess:
      return "InvalidMemoryAccess";
    case Status.Empty:
      return "Empty";
    case Status.CasMismatch:
      return "CasMismatch";
    case Status.ResultMismatch:
      return "ResultMismatch";
    case Status.InternalFailure:
      return "InternalFailure";
    case Status.BrokenConnection:
      return "BrokenConnection";
    case Status.Unimplemented:
      return "Unimplemented";
    default:
      return "Unknown";
  }
}
