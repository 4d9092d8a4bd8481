// SPDX-License-Identifier: Apache-2.0
// Why Envoy did not start, told with serve's exit codes and messages: a taken port, a configuration the
// filter rejected, a filter that failed to load, or (getwild's fault) a bootstrap Envoy refused.
import { CliError, ExitCode } from "./errors.js";
import type { ServeOptions } from "./args.js";

/** Envoy's summary of a failed start: "error `<reason>` initializing config ...". */
function envoyReason(lines: string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /error `([^`]*)` initializing config/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return null;
}

export function startFailure(error: Error, lines: string[], options: ServeOptions): CliError {
  const reason = envoyReason(lines);
  const all = lines.join("\n");
  const bind = /cannot bind '([^']*)': (.*)$/m.exec(all);
  if (bind) {
    const why = /address already in use/i.test(bind[2]!) ? "is already in use" : /permission denied/i.test(bind[2]!) ? "needs privileges (use a port above 1023)" : bind[2]!;
    return new CliError(ExitCode.PortUnavailable, `cannot listen on 127.0.0.1:${options.port}: the port ${why}`);
  }
  if (/Failed to configure base Wasm plugin/.test(all)) {
    const source = options.config === undefined ? "an empty configuration" : `the configuration in ${options.config}`;
    const hint = `see its log above; the filter was started with --root-id "${options.rootId}"`;
    return new CliError(ExitCode.ConfigRejected, `the filter rejected ${source} in Envoy (${hint}): ${reason ?? "proxy_on_configure returned false"}`);
  }
  if (/\]\[(error|critical)\]\[wasm\]/.test(all)) {
    const detail = lines.filter((l) => /\]\[(error|critical)\]\[wasm\]/.test(l)).map((l) => l.replace(/^.*?\] \[[^\]]*\] /, ""));
    return new CliError(ExitCode.ModuleRefused, `the filter failed to start in Envoy: ${detail.join("; ")}`);
  }
  // Anything else is a bootstrap getwild made and Envoy refused: a bug here, reported with Envoy's words.
  return new CliError(ExitCode.Internal, `Envoy did not start: ${reason ?? error.message}`);
}
