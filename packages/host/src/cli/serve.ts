// SPDX-License-Identifier: Apache-2.0
// `getwild serve` as a function: load the filter like Envoy, start the echo upstream, the dev IdP and the admin
// listener as asked, listen on loopback, run real time, reload on --watch.
import http from "node:http";
import { basename } from "node:path";
import type { AddressInfo, Socket } from "node:net";
import { createHost, HostLoadError, SystemClock, type Host, type HostOptions } from "../index.js";
import { LOG_LEVELS } from "../enums.js";
import { formatFilterLog } from "./filter_logs.js";
import { CliError, ExitCode } from "./errors.js";
import { clusterCallHandler } from "./callouts.js";
import { Exchange, ROUTE_TIMEOUT_MS } from "./exchange.js";
import type { ServeOptions } from "./args.js";
import { startAdmin, type AdminServer } from "./admin.js";
import { rootIdHint, UNREGISTERED_ROOT_LOG } from "../root_ids.js";
import { configSource, readFilter, readInput, watchAndReload, type LoadedFilter } from "./filter_input.js";
import {
  runningServerBase,
  startLocalServices,
  stopStack,
  unmappedClusters,
  type RunningServerBase,
} from "./serve_locals.js";

/** reload(): new requests use the new VMs; close(): stops listening, drops open connections, shuts the plugin down. */
export interface RunningServer extends RunningServerBase {
  /** The host running the filter (logs, metrics, failures); a --watch reload replaces it. */
  readonly host: Host;
  /** The admin listener (/stats), when asked for. */
  admin: { url: string; port: number } | null;
}

export interface ServeHooks {
  /** Access-log sink; default console.log unless `quiet`. */
  accessLog?: ((line: string) => void) | null;
  /** Sink for the filter's logs at or above `--log-level`; default console.log unless `quiet`. */
  filterLog?: ((line: string) => void) | null;
  /** Envoy's route timeout (default 15 s). */
  routeTimeoutMs?: number;
  /** Where --watch reports reloads and builds (default console.log). */
  say?: (line: string) => void;
}

/** How often host time moves forward (ticks, callout deadlines). */
const TIME_STEP_MS = 10;

async function loadHost(
  options: ServeOptions,
  loaded: LoadedFilter,
  clusters: Map<string, URL>,
  ca: string | undefined,
  pump: () => void,
  filterLog: ((line: string) => void) | null,
): Promise<Host> {
  const minimum = LOG_LEVELS.indexOf(options.logLevel);
  let unregisteredRoot = false;
  const hostOptions: HostOptions = {
    wasm: loaded.wasm,
    rootId: options.rootId,
    vmId: options.vmId ?? "",
    name: options.rootId || basename(options.filter, ".wasm"),
    pluginConfig: loaded.configuration,
    workers: options.workers,
    logLevel: options.logLevel,
    failurePolicy: options.failurePolicy,
    clusters: [...clusters.keys()],
    httpCallHandler: clusterCallHandler(clusters, pump, ca),
    clock: new SystemClock(),
    // Printed as the filter writes them (start-up included), filtered by level as Envoy does, so a
    // filter refusing to start has its own explanation printed above the error. Every record is seen
    // here so that a root id nobody registered is recognised even below the printed level.
    onLog: (record) => {
      if (UNREGISTERED_ROOT_LOG.test(record.message)) unregisteredRoot = true;
      if (filterLog && LOG_LEVELS.indexOf(record.level) >= minimum) filterLog(formatFilterLog(record));
    },
    onLogLevel: "trace",
  };
  try {
    return await createHost(hostOptions);
  } catch (e) {
    if (!(e instanceof HostLoadError)) throw e;
    if (/configuration was rejected|proxy_on_configure returned false/.test(e.message)) {
      if (unregisteredRoot)
        throw new CliError(
          ExitCode.ConfigRejected,
          `${rootIdHint(options.rootId, loaded.wasm, loaded.configuration)} (${e.message})`,
        );
      throw new CliError(
        ExitCode.ConfigRejected,
        `the filter rejected ${configSource(options)} (see its log above): ${e.message}`,
      );
    }
    throw new CliError(ExitCode.ModuleRefused, `the filter failed to start: ${e.message}`);
  }
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why =
        e.code === "EADDRINUSE"
          ? "is already in use"
          : e.code === "EACCES"
            ? "needs privileges (use a port above 1023)"
            : e.message;
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
  const live = new Map<Exchange, Host>();
  const pumpAll = () => {
    for (const exchange of [...live.keys()]) exchange.pump();
  };
  const filterLog =
    hooks.filterLog !== undefined ? hooks.filterLog : options.quiet ? null : (line: string) => console.log(line);
  const say = hooks.say ?? ((line: string) => console.log(line));
  const ca =
    options.caFile === undefined ? undefined : new TextDecoder().decode(await readInput(options.caFile, "CA file"));
  const { stoppers, stopAll } = stopStack();
  try {
    const services = await startLocalServices(options, stoppers);
    const { clusters, upstream } = services;
    const loaded = await readFilter(options);
    let host = await loadHost(options, loaded, clusters, ca, () => pumpAll(), filterLog);
    stoppers.push(() => host.close());
    const unmapped = unmappedClusters(loaded.configuration, clusters);
    const accessLog =
      hooks.accessLog !== undefined ? hooks.accessLog : options.quiet ? null : (line: string) => console.log(line);
    // Hosts replaced by a reload keep running until the requests they carry are finished.
    const retired = new Set<Host>();
    const retireIdle = () => {
      for (const old of retired) {
        if (![...live.values()].includes(old)) {
          old.close();
          retired.delete(old);
        }
      }
    };
    stoppers.push(() => {
      for (const old of retired) old.close();
    });
    // The filter's logs of a request (on_log included) are printed as written, so before its access-log line.
    const env = {
      get host() {
        return host;
      },
      upstream,
      routeTimeoutMs: hooks.routeTimeoutMs ?? ROUTE_TIMEOUT_MS,
      accessLog,
      finished: (exchange: Exchange) => {
        live.delete(exchange);
        if (retired.size > 0) retireIdle();
      },
    };
    const sockets = new Set<Socket>();
    const server = http.createServer((req, res) => {
      const exchange = new Exchange(env, req, res);
      live.set(exchange, host);
      exchange.start();
    });
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    const port = await listen(server, options.port);
    stoppers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    let admin: AdminServer | null = null;
    if (options.adminPort !== undefined && options.adminPort !== null) {
      admin = await startAdmin(options.adminPort, () => host.metrics());
      stoppers.push(() => admin!.close());
    }
    // Host time follows the wall clock: ticks fire and callout deadlines expire as in Envoy.
    let last = Date.now();
    const clock = setInterval(() => {
      const now = Date.now();
      host.advance(now - last);
      for (const old of retired) old.advance(now - last);
      last = now;
      pumpAll();
    }, TIME_STEP_MS);
    stoppers.push(() => clearInterval(clock));
    const reload = async () => {
      const next = await readFilter(options);
      const replacement = await loadHost(options, next, clusters, ca, () => pumpAll(), filterLog);
      retired.add(host);
      host = replacement;
      retireIdle();
    };
    const watching = watchAndReload(options, say, reload, stoppers);
    return {
      ...runningServerBase(port, services, unmapped, watching, reload, stopAll),
      get host() {
        return host;
      },
      admin: admin === null ? null : { url: admin.url, port: admin.port },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
