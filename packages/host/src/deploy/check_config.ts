// SPDX-License-Identifier: Apache-2.0
// `getwild check FILTER.wasm --config FILE`: runs the filter's own proxy_on_configure on a plugin
// configuration file, the way Envoy's canary VM does before accepting a config, and reports the verdict
// with what the filter logged (its refusal names the field).
import { readFile } from "node:fs/promises";
import { createHost } from "../host.js";
import { VirtualClock } from "../clock.js";
import type { LogRecord } from "../logs.js";

export interface ConfigVerdict {
  file: string;
  rootId: string;
  accepted: boolean;
  /** Why the host refused, when it did (Envoy's message). */
  error: string | null;
  /** What the filter logged at info and above while starting and configuring ("[level] message"). */
  logs: string[];
}

/** Reads the file, or returns the reason it cannot be read. */
export async function readConfigFile(file: string): Promise<Uint8Array | string> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${(e as Error).message})`;
  }
}

/**
 * Starts the module with this configuration in one canary VM (virtual clock: nothing runs after
 * configure) and says whether proxy_on_configure accepted it. The bytes are passed as they are in
 * the file, as Envoy passes a `configuration` StringValue.
 */
export async function checkConfig(wasm: Uint8Array, file: string, config: Uint8Array, rootId: string): Promise<ConfigVerdict> {
  const logs: string[] = [];
  // Only the canary's lines: the worker would repeat them when the config is accepted.
  const onLog = (r: LogRecord) => {
    if (r.vm === "canary") logs.push(`[${r.level}] ${r.message}`);
  };
  try {
    const host = await createHost({ wasm, rootId, pluginConfig: config, canary: true, clock: new VirtualClock(Date.now()), onLog, onLogLevel: "info" });
    host.close();
    return { file, rootId, accepted: true, error: null, logs };
  } catch (e) {
    return { file, rootId, accepted: false, error: (e as Error).message, logs };
  }
}

export function formatConfigVerdict(v: ConfigVerdict): string {
  const lines = v.logs.map((l) => `  ${l}`);
  const where = `${v.file} (root_id "${v.rootId}")`;
  if (v.accepted) return [`config ${where}:`, ...lines, `OK: the filter accepted this configuration`].join("\n");
  return [`config ${where}:`, ...lines, `REFUSED: ${v.error ?? "the filter rejected this configuration"}`].join("\n");
}
