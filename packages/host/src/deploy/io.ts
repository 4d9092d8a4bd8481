// SPDX-License-Identifier: Apache-2.0
// What the deploy commands share: where they print, their exit codes, and reading the module file with a clear error.
import { readFile } from "node:fs/promises";

/** Output sinks, so tests can capture what a command prints. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
};

/** The same numbers as `getwild serve` uses (see the CLI's errors.ts). */
export const DeployExit = {
  Ok: 0,
  Internal: 1,
  BadArguments: 2,
  FileNotFound: 3,
  ModuleRefused: 4,
  /** `check --config`: the filter's proxy_on_configure rejected the configuration. */
  ConfigRejected: 5,
} as const;

export type DeployExitCode = (typeof DeployExit)[keyof typeof DeployExit];

/** Reads the module, or prints why not and returns null. */
export async function readModule(path: string, io: CommandIo): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${(e as Error).message})`);
    return null;
  }
}
