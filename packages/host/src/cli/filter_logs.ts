// SPDX-License-Identifier: Apache-2.0
// Prints the filter's logs at or above the chosen level, as Envoy filters wasm logs by its log level.
import type { Host, LogLevelName } from "../index.js";

const ORDER: readonly LogLevelName[] = ["trace", "debug", "info", "warn", "error", "critical"];

/** Formats a record like the host's echo: `[level] wasm log <plugin> (<vm>): message`. */
export class FilterLogPrinter {
  private printed = 0;
  private readonly min: number;

  constructor(
    private readonly host: Host,
    level: LogLevelName,
    private readonly sink: (line: string) => void,
  ) {
    this.min = ORDER.indexOf(level);
  }

  /** Prints every record written since the last call that is at or above the level. */
  flush(): void {
    const records = this.host.logRecords;
    for (; this.printed < records.length; this.printed++) {
      const r = records[this.printed]!;
      if (ORDER.indexOf(r.level) >= this.min) this.sink(`[${r.level}] wasm log ${r.plugin} (${r.vm}): ${r.message}`);
    }
  }
}
