// SPDX-License-Identifier: Apache-2.0
// Logging (spec: "Logging"): messages at a level, and the host's current log level.
//
// Valid everywhere, including _initialize and the allocator (the only host call that is). Envoy
// prefixes messages with the plugin name and drops those below its log level; `getLogLevel()` lets
// a filter skip building expensive messages. Messages are UTF-8; the SDK encodes them in scratch.
import { LogLevel, Status } from "../abi/enums";
import { fromHost } from "../abi/status";
import { Result } from "../abi/result";
import { proxy_log, proxy_get_log_level } from "../abi/imports";
import { borrowScratch, releaseScratch, maxUtf8Size, writeUtf8, clearOut, OUT_WORD, outWord } from "../abi/memory";

/** Logs `message` at `level`. BadArgument for a level above Critical. */
export function log(level: LogLevel, message: string): Status {
  let buffer = borrowScratch(maxUtf8Size(message));
  let len = writeUtf8(message, buffer);
  let status = fromHost(proxy_log(level, buffer, len));
  releaseScratch(buffer);
  return status;
}

export function logTrace(message: string): Status {
  return log(LogLevel.Trace, message);
}
export function logDebug(message: string): Status {
  return log(LogLevel.Debug, message);
}
export function logInfo(message: string): Status {
  return log(LogLevel.Info, message);
}
export function logWarn(message: string): Status {
  return log(LogLevel.Warn, message);
}
export function logError(message: string): Status {
  return log(LogLevel.Error, message);
}
export function logCritical(message: string): Status {
  return log(LogLevel.Critical, message);
}

// @ts-ignore: decorator
@lazy const levelResult = new Result<LogLevel>(Status.NotFound, LogLevel.Trace);

/** The host's log level (Trace, i.e. "log everything", unless Ok). */
export function getLogLevel(): Result<LogLevel> {
  clearOut();
  let status = fromHost(proxy_get_log_level(OUT_WORD));
  let level = status == Status.Ok ? outWord() : <u32>LogLevel.Trace;
  return levelResult.fill(status, level > <u32>LogLevel.Critical ? LogLevel.Critical : <LogLevel>level);
}

/** True if a message at `level` would be emitted (asks the host each time; true if it cannot tell). */
export function logEnabled(level: LogLevel): bool {
  return <u32>level >= <u32>getLogLevel().value;
}
