#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `getwild` bin: runs the command with the process's arguments, stops on SIGINT/SIGTERM, exits with its code.
import { runCli } from "./command.js";

void runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  stopSignal: () =>
    new Promise<void>((resolve) => {
      process.once("SIGINT", () => resolve());
      process.once("SIGTERM", () => resolve());
    }),
}).then((code) => process.exit(code));
