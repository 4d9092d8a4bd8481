// SPDX-License-Identifier: Apache-2.0
// The abort handler every filter is built with (`--use abort=~lib/@getwild/core/assembly/abort/coreAbort`).
//
// AssemblyScript calls `abort` on failed bounds checks, out-of-memory and `throw`. The default
// imports `env.abort`, which Envoy does not provide (the module would not even load). This handler
// logs "message at file:line:column" at critical level through proxy_log (allowed in every phase,
// even inside the allocator) and then traps, so Envoy applies the plugin's failure policy with a
// readable reason in its log. It allocates nothing: the message is assembled in static memory, so it
// also works when the abort was caused by running out of memory.
import { proxy_log } from "./abi/imports";
import { LogLevel } from "./abi/enums";

// @ts-ignore: decorator
@inline const ABORT_BUFFER_SIZE: usize = 512;
// @ts-ignore: decorator
@lazy const abortBuffer: usize = memory.data(<i32>ABORT_BUFFER_SIZE);

/** Appends a string (truncated to fit) as UTF-8 at `at`; returns the new end offset. */
function appendText(at: usize, text: string | null): usize {
  if (text === null) return appendText(at, "?");
  let room = ABORT_BUFFER_SIZE - at;
  let units = <usize>text.length;
  if (units * 3 > room) units = room / 3; // worst case 3 bytes per unit: never overruns
  // Every argument given (errorMode too): no @varargs trampoline in the module.
  return (
    at +
    String.UTF8.encodeUnsafe(changetype<usize>(text), <i32>units, abortBuffer + at, false, String.UTF8.ErrorMode.WTF8)
  );
}

/** Appends the decimal digits of `value`; returns the new end offset. */
function appendNumber(at: usize, value: u32): usize {
  let digits: usize = 1;
  for (let v = value; v >= 10; v /= 10) digits++;
  if (at + digits > ABORT_BUFFER_SIZE) return at;
  let pos = at + digits;
  do {
    pos--;
    store<u8>(abortBuffer + pos, 0x30 + (value % 10));
    value /= 10;
  } while (value != 0);
  return at + digits;
}

/** Logs the abort at critical level, then traps. Wired with `--use abort=...`. */
export function coreAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let at = appendText(0, "abort: ");
  at = appendText(at, message);
  at = appendText(at, " at ");
  at = appendText(at, fileName);
  at = appendText(at, ":");
  at = appendNumber(at, line);
  at = appendText(at, ":");
  at = appendNumber(at, column);
  proxy_log(<u32>LogLevel.Critical, abortBuffer, at);
  unreachable();
}
