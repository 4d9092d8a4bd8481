// SPDX-License-Identifier: Apache-2.0
// Envoy's output as `getwild serve` prints it, so `--envoy` reads like the emulator: the filter's proxy_log
// lines become `[level] wasm log <plugin> (<vm>): message`, the JSON access-log lines become
// `GET / -> 418 details 3ms`, and Envoy's own warnings and errors are kept, marked as Envoy's.
import { ACCESS_LOG_MARK } from "../envoy/bootstrap.js";
import { parseEnvoyLogLine } from "./envoy_log_line.js";

export interface OutputSinks {
  /** The filter's log lines (already filtered by Envoy at --log-level). */
  filterLog: ((line: string) => void) | null;
  accessLog: ((line: string) => void) | null;
  /** Envoy's own warnings and errors. */
  envoyLog: ((line: string) => void) | null;
}

export interface PluginNames {
  pluginName: string;
  rootId: string;
  vmId: string;
}

/**
 * Envoy prefixes a filter's message with the non-empty ones of plugin name, root_id and vm_id (a
 * context that has no plugin yet prints fewer), then ": ". Longest candidates first, so a message
 * that itself contains ": " is kept whole.
 */
function wasmPrefixes({ pluginName, rootId, vmId }: PluginNames): string[] {
  const parts = [pluginName, rootId, vmId];
  const out = new Set<string>();
  for (let mask = 7; mask > 0; mask--) {
    const chosen = parts.filter((p, i) => mask & (1 << i) && p !== "");
    out.add(`wasm log${chosen.map((p) => ` ${p}`).join("")}: `);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function accessLine(json: Record<string, unknown>): string {
  const status = Number(json.status);
  // Envoy logs 0 when no response was sent (a reset); serve prints "reset" then.
  const shown = status > 0 ? String(status) : "reset";
  return `${json.method} ${json.path} -> ${shown} ${json.details} ${json.duration_ms}ms`;
}

/**
 * A translator fed every line Envoy writes (stdout and stderr). `envoyPid` tells the main thread
 * (where the base and canary VMs run) from the workers, which are numbered as they first log.
 */
export function envoyOutput(names: PluginNames, sinks: OutputSinks, envoyPid: () => number | undefined) {
  const prefixes = wasmPrefixes(names);
  const workers = new Map<number, string>();
  let continuing: ((line: string) => void) | null = null;
  const vmLabel = (thread: number): string => {
    if (thread === envoyPid()) return "main";
    let label = workers.get(thread);
    if (label === undefined) workers.set(thread, (label = `worker ${workers.size}`));
    return label;
  };
  return (line: string): void => {
    if (line.startsWith(`{"`) && line.includes(`"${ACCESS_LOG_MARK}"`)) {
      continuing = null;
      try {
        sinks.accessLog?.(accessLine(JSON.parse(line)));
      } catch {
        sinks.envoyLog?.(line);
      }
      return;
    }
    const parsed = parseEnvoyLogLine(line);
    if (parsed === null) {
      // The rest of a multi-line message: printed under the line it belongs to.
      continuing?.(line);
      return;
    }
    const prefix = parsed.component === "wasm" ? prefixes.find((p) => parsed.message.startsWith(p)) : undefined;
    if (prefix !== undefined) {
      const message = parsed.message.slice(prefix.length);
      continuing = sinks.filterLog;
      sinks.filterLog?.(`[${parsed.level}] wasm log ${names.pluginName} (${vmLabel(parsed.thread)}): ${message}`);
      return;
    }
    // Envoy's own lines at warning and above (a trapped VM, a refused cluster, a failed start).
    if (parsed.level === "warn" || parsed.level === "error" || parsed.level === "critical") {
      continuing = sinks.envoyLog;
      sinks.envoyLog?.(`[${parsed.level}] envoy ${parsed.component}: ${parsed.message}`);
      return;
    }
    continuing = null;
  };
}
