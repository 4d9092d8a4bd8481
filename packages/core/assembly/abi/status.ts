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

// The names of Status values 0..Unimplemented, in value order (one string table, not a switch).
// @ts-ignore: decorator
@lazy const STATUS_NAMES: StaticArray<string> = [
  "Ok",
  "NotFound",
  "BadArgument",
  "SerializationFailure",
  "ParseFailure",
  "BadExpression",
  "InvalidMemoryAccess",
  "Empty",
  "CasMismatch",
  "ResultMismatch",
  "InternalFailure",
  "BrokenConnection",
  "Unimplemented",
];

/** A short, stable, human-readable name for a status (for logs and error messages). */
export function statusName(status: Status): string {
  return <u32>status <= <u32>Status.Unimplemented ? unchecked(STATUS_NAMES[<i32>status]) : "Unknown";
}
