// SPDX-License-Identifier: Apache-2.0
// How every getwild command reads its arguments: node:util parseArgs, strict, positionals allowed,
// -h/--help added; a bad option becomes a BadArguments error that points at the usage.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError, ExitCode, type ExitCodeValue } from "./errors.js";
import type { CommandIo } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandLine<V> {
  values: V;
  positionals: string[];
}

/** Throws parseArgs' own error for an unknown or malformed option. */
function parse<V>(argv: string[], options: Options): CommandLine<V> & { help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: { ...options, help: { type: "boolean", short: "h" } },
  });
  return { values: values as V, positionals, help: values.help === true };
}

/** A usage error of `command` ("getwild serve"), pointing at its --help; runCli prints it. */
export function usageError(command: string, message: string): CliError {
  return new CliError(ExitCode.BadArguments, `${message}\nRun "${command} --help" for the options.`);
}

/** For serve and token: the parsed line, or null when help was asked for; a bad option throws usageError. */
export function readCommandLine<V>(command: string, argv: string[], options: Options): CommandLine<V> | null {
  let line;
  try {
    line = parse<V>(argv, options);
  } catch (e) {
    throw usageError(command, (e as Error).message);
  }
  return line.help ? null : line;
}

/**
 * For check, oci and init, which print their usage themselves: the parsed line, or the exit code once
 * printed (help: the usage, Ok; a bad option: the error and the usage, BadArguments).
 */
export function commandLineOrExit<V>(
  argv: string[],
  options: Options,
  usage: string,
  io: CommandIo,
): CommandLine<V> | ExitCodeValue {
  let line;
  try {
    line = parse<V>(argv, options);
  } catch (e) {
    io.err(`${(e as Error).message}\n${usage}`);
    return ExitCode.BadArguments;
  }
  if (line.help) {
    io.out(usage);
    return ExitCode.Ok;
  }
  return line;
}
