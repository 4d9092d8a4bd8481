// SPDX-License-Identifier: Apache-2.0
// `getwild serve --envoy`: the same options and output as `serve`, but the filter runs in a real Envoy
// started with a bootstrap generated from those options. getwild keeps what Envoy has no part in: the
// built-in echo upstream, the dev IdP, the checks before start (files, module validation), the printed
// lines, and --watch (a new Envoy on the same ports; the previous module again if the new one fails).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { EnvoyBinary, EnvoyProcess } from "../envoy/index.js";
import { UPSTREAM_CLUSTER } from "../envoy/bootstrap.js";
import { CliError, ExitCode } from "./errors.js";
import { locateEnvoy } from "./envoy_binary.js";
import { trustedCa } from "./trusted_ca.js";
import { launchEnvoy, type Launch } from "./envoy_launch.js";
import type { OutputSinks } from "./envoy_output.js";
import { readFilter, readInput, watchAndReload, type LoadedFilter } from "./filter_input.js";
import {
  runningServerBase,
  startLocalServices,
  stopStack,
  unmappedClusters,
  type RunningServerBase,
} from "./serve_locals.js";
import type { ServeOptions } from "./args.js";
import type { CliIo } from "./io.js";
import { printServeBanner } from "./serve_banner.js";

/** reload(): a new Envoy on the same ports; close(): stops Envoy, the echo upstream and the dev IdP. */
export interface RunningEnvoyServer extends RunningServerBase {
  /** The Envoy binary that runs the filter. */
  binary: EnvoyBinary;
  /** The running Envoy (admin URL, stats, its recent log lines); a --watch reload replaces it. */
  readonly envoy: EnvoyProcess;
  /** http://127.0.0.1:PORT of Envoy's admin interface, when --admin-port is not "off". */
  admin: string | null;
  /** Where https:// clusters take their CA certificates from (undefined: no https cluster). */
  caSource?: string;
  /** Resolves when Envoy exits without being stopped by getwild, with its exit code or signal. */
  exited: Promise<number | string>;
}

export interface ServeEnvoyHooks extends Partial<OutputSinks> {
  /** The Envoy to run (default: GETWILD_ENVOY, PATH, then the project's .getwild/envoy venv). */
  binary?: EnvoyBinary;
  /** Progress while an Envoy is installed on first use; --watch's reports. */
  say?: (line: string) => void;
}

/** What only the emulator can do, refused with the reason (Envoy has no path on a cluster). */
function checkEnvoyCan(options: ServeOptions): void {
  if (options.clusters.has(UPSTREAM_CLUSTER) || options.devIdpClusters?.includes(UPSTREAM_CLUSTER)) {
    throw new CliError(
      ExitCode.BadArguments,
      `cluster ${UPSTREAM_CLUSTER}: with --envoy that name is the upstream's cluster; choose another`,
    );
  }
  for (const [name, url] of options.clusters) {
    if (url.pathname !== "/" && url.pathname !== "") {
      throw new CliError(
        ExitCode.BadArguments,
        `--cluster ${name}: an Envoy cluster is an address, so with --envoy the URL cannot have a path ("${url.pathname}"); the filter's :path is sent as it is`,
      );
    }
  }
}

function orDefault(
  hook: ((line: string) => void) | null | undefined,
  quiet: boolean,
  fallback: (line: string) => void,
) {
  return hook !== undefined ? hook : quiet ? null : fallback;
}

/** Starts Envoy with the filter; throws CliError (serve's exit codes) when anything refuses. */
export async function serveEnvoy(options: ServeOptions, hooks: ServeEnvoyHooks = {}): Promise<RunningEnvoyServer> {
  checkEnvoyCan(options);
  const say = hooks.say ?? ((line: string) => console.log(line));
  let loaded = await readFilter(options);
  const extraCa =
    options.caFile === undefined ? undefined : new TextDecoder().decode(await readInput(options.caFile, "CA file"));
  const binary = hooks.binary ?? locateEnvoy(process.env, process.cwd(), (line) => say(`getwild serve: ${line}`));
  const sinks: OutputSinks = {
    filterLog: orDefault(hooks.filterLog, options.quiet, (line) => console.log(line)),
    accessLog: orDefault(hooks.accessLog, options.quiet, (line) => console.log(line)),
    envoyLog: orDefault(hooks.envoyLog, options.quiet, (line) => console.error(line)),
  };
  const { stoppers, stopAll } = stopStack();
  try {
    const services = await startLocalServices(options, stoppers);
    const { clusters, upstream } = services;
    const https = [...clusters.values()].some((url) => url.protocol === "https:");
    const ca = https ? trustedCa(process.env, extraCa) : undefined;
    const unmapped = unmappedClusters(loaded.configuration, clusters);
    // Envoy reads a copy of the module (written from the bytes validated above), so that --watch can
    // start the previous one again if a new one fails; Envoy reads it only while it starts.
    const snapshots = mkdtempSync(join(tmpdir(), "getwild-serve-envoy-"));
    stoppers.push(() => rmSync(snapshots, { recursive: true, force: true }));
    const snapshot = join(snapshots, "filter.wasm");
    const settings = {
      options,
      binary,
      // The same plugin name and vm_id as the emulator's (plugin_vm_id, shared data).
      names: {
        pluginName: options.rootId || basename(options.filter, ".wasm"),
        rootId: options.rootId,
        vmId: options.vmId ?? "",
      },
      upstream,
      clusters,
      trustedCaPem: ca?.pem,
      sinks,
    };
    const launch = (filter: LoadedFilter, port: number, adminPort: number) => {
      writeFileSync(snapshot, filter.wasm);
      return launchEnvoy({ ...settings, filter, snapshot, port, adminPort });
    };
    let current: Launch = await launch(loaded, options.port, options.adminPort ?? 0);
    let stopped = false;
    stoppers.push(() => {
      stopped = true;
      return current.stop();
    });
    const port = current.port;
    const adminPort = Number(new URL(current.envoy.adminUrl).port);
    let unexpectedExit!: (code: number | string) => void;
    const exited = new Promise<number | string>((resolve) => (unexpectedExit = resolve));
    // Only an exit nobody asked for ends serve: not close(), not the stop of a reload.
    let replacing = false;
    const watchExit = (l: Launch) =>
      void l.envoy.exited.then((code) => l === current && !stopped && !replacing && unexpectedExit(code));
    watchExit(current);

    const reload = async () => {
      const next = await readFilter(options);
      const previous = loaded;
      replacing = true;
      await current.stop();
      try {
        current = await launch(next, port, adminPort);
        loaded = next;
      } catch (e) {
        // Back to the module that worked, on the same ports, and say why the new one was refused.
        current = await launch(previous, port, adminPort);
        throw e;
      } finally {
        replacing = false;
        watchExit(current);
      }
    };
    const watching = watchAndReload(options, say, reload, stoppers);
    return {
      ...runningServerBase(port, services, unmapped, watching, reload, stopAll),
      binary,
      get envoy() {
        return current.envoy;
      },
      admin: options.adminPort === null ? null : current.envoy.adminUrl,
      caSource: ca?.source,
      exited,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** `getwild serve --envoy` as the command runs it: start, print serve's lines, wait for the stop signal or Envoy's exit. */
export async function runServeEnvoy(options: ServeOptions, io: CliIo): Promise<number> {
  const server = await serveEnvoy(options, {
    accessLog: options.quiet ? null : io.out,
    filterLog: options.quiet ? null : io.out,
    envoyLog: options.quiet ? null : io.err,
    say: io.out,
  });
  // `envoy --version` prints the path, then "version: <sha>/<version>/...": the version is what matters.
  const version = /version: \S*?\/(\d+\.\d+\.\d+)\//.exec(server.binary.version)?.[1] ?? server.binary.version;
  printServeBanner(options, server, io, {
    engine: `envoy ${version} (${server.binary.path}, from ${server.binary.source})`,
    ca: server.caSource === undefined ? undefined : `https clusters verify their server with ${server.caSource}`,
    admin: server.admin ? `admin: ${server.admin}/stats (Envoy's stats, the filter's metrics among them)` : undefined,
  });
  // Ctrl-C in a terminal reaches Envoy too, which then exits 0 on its own: that is a stop as well.
  let stopped: number | string | null;
  try {
    stopped = await Promise.race([io.stopSignal(server).then(() => null), server.exited]);
  } finally {
    await server.close();
  }
  if (stopped === null || stopped === 0 || stopped === "SIGINT" || stopped === "SIGTERM") return ExitCode.Ok;
  io.err(`getwild serve: error: Envoy exited (${stopped}):\n${server.envoy.logs.slice(-10).join("\n")}`);
  return ExitCode.Internal;
}
