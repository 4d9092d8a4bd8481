// SPDX-License-Identifier: Apache-2.0
// Why Envoy did not start, told with serve's exit codes and messages: a taken port, a configuration the
// filter rejected (or a --root-id it never registered), a filter that failed to load, or (getwild's
// fault) a bootstrap Envoy refused.
import { CliError, ExitCode } from "./errors.js";
import { rootIdHint, UNREGISTERED_ROOT_LOG } from "../root_ids.js";
import type { ServeOptions } from "./args.js";
import { configSource, type LoadedFilter } from "./filter_input.js";
import { parseEnvoyLogLine } from "./envoy_log_line.js";

/** Envoy's summary of a failed start: "error `<reason>` initializing config ...". */
function envoyReason(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /error `([^`]*)` initializing config/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return null;
}

export function startFailure(error: Error, lines: string[], options: ServeOptions, filter: LoadedFilter): CliError {
  const reason = envoyReason(lines);
  const all = lines.join("\n");
  const bind = /cannot bind '([^']*)': (.*)$/m.exec(all);
  if (bind) {
    const why = /address already in use/i.test(bind[2]!)
      ? "is already in use"
      : /permission denied/i.test(bind[2]!)
        ? "needs privileges (use a port above 1023)"
        : bind[2]!;
    return new CliError(ExitCode.PortUnavailable, `cannot listen on ${bind[1]}: the port ${why}`);
  }
  if (/Failed to configure base Wasm plugin/.test(all)) {
    const envoySays = reason ?? "proxy_on_configure returned false";
    if (UNREGISTERED_ROOT_LOG.test(all))
      return new CliError(
        ExitCode.ConfigRejected,
        `${rootIdHint(options.rootId, filter.wasm, filter.configuration)} (Envoy: ${envoySays})`,
      );
    return new CliError(
      ExitCode.ConfigRejected,
      `the filter rejected ${configSource(options)} in Envoy (see its log above): ${envoySays}`,
    );
  }
  const wasmErrors = lines
    .map(parseEnvoyLogLine)
    .filter((l) => l !== null && l.component === "wasm" && (l.level === "error" || l.level === "critical"))
    .map((l) => l!.message);
  if (wasmErrors.length > 0)
    return new CliError(ExitCode.ModuleRefused, `the filter failed to start in Envoy: ${wasmErrors.join("; ")}`);
  // Anything else is a bootstrap getwild made and Envoy refused: a bug here, reported with Envoy's words.
  return new CliError(ExitCode.Internal, `Envoy did not start: ${reason ?? error.message}`);
}
