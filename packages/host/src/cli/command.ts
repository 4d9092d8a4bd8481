// SPDX-License-Identifier: Apache-2.0
// The `getwild` command as a function (argv in, exit code out), so it runs the same in the bin and in tests.
import { parseServeArgs, USAGE } from "./args.js";
import { serve } from "./serve.js";
import { runServeEnvoy } from "./serve_envoy.js";
import type { CliIo } from "./io.js";
import { printServeBanner } from "./serve_banner.js";
import { CliError, ExitCode } from "./errors.js";
import { runCheck, runOci } from "./deploy/index.js";
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
  printServeBanner(options, server, io, {
    admin: server.admin ? `admin: ${server.admin.url}/stats (the filter's metrics)` : undefined,
  });
  await io.stopSignal(server);
  await server.close();
  return ExitCode.Ok;
}
