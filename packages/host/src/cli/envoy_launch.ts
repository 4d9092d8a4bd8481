// SPDX-License-Identifier: Apache-2.0
// One Envoy run of `getwild serve --envoy`: the bootstrap for the filter, Envoy's output translated into
// serve's lines as it comes, a failed start told with serve's exit codes, and an Envoy that never outlives
// this process. `serve --watch` launches a new one for each reload.
import { startEnvoy, type EnvoyBinary, type EnvoyProcess } from "../envoy/index.js";
import { serveBootstrap, SERVE_LISTENER } from "../envoy/bootstrap.js";
import { envoyOutput, type OutputSinks, type PluginNames } from "./envoy_output.js";
import { startFailure } from "./envoy_start_failure.js";
import type { ServeOptions } from "./args.js";
import type { LoadedFilter } from "./filter_input.js";

export interface LaunchSettings {
  options: ServeOptions;
  binary: EnvoyBinary;
  names: PluginNames;
  upstream: URL;
  clusters: Map<string, URL>;
  trustedCaPem: string | undefined;
  sinks: OutputSinks;
  filter: LoadedFilter;
  /** The copy of the module Envoy loads. */
  snapshot: string;
  port: number;
  adminPort: number;
}

export interface Launch {
  envoy: EnvoyProcess;
  /** The port the listener was bound to. */
  port: number;
  stop(): Promise<void>;
}

/** Envoy's names for serve's levels. */
const ENVOY_LEVEL: Record<string, string> = { warn: "warning" };
/** Envoy's log line when a signal asks it to stop. */
const SHUTDOWN_NOTE = /^\[warn\] envoy main: caught (ENVOY_)?SIG[A-Z]+$/;
/** How many of Envoy's lines to keep for error messages (the rest are only printed). */
const KEPT_LINES = 200;

export async function launchEnvoy(s: LaunchSettings): Promise<Launch> {
  const bootstrap = serveBootstrap({
    filter: s.snapshot,
    ...s.names,
    configuration: s.filter.configuration,
    failurePolicy: s.options.failurePolicy,
    port: s.port,
    upstream: s.upstream,
    clusters: s.clusters,
    trustedCaPem: s.trustedCaPem,
  });
  // Envoy's main thread (base and canary VMs) logs under Envoy's pid; the workers under their own ids.
  let envoyPid: number | undefined;
  const seen: string[] = [];
  let stopping = false;
  let held: string[] | null = [];
  const envoyLog = s.sinks.envoyLog;
  const translate = envoyOutput(
    s.names,
    {
      filterLog: s.sinks.filterLog,
      accessLog: s.sinks.accessLog,
      // Envoy's notes on its own shutdown ("caught SIGTERM", or SIGINT when Ctrl-C reaches it directly)
      // are not news to whoever stopped it; its lines before it is ready are held, since a failed start
      // is summed up in the error instead.
      envoyLog:
        envoyLog &&
        ((line) =>
          stopping || SHUTDOWN_NOTE.test(line) ? undefined : held === null ? envoyLog(line) : held.push(line)),
    },
    () => envoyPid,
  );
  let envoy: EnvoyProcess;
  try {
    envoy = await startEnvoy({
      envoy: s.binary.path,
      bootstrap,
      concurrency: s.options.workers,
      adminPort: s.adminPort,
      // Envoy's own components at warning; the wasm component (the filter's proxy_log and what
      // proxy_get_log_level reports) at --log-level.
      logLevel: "warning",
      componentLogLevel: `wasm:${ENVOY_LEVEL[s.options.logLevel] ?? s.options.logLevel}`,
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
    throw startFailure(e as Error, seen, s.options, s.filter);
  }
  for (const line of held) envoyLog?.(line);
  held = null;
  const running = envoy;
  // If this process ends without stop() (an uncaught error, process.exit), Envoy must not outlive it.
  const killOnExit = () => {
    try {
      process.kill(running.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  const port = (await running.listeners())[SERVE_LISTENER]!.port;
  let stopped: Promise<void> | null = null;
  return {
    envoy: running,
    port,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        await running.stop();
        process.off("exit", killOnExit);
      })()),
  };
}
