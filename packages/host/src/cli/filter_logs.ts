// SPDX-License-Identifier: Apache-2.0
// The filter's log lines as `getwild serve` prints them: `[level] wasm log <plugin> (<vm>): message`, fed by the host's onLog sink.
import type { LogRecord } from "../index.js";

/** One printed line, formatted like the host's echo. */
export function formatFilterLog(r: LogRecord): string {
  return `[${r.level}] wasm log ${r.plugin} (${r.vm}): ${r.message}`;
}
