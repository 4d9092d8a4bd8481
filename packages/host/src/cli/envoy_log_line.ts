// SPDX-License-Identifier: Apache-2.0
// One line of Envoy's log in its default format, parsed: what serve --envoy prints (envoy_output.ts)
// and how it explains a failed start (envoy_start_failure.ts) both read Envoy's lines through this.
import type { LogLevelName } from "../index.js";

/** Envoy's default log format: `[date][thread][level][component] [file:line] message`. */
const ENVOY_LINE = /^\[[^\]]*\]\[(\d+)\]\[(\w+)\]\[([\w.]+)\] (?:\[[^\]]*\] )?(.*)$/;

const LEVELS: Record<string, LogLevelName> = {
  trace: "trace",
  debug: "debug",
  info: "info",
  warning: "warn",
  error: "error",
  critical: "critical",
};

export interface EnvoyLogLine {
  thread: number;
  level: LogLevelName;
  component: string;
  message: string;
}

/** One line of Envoy's log in its default format, or null for anything else. */
export function parseEnvoyLogLine(line: string): EnvoyLogLine | null {
  const m = ENVOY_LINE.exec(line);
  if (m === null) return null;
  return { thread: Number(m[1]), level: LEVELS[m[2]!] ?? "info", component: m[3]!, message: m[4]! };
}
