// SPDX-License-Identifier: Apache-2.0
// `getwild check filter.wasm`: validates a module exactly as @getwild/host does on load and prints its imports, exports and size.
import { validateModule, type ValidationResult } from "../../validate.js";
import { DEFAULT_WASI, type WasiSet } from "../../registry.js";
import { processIo, type CommandIo } from "../io.js";
import { ExitCode, type ExitCodeValue } from "../errors.js";
import { readModule } from "./read_module.js";
import { commandLineOrExit } from "../command_line.js";
import { checkConfig, formatConfigVerdict, readConfigFile } from "./check_config.js";

export const CHECK_USAGE = `Usage: getwild check FILTER.wasm [--json] [--wasi stable|cpp-host-head]
                     [--config FILE [--root-id ID]]

Checks a proxy-wasm module the way Envoy (proxy-wasm-cpp-host, V8) checks it on load: ABI version
marker, allocator export, every import resolvable with its exact signature, callback export
signatures. Prints the size, imports and exports; exits 4 with Envoy's message if Envoy would refuse
the module (2 bad arguments, 3 missing file). With --config, it then starts the module with that plugin
configuration as Envoy's canary VM does and prints the filter's verdict and what it logged; exits 5
if the filter rejects it.

  --json                   print the result as JSON instead of text
  --wasi SET               WASI functions the target Envoy links: cpp-host-head (default; Envoy 1.33+,
                           what Envoy 1.40 runs) or stable (Envoy before 1.33, Istio before 1.25)
  --config FILE            a plugin configuration (Envoy configuration value, Istio pluginConfig as JSON)
  --root-id ID             the root_id the configuration is for (Envoy root_id, Istio pluginName; default "")
  -h, --help               this help`;

/** What to change when AssemblyScript's default imports (which Envoy lacks) show up. */
const IMPORT_HINTS: Record<string, string> = {
  "env.abort":
    'asc emits it for throw/assert/bounds checks: extend "@getwild/core/asconfig.base.json" (its `use: abort=...` replaces it)',
  "env.seed": "Math.random() needs a seed: avoid it, or compile with --use seed=<your function>",
  "env.trace": "trace() has no Envoy counterpart: log with @getwild/core's logInfo/logDebug instead",
  "env.Date.now": "Date.now() has no Envoy counterpart: use getCurrentTimeMilliseconds() from @getwild/core",
  "env.console.log": "console.log has no Envoy counterpart: use logInfo() from @getwild/core",
  "env.performance.now":
    "performance.now() has no Envoy counterpart: use getCurrentTimeMilliseconds() from @getwild/core (its one time unit)",
};

/** Hints for the refused imports this report lists (known AssemblyScript defaults only). */
export function importHints(report: ValidationResult): string[] {
  return report.imports
    .filter((i) => !i.provided && IMPORT_HINTS[`${i.module}.${i.name}`] !== undefined)
    .map((i) => `hint: ${i.module}.${i.name}: ${IMPORT_HINTS[`${i.module}.${i.name}`]}`);
}

export interface CheckReport extends ValidationResult {
  file: string;
  sizeBytes: number;
}

/** Validates the bytes of a module (no file system): what `check` reports. */
export function checkModule(file: string, bytes: Uint8Array, wasi: WasiSet = DEFAULT_WASI): CheckReport {
  return { file, sizeBytes: bytes.length, ...validateModule(bytes, { wasi }) };
}

/** The human-readable report: size and ABI, then imports (✗ = Envoy lacks it) and exports, aligned. */
export function formatCheck(report: CheckReport): string {
  const lines: string[] = [];
  lines.push(`${report.file}: ${report.sizeBytes} bytes, proxy-wasm ABI ${report.abiVersion ?? "none"}`);
  const width = Math.max(
    24,
    ...report.imports.map((i) => i.module.length + i.name.length + 1),
    ...report.exports.map((e) => e.name.length),
  );
  lines.push(`imports (${report.imports.length}):`);
  for (const i of report.imports) {
    const what = i.signature ?? i.kind;
    lines.push(`  ${i.provided ? " " : "✗"} ${`${i.module}.${i.name}`.padEnd(width)}  ${what}`);
  }
  lines.push(`exports (${report.exports.length}):`);
  for (const e of report.exports) lines.push(`    ${e.name.padEnd(width)}  ${e.signature ?? e.kind}`);
  lines.push(
    report.ok
      ? "OK: Envoy would load this module"
      : `REFUSED: ${report.errors.length} problem(s), Envoy would refuse this module`,
  );
  return lines.join("\n");
}

/** Runs `getwild check` with the arguments after "check"; returns the exit code. */
export async function runCheck(argv: string[], io: CommandIo = processIo): Promise<ExitCodeValue> {
  const line = commandLineOrExit<{ json?: boolean; wasi?: string; config?: string; "root-id"?: string }>(
    argv,
    {
      json: { type: "boolean" },
      wasi: { type: "string" },
      config: { type: "string" },
      "root-id": { type: "string" },
    },
    CHECK_USAGE,
    io,
  );
  if (typeof line === "number") return line;
  const { values, positionals } = line;
  const wasi = values.wasi ?? DEFAULT_WASI;
  if (positionals.length !== 1 || (wasi !== "stable" && wasi !== "cpp-host-head")) {
    io.err(
      `${positionals.length !== 1 ? "expected exactly one module file" : `--wasi must be stable or cpp-host-head, got "${wasi}"`}\n${CHECK_USAGE}`,
    );
    return ExitCode.BadArguments;
  }
  const file = positionals[0]!;
  const bytes = await readModule(file, io);
  if (!bytes) return ExitCode.FileNotFound;
  if (values["root-id"] !== undefined && values.config === undefined) {
    io.err(`--root-id only applies with --config\n${CHECK_USAGE}`);
    return ExitCode.BadArguments;
  }
  const config = values.config === undefined ? null : await readConfigFile(values.config);
  if (typeof config === "string") {
    io.err(config);
    return ExitCode.FileNotFound;
  }
  const report = checkModule(file, bytes, wasi);
  // The configuration is only tried on a module Envoy would load.
  const verdict =
    config !== null && report.ok
      ? await checkConfig(bytes, values.config!, config, values["root-id"] ?? "", wasi)
      : null;
  if (values.json) io.out(JSON.stringify(verdict === null ? report : { ...report, config: verdict }, null, 2));
  else io.out(verdict === null ? formatCheck(report) : `${formatCheck(report)}\n${formatConfigVerdict(verdict)}`);
  // Envoy logs the first problem and gives up; the others are printed too, so one run finds them all.
  for (const error of report.errors) io.err(`error: ${error}`);
  for (const hint of importHints(report)) io.err(hint);
  if (!report.ok) return ExitCode.ModuleRefused;
  return verdict !== null && !verdict.accepted ? ExitCode.ConfigRejected : ExitCode.Ok;
}
