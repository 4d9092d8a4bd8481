// SPDX-License-Identifier: Apache-2.0
// `getwild serve --envoy`: the same options and output as `serve`, but the filter runs in a real Envoy
// started with a bootstrap generated from those options. getwild keeps what Envoy has no part in: the
// built-in echo upstream, the checks before start (files, module validation) and the printed lines.
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { validateModule } from "../index.js";
import { startEnvoy, type EnvoyBinary, type EnvoyProcess } from "../envoy/index.js";
import { serveBootstrap, SERVE_LISTENER, UPSTREAM_CLUSTER } from "../envoy/bootstrap.js";
import { CliError, ExitCode } from "./errors.js";
import { startEchoUpstream, type EchoUpstream } from "./echo_upstream.js";
import { envoyOutput } from "./envoy_output.js";
import { locateEnvoy } from "./envoy_binary.js";
import { trustedCa } from "./trusted_ca.js";
import { startFailure } from "./envoy_start_failure.js";
import type { ServeOptions } from "./args.js";
import type { CliIo } from "./command.js";

export interface RunningEnvoyServer {
  /** http://127.0.0.1:PORT of Envoy's listener. */
  url: string;
  port: number;
  upstream: URL;
  echo: boolean;
  /** The Envoy binary that runs the filter. */
  binary: EnvoyBinary;
  /** The running Envoy (admin URL, stats, its recent log lines). */
  envoy: EnvoyProcess;
  /** Where https:// clusters take their CA certificates from (undefined: no https cluster). */
  caSource?: string;
  /** Resolves when Envoy exits, whoever stopped it, with its exit code or signal. */
  exited: Promise<number | string>;
  /** Stops Envoy and the echo upstream. */
  close(): Promise<void>;
}

export interface ServeEnvoyHooks {
  /** As in serve: default console.log unless `quiet`; null for none. */
  accessLog?: ((line: string) => void) | null;
  filterLog?: ((line: string) => void) | null;
  /** Envoy's own warnings and errors; default console.error unless `quiet`. */
  envoyLog?: ((line: string) => void) | null;
  /** The Envoy to run (default: GETWILD_ENVOY, PATH, then the project's .getwild/envoy venv). */
  binary?: EnvoyBinary;
  /** Progress while an Envoy is installed on first use. */
  progress?: (line: string) => void;
}

/** Envoy's names for serve's levels. */
const ENVOY_LEVEL: Record<string, string> = { warn: "warning" };
/** How many of Envoy's lines to keep for error messages (the rest are only printed). */
const KEPT_LINES = 200;

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new CliError(ExitCode.FileNotFound, `${what} ${path}: ${why}`);
  }
}

/** What only the emulator can do, refused with the reason (Envoy has no path on a cluster). */
function checkEnvoyCan(options: ServeOptions): void {
  for (const [name, url] of options.clusters) {
    if (name === UPSTREAM_CLUSTER) {
      throw new CliError(ExitCode.BadArguments, `--cluster ${name}: with --envoy that name is the upstream's cluster; choose another`);
    }
    if (url.pathname !== "/" && url.pathname !== "") {
      throw new CliError(
        ExitCode.BadArguments,
        `--cluster ${name}: an Envoy cluster is an address, so with --envoy the URL cannot have a path ("${url.pathname}"); the filter's :path is sent as it is`,
      );
    }
  }
}

function orDefault(hook: ((line: string) => void) | null | undefined, quiet: boolean, fallback: (line: string) => void) {
  return hook !== undefined ? hook : quiet ? null : fallback;
}

/** Starts Envoy with the filter; throws CliError (serve's exit codes) when anything refuses. */
export async function serveEnvoy(options: ServeOptions, hooks: ServeEnvoyHooks = {}): Promise<RunningEnvoyServer> {
  checkEnvoyCan(options);
  const wasm = await readInput(options.filter, "filter");
  const validation = validateModule(wasm);
  if (!validation.ok) {
    throw new CliError(ExitCode.ModuleRefused, `Envoy would refuse ${options.filter}:\n  ${validation.errors.join("\n  ")}`);
  }
  const configuration = options.config === undefined ? undefined : await readInput(options.config, "configuration");
  const https = [...options.clusters.values()].some((url) => url.protocol === "https:");
  const ca = https ? trustedCa() : undefined;
  const binary = hooks.binary ?? locateEnvoy(process.env, process.cwd(), hooks.progress ?? ((line) => console.error(line)));

  let echo: EchoUpstream | null = null;
  if (!options.upstream) echo = await startEchoUpstream();
  const upstream = options.upstream ?? echo!.url;
  // The same plugin name as the emulator's; vm_id stays "" as serve leaves it (plugin_vm_id, shared data).
  const names = { pluginName: options.rootId || basename(options.filter, ".wasm"), rootId: options.rootId, vmId: "" };
  const bootstrap = serveBootstrap({
    filter: resolve(options.filter),
    ...names,
    configuration,
    failurePolicy: options.failurePolicy,
    port: options.port,
    upstream,
    clusters: options.clusters,
    trustedCaPem: ca?.pem,
  });
  // Envoy's main thread (base and canary VMs) logs under Envoy's pid; the workers under their own ids.
  let envoyPid: number | undefined;
  const seen: string[] = [];
  let stopping = false;
  let held: string[] | null = [];
  const envoyLog = orDefault(hooks.envoyLog, options.quiet, (line) => console.error(line));
  const translate = envoyOutput(
    names,
    {
      filterLog: orDefault(hooks.filterLog, options.quiet, (line) => console.log(line)),
      accessLog: orDefault(hooks.accessLog, options.quiet, (line) => console.log(line)),
      // Envoy's notes on its own shutdown ("caught SIGTERM") are not news to whoever stopped it; its
      // lines before it is ready are held, since a failed start is summed up in the error instead.
      envoyLog: envoyLog && ((line) => (stopping ? undefined : held === null ? envoyLog(line) : held.push(line))),
    },
    () => envoyPid,
  );
  let envoy: EnvoyProcess;
  try {
    envoy = await startEnvoy({
      envoy: binary.path,
      bootstrap,
      concurrency: options.workers,
      // Envoy's own components at warning; the wasm component (the filter's proxy_log and what
      // proxy_get_log_level reports) at --log-level.
      logLevel: "warning",
      componentLogLevel: `wasm:${ENVOY_LEVEL[options.logLevel] ?? options.logLevel}`,
      // Access-log lines are written out every 50 ms instead of Envoy's 10 s.
      extraArgs: ["--file-flush-interval-msec", "50"],
      logLimit: KEPT_LINES,
      onSpawn: (pid) => (envoyPid = pid),
      onLog: (line) => {
        seen.push(line);
        if (seen.length > KEPT_LINES) seen.shift();
        translate(line);
      },
    });
  } catch (e) {
    await echo?.close();
    throw startFailure(e as Error, seen, options);
  }
  const running = envoy;
  for (const line of held) envoyLog?.(line);
  held = null;
  const port = (await running.listeners())[SERVE_LISTENER]!.port;
  // If this process ends without close() (an uncaught error, process.exit), Envoy must not outlive it.
  const killOnExit = () => {
    try {
      process.kill(running.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstream,
    echo: echo !== null,
    binary,
    envoy: running,
    caSource: ca?.source,
    exited: running.exited,
    close: () =>
      (closed ??= (async () => {
        stopping = true;
        await running.stop();
        process.off("exit", killOnExit);
        await echo?.close();
      })()),
  };
}

/** `getwild serve --envoy` as the command runs it: start, print serve's lines, wait for the stop signal or Envoy's exit. */
export async function runServeEnvoy(options: ServeOptions, io: CliIo): Promise<number> {
  const server = await serveEnvoy(options, {
    accessLog: options.quiet ? null : io.out,
    filterLog: options.quiet ? null : io.out,
    envoyLog: options.quiet ? null : io.err,
    progress: io.err,
  });
  const say = (line: string) => io.out(`getwild serve: ${line}`);
  const workers = `${options.workers} worker${options.workers === 1 ? "" : "s"}`;
  say(`filter ${options.filter} (root_id "${options.rootId}", ${workers}, config ${options.config ?? "none"})`);
  // `envoy --version` prints the path, then "version: <sha>/<version>/...": the version is what matters.
  const version = /version: \S*?\/(\d+\.\d+\.\d+)\//.exec(server.binary.version)?.[1] ?? server.binary.version;
  say(`envoy ${version} (${server.binary.path}, from ${server.binary.source})`);
  say(`envoy admin: ${server.envoy.adminUrl} (stats at /stats)`);
  say(server.echo ? `upstream: built-in echo at ${server.upstream.origin}` : `upstream: ${server.upstream.origin}`);
  for (const [name, url] of options.clusters) say(`cluster ${name} -> ${url.href}`);
  if (server.caSource !== undefined) say(`https clusters verify their server with ${server.caSource}`);
  say(`listening on ${server.url} (Ctrl-C to stop)`);
  // Ctrl-C in a terminal reaches Envoy too, which then exits 0 on its own: that is a stop as well.
  const stopped = await Promise.race([io.stopSignal(server).then(() => null), server.exited]);
  await server.close();
  if (stopped === null || stopped === 0 || stopped === "SIGINT" || stopped === "SIGTERM") return ExitCode.Ok;
  io.err(`getwild serve: error: Envoy exited (${stopped}):\n${server.envoy.logs.slice(-10).join("\n")}`);
  return ExitCode.Internal;
}
