// SPDX-License-Identifier: Apache-2.0
// `getwild check FILTER.wasm --config FILE`: runs the filter's own proxy_on_configure on a plugin
// configuration file, the way Envoy's canary VM does before accepting a config, and reports the verdict
// with what the filter logged (its refusal names the field).
import { readFile } from "node:fs/promises";
import { createHost } from "../../host.js";
import { VirtualClock } from "../../clock.js";
import type { LogRecord } from "../../logs.js";
import type { WasiSet } from "../../registry.js";
import { registeredRootIds, UNREGISTERED_ROOT_LOG } from "../../root_ids.js";

export interface ConfigVerdict {
  file: string;
  rootId: string;
  accepted: boolean;
  /** Why the host refused, when it did (Envoy's message). */
  error: string | null;
  /** What the filter logged at info and above while starting and configuring ("[level] message"). */
  logs: string[];
  /** When the root id matched no root context: the ids the module registered (as `serve` says it). */
  hint: string | null;
}

/** The --root-id to pass instead, when the filter said no root context matched. */
function rootIdHint(wasm: Uint8Array, config: Uint8Array, rootId: string): string {
  const ids = registeredRootIds(wasm, config);
  if (ids === null || ids.length === 0) return `--root-id "${rootId}" matches no root context of the module`;
  const quoted = ids.map((id) => JSON.stringify(id)).join(", ");
  return `--root-id "${rootId}" matches no root context; the module registered ${quoted}: pass --root-id ${ids[0] === "" ? '""' : ids[0]}`;
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
export async function checkConfig(
  wasm: Uint8Array,
  file: string,
  config: Uint8Array,
  rootId: string,
  wasi?: WasiSet,
): Promise<ConfigVerdict> {
  const logs: string[] = [];
  let unregisteredRoot = false;
  // Only the canary's lines: the worker would repeat them when the config is accepted.
  const onLog = (r: LogRecord) => {
    if (r.vm === "canary") logs.push(`[${r.level}] ${r.message}`);
    if (UNREGISTERED_ROOT_LOG.test(r.message)) unregisteredRoot = true;
  };
  try {
    const host = await createHost({
      wasm,
      rootId,
      pluginConfig: config,
      wasi,
      canary: true,
      clock: new VirtualClock(Date.now()),
      onLog,
      onLogLevel: "info",
    });
    host.close();
    return { file, rootId, accepted: true, error: null, logs, hint: null };
  } catch (e) {
    const hint = unregisteredRoot ? rootIdHint(wasm, config, rootId) : null;
    return { file, rootId, accepted: false, error: (e as Error).message, logs, hint };
  }
}

export function formatConfigVerdict(v: ConfigVerdict): string {
  const lines = v.logs.map((l) => `  ${l}`);
  const where = `${v.file} (root_id "${v.rootId}")`;
  if (v.accepted) return [`config ${where}:`, ...lines, `OK: the filter accepted this configuration`].join("\n");
  const refused = `REFUSED: ${v.error ?? "the filter rejected this configuration"}`;
  return [`config ${where}:`, ...lines, refused, ...(v.hint === null ? [] : [`hint: ${v.hint}`])].join("\n");
}
