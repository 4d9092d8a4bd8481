// SPDX-License-Identifier: Apache-2.0
// The `getwild` command as a function (argv in, exit code out), so it runs the same in the bin and in tests.
import { parseServeArgs, USAGE } from "./args.js";
import { serve, type RunningServer } from "./serve.js";
import { runServeEnvoy, type RunningEnvoyServer } from "./serve_envoy.js";
import { CliError, ExitCode } from "./errors.js";
import { runCheck, runOci } from "../deploy/index.js";
import { runInit } from "./init.js";
import { runToken } from "./token_command.js";
import { hostVersion } from "./version.js";

/** What `getwild` alone or `getwild --help` prints. */
export const COMMANDS_USAGE = `Usage: getwild <command> [options]

Commands:
  serve   run a filter as a local HTTP proxy on 127.0.0.1 (getwild serve --help)
  check   tell whether Envoy would load a module, and list its imports and exports
  oci     package a module as a Wasm OCI image (compat variant) for Istio
  token   mint a JWT a JwtAuthn configuration accepts, signed with the dev IdP key (getwild token --help)
  init    write a new filter project (getwild init NAME; also: npm create getwild NAME)

Run "getwild <command> --help" for the options of a command; "getwild --version" prints the version.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the server should stop (the bin: SIGINT/SIGTERM). */
  stopSignal(server: RunningServer | RunningEnvoyServer): Promise<void>;
}

/** Runs `getwild <argv>`; every failure is reported on `io.err` and mapped to its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    // Messages name the command they come from ("getwild serve: error: ...").
    const name = argv[0] === "token" ? "getwild token" : "getwild serve";
    if (e instanceof CliError) {
      io.err(`${name}: error: ${e.message}`);
      return e.exitCode;
    }
    io.err(`${name}: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return ExitCode.Internal;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") {
    io.out(COMMANDS_USAGE);
    return ExitCode.Ok;
  }
  if (command === "--version" || command === "-v" || command === "version") {
    io.out(`getwild ${hostVersion()} (@getwild/host)`);
    return ExitCode.Ok;
  }
  if (command === "token") return runToken(rest, io);
  if (command === "check") return runCheck(rest, io);
  if (command === "oci") return runOci(rest, io);
  if (command === "init") return runInit(rest, io);
  if (command !== "serve") {
    io.err(command === undefined ? COMMANDS_USAGE : `getwild: unknown command "${command}"\n\n${COMMANDS_USAGE}`);
    return ExitCode.BadArguments;
  }
  const options = parseServeArgs(rest);
  if (options === null) {
    io.out(USAGE);
    return ExitCode.Ok;
  }
  if (options.envoy) return runServeEnvoy(options, io);
  const server = await serve(options, { accessLog: options.quiet ? null : io.out, say: io.out });
  const say = (line: string) => io.out(`getwild serve: ${line}`);
  const workers = `${options.workers} worker${options.workers === 1 ? "" : "s"}`;
  say(`filter ${options.filter} (root_id "${options.rootId}", ${workers}, config ${options.config ?? "none"})`);
  say(server.echo ? `upstream: built-in echo at ${server.upstream.origin}` : `upstream: ${server.upstream.origin}`);
  for (const [name, url] of options.clusters) say(`cluster ${name} -> ${url.href}`);
  if (server.devIdp) {
    say(`dev IdP (development keys, for local testing only): JWKS at ${server.devIdp.url.origin} for cluster ${server.devIdp.clusters.join(", ")}; mint a token with: getwild token ${options.config ?? "CONFIG.json"}`);
  }
  for (const name of server.unmappedClusters) {
    // proxy_http_call to it would fail at request time (BadArgument, as in Envoy): say so now, with the fix.
    io.err(`getwild serve: warning: the configuration names cluster "${name}", which is not mapped: pass --cluster ${name}=URL (a loopback http:// or an https:// URL) or --dev-idp ${name}`);
  }
  if (server.admin) say(`admin: ${server.admin.url}/stats (the filter's metrics)`);
  if (server.watching) {
    say(`watching ${options.filter}${options.config ? ` and ${options.config}` : ""}${server.watching.buildPackage ? `, and ${server.watching.buildPackage}/assembly (runs its build)` : ""}`);
  }
  say(`listening on ${server.url} (Ctrl-C to stop)`);
  await io.stopSignal(server);
  await server.close();
  return ExitCode.Ok;
}
