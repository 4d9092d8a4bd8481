// SPDX-License-Identifier: Apache-2.0
// Exit codes of the `getwild` command and the error that carries one, so every failure ends with a clear message and a distinct code.

/** Process exit codes (documented in the README; scripts may branch on them). */
export const ExitCode = {
  Ok: 0,
  /** An unexpected failure inside the proxy. */
  Internal: 1,
  /** Unknown option, missing or malformed value, non-loopback address. */
  BadArguments: 2,
  /** The filter or configuration file does not exist or cannot be read. */
  FileNotFound: 3,
  /** Envoy would refuse the module (validation) or its VM fails to start. */
  ModuleRefused: 4,
  /** The plugin rejected its configuration (proxy_on_configure returned false). */
  ConfigRejected: 5,
  /** The port cannot be listened on (in use, or not permitted). */
  PortUnavailable: 6,
  /** `serve --envoy` found no Envoy (GETWILD_ENVOY, PATH, or the project's .getwild/envoy venv). */
  EnvoyMissing: 7,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
