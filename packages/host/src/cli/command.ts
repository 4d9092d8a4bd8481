// SPDX-License-Identifier: Apache-2.0
// The `getwild` command as a function (argv in, exit code out), so it runs the same in the bin and in tests.
import { parseServeArgs, USAGE } from "./args.js";
import { serve, type RunningServer } from "./serve.js";
import { CliError, ExitCode } from "./errors.js";
import { runCheck, runOci } from "../deploy/index.js";
import { runInit } from "./init.js";

/** What `getwild` alone or `getwild --help` prints. */
export const COMMANDS_USAGE = `Usage: getwild <command> [options]

Commands:
  serve   run a filter as a local HTTP proxy on 127.0.0.1 (getwild serve --help)
  check   tell whether Envoy would load a module, and list its imports and exports
  oci     package a module as a Wasm OCI image (compat variant) for Istio
  init    write a new filter project (getwild init NAME; also: npm create getwild NAME)

Run "getwild <command> --help" for the options of a command.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the server should stop (the bin: SIGINT/SIGTERM). */
  stopSignal(server: RunningServer): Promise<void>;
}

/** Runs `getwild <argv>`; every failure is reported on `io.err` and mapped to its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`getwild serve: error: ${e.message}`);
      return e.exitCode;
    }
    io.err(`getwild serve: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return ExitCode.Internal;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") {
    io.out(COMMANDS_USAGE);
    return ExitCode.Ok;
  }
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
  const server = await serve(options, { accessLog: options.quiet ? null : io.out });
  const say = (line: string) => io.out(`getwild serve: ${line}`);
  const workers = `${options.workers} worker${options.workers === 1 ? "" : "s"}`;
  say(`filter ${options.filter} (root_id "${options.rootId}", ${workers}, config ${options.config ?? "none"})`);
  say(server.echo ? `upstream: built-in echo at ${server.upstream.origin}` : `upstream: ${server.upstream.origin}`);
  for (const [name, url] of options.clusters) say(`cluster ${name} -> ${url.href}`);
  say(`listening on ${server.url} (Ctrl-C to stop)`);
  await io.stopSignal(server);
  await server.close();
  return ExitCode.Ok;
}
