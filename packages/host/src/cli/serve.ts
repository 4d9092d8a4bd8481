// SPDX-License-Identifier: Apache-2.0
// `getwild serve` as a function: load the filter like Envoy, start the echo upstream if needed, listen on loopback, run real time.
import http from "node:http";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { createHost, validateModule, HostLoadError, SystemClock, type Host, type HostOptions } from "../index.js";
import { filterLogSink } from "./filter_logs.js";
import { CliError, ExitCode } from "./errors.js";
import { startEchoUpstream, type EchoUpstream } from "./echo_upstream.js";
import { clusterCallHandler } from "./callouts.js";
import { Exchange, ROUTE_TIMEOUT_MS } from "./exchange.js";
import type { ServeOptions } from "./args.js";

export interface RunningServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Where requests go after the filter. */
  upstream: URL;
  /** True when `upstream` is the built-in echo server. */
  echo: boolean;
  /** The host running the filter (logs, metrics, failures). */
  host: Host;
  /** Stops listening, drops open connections, shuts the plugin down (root on_done / on_delete). */
  close(): Promise<void>;
}

export interface ServeHooks {
  /** Access-log sink; default console.log unless `quiet`. */
  accessLog?: ((line: string) => void) | null;
  /** Sink for the filter's logs at or above `--log-level`; default console.log unless `quiet`. */
  filterLog?: ((line: string) => void) | null;
  /** Envoy's route timeout (default 15 s). */
  routeTimeoutMs?: number;
}

/** How often host time moves forward (ticks, callout deadlines). */
const TIME_STEP_MS = 10;

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new CliError(ExitCode.FileNotFound, `${what} ${path}: ${why}`);
  }
}

async function loadHost(options: ServeOptions, pump: () => void, filterLog: ((line: string) => void) | null): Promise<Host> {
  const wasm = await readInput(options.filter, "filter");
  const validation = validateModule(wasm);
  if (!validation.ok) {
    throw new CliError(ExitCode.ModuleRefused, `Envoy would refuse ${options.filter}:\n  ${validation.errors.join("\n  ")}`);
  }
  const pluginConfig = options.config === undefined ? undefined : await readInput(options.config, "configuration");
  const hostOptions: HostOptions = {
    wasm,
    rootId: options.rootId,
    name: options.rootId || basename(options.filter, ".wasm"),
    pluginConfig,
    workers: options.workers,
    logLevel: options.logLevel,
    failurePolicy: options.failurePolicy,
    clusters: [...options.clusters.keys()],
    httpCallHandler: clusterCallHandler(options.clusters, pump),
    clock: new SystemClock(),
    // Printed as the filter writes them (start-up included), filtered by level as Envoy does, so a
    // filter refusing to start has its own explanation printed above the error.
    onLog: filterLog ? filterLogSink(filterLog) : undefined,
    onLogLevel: options.logLevel,
  };
  try {
    return await createHost(hostOptions);
  } catch (e) {
    if (!(e instanceof HostLoadError)) throw e;
    if (/configuration was rejected|proxy_on_configure returned false/.test(e.message)) {
      const source = options.config === undefined ? "an empty configuration" : `the configuration in ${options.config}`;
      // The usual cause besides a bad configuration: a root_id the filter did not register.
      const hint = `see its log above; the filter was started with --root-id "${options.rootId}"`;
      throw new CliError(ExitCode.ConfigRejected, `the filter rejected ${source} (${hint}): ${e.message}`);
    }
    throw new CliError(ExitCode.ModuleRefused, `the filter failed to start: ${e.message}`);
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why =
        e.code === "EADDRINUSE" ? "is already in use" : e.code === "EACCES" ? "needs privileges (use a port above 1023)" : e.message;
      reject(new CliError(ExitCode.PortUnavailable, `cannot listen on 127.0.0.1:${port}: the port ${why}`));
    };
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts serving; throws CliError (with its exit code) when anything Envoy would refuse is found. */
export async function serve(options: ServeOptions, hooks: ServeHooks = {}): Promise<RunningServer> {
  const live = new Set<Exchange>();
  const pumpAll = () => {
    for (const exchange of [...live]) exchange.pump();
  };
  const filterLog = hooks.filterLog !== undefined ? hooks.filterLog : options.quiet ? null : (line: string) => console.log(line);
  const host = await loadHost(options, () => pumpAll(), filterLog);
  let echo: EchoUpstream | null = null;
  if (!options.upstream) echo = await startEchoUpstream();
  const upstream = options.upstream ?? echo!.url;
  const accessSink = hooks.accessLog !== undefined ? hooks.accessLog : options.quiet ? null : (line: string) => console.log(line);
  // The filter's logs of a request (on_log included) are printed as written, so before its access-log line.
  const accessLog = accessSink;
  const env = {
    host,
    upstream,
    routeTimeoutMs: hooks.routeTimeoutMs ?? ROUTE_TIMEOUT_MS,
    accessLog,
    finished: (exchange: Exchange) => live.delete(exchange),
  };
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const exchange = new Exchange(env, req, res);
    live.add(exchange);
    exchange.start();
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  let port: number;
  try {
    port = await listen(server, options.port);
  } catch (e) {
    await echo?.close();
    host.close();
    throw e;
  }
  // Host time follows the wall clock: ticks fire and callout deadlines expire as in Envoy.
  let last = Date.now();
  const clock = setInterval(() => {
    const now = Date.now();
    host.advance(now - last);
    last = now;
    pumpAll();
  }, TIME_STEP_MS);
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    upstream,
    echo: echo !== null,
    host,
    close: () =>
      (closed ??= (async () => {
        clearInterval(clock);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
        await echo?.close();
        host.close();
      })()),
  };
}
