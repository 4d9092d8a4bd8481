// SPDX-License-Identifier: Apache-2.0
// Command-line parsing for `getwild serve`: strict options, every value checked, errors that say what to type instead.
import { parseArgs } from "node:util";
import { CliError, ExitCode } from "./errors.js";
import { parseLoopbackUrl } from "./loopback.js";
import type { FailurePolicy, LogLevelName } from "../index.js";

export const USAGE = `Usage: getwild serve --filter FILTER.wasm [options]

Serves a proxy-wasm filter on http://127.0.0.1:PORT like Envoy would run it: every request goes
through the filter, then to the upstream, then back through the filter.

Options:
  --filter PATH            the filter module (.wasm) (required)
  --config PATH            plugin configuration file, passed to the filter as is (e.g. JSON)
  --root-id ID             Envoy root_id: which registerRootContext(..., ID) to use (default "")
  --upstream URL           upstream, e.g. http://127.0.0.1:8080 (default: a built-in echo upstream)
  --cluster NAME=URL       map an Envoy cluster for proxy_http_call to a URL (repeatable)
  --port N                 port on 127.0.0.1 (default 10000; 0 picks a free port)
  --workers N              worker VMs, requests are spread round-robin (default 1)
  --log-level LEVEL        level the filter sees: trace|debug|info|warn|error|critical (default info)
  --failure-policy POLICY  after a trap: FAIL_CLOSED (503, default) | FAIL_OPEN | FAIL_RELOAD
  --quiet                  do not print filter logs and the access log
  -h, --help               this help

Addresses must be loopback (localhost, 127.x.x.x, [::1]). Exit codes: 2 bad arguments, 3 missing
file, 4 module refused, 5 configuration rejected, 6 port unavailable.`;

export interface ServeOptions {
  /** Path of the filter module. */
  filter: string;
  /** Path of the plugin configuration file, if any. */
  config?: string;
  rootId: string;
  /** Upstream URL; undefined = start the built-in echo upstream. */
  upstream?: URL;
  /** Cluster name → URL for proxy_http_call. */
  clusters: Map<string, URL>;
  /** Port on 127.0.0.1 (0 = any free port). */
  port: number;
  workers: number;
  logLevel: LogLevelName;
  failurePolicy: FailurePolicy;
  quiet: boolean;
}

const LOG_LEVELS: readonly LogLevelName[] = ["trace", "debug", "info", "warn", "error", "critical"];
const POLICIES: readonly FailurePolicy[] = ["FAIL_CLOSED", "FAIL_OPEN", "FAIL_RELOAD"];

function bad(message: string): CliError {
  return new CliError(ExitCode.BadArguments, `${message}\nRun "getwild serve --help" for the options.`);
}

/** A loopback URL option; its errors get the same help hint as the others. */
function loopback(text: string, what: string): URL {
  try {
    return parseLoopbackUrl(text, what);
  } catch (e) {
    throw bad((e as Error).message);
  }
}

function integer(text: string, option: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw bad(`--${option} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** Parses the arguments after `serve`; `null` means help was asked for. Throws CliError(BadArguments). */
export function parseServeArgs(argv: string[]): ServeOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        filter: { type: "string" },
        config: { type: "string" },
        "root-id": { type: "string" },
        upstream: { type: "string" },
        cluster: { type: "string", multiple: true },
        port: { type: "string" },
        workers: { type: "string" },
        "log-level": { type: "string" },
        "failure-policy": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (values.help) return null;
  if (!values.filter) throw bad("--filter is required (the .wasm file to serve)");
  const clusters = new Map<string, URL>();
  for (const spec of values.cluster ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0) throw bad(`--cluster expects NAME=URL, got "${spec}"`);
    const name = spec.slice(0, eq);
    if (clusters.has(name)) throw bad(`--cluster ${name} is given twice`);
    clusters.set(name, loopback(spec.slice(eq + 1), `--cluster ${name}`));
  }
  const logLevel = (values["log-level"] ?? "info") as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel)) throw bad(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  const failurePolicy = (values["failure-policy"] ?? "FAIL_CLOSED") as FailurePolicy;
  if (!POLICIES.includes(failurePolicy)) throw bad(`--failure-policy must be one of ${POLICIES.join(", ")}, got "${failurePolicy}"`);
  return {
    filter: values.filter,
    config: values.config,
    rootId: values["root-id"] ?? "",
    upstream: values.upstream === undefined ? undefined : loopback(values.upstream, "--upstream"),
    clusters,
    port: values.port === undefined ? 10000 : integer(values.port, "port", 0, 65535),
    workers: values.workers === undefined ? 1 : integer(values.workers, "workers", 1, 64),
    logLevel,
    failurePolicy,
    quiet: !!values.quiet,
  };
}
