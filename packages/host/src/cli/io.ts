// SPDX-License-Identifier: Apache-2.0
// Where the getwild commands print (so tests can capture it), and when a running server stops.

/** Output sinks of every command (serve, check, oci, token, init): one line per call. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

/** The process's stdout and stderr. */
export const processIo: CommandIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** What `runCli` needs besides the sinks: when a server it started should stop. */
export interface CliIo extends CommandIo {
  /** Resolves when the server should stop (the bin: SIGINT/SIGTERM); gets the running server (its url). */
  stopSignal(server: { readonly url: string }): Promise<void>;
}
