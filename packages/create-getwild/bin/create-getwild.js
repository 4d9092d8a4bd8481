#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// `npm create getwild NAME` runs this bin: the same scaffold as `getwild init NAME`, from @getwild/host.
import { runInit } from "@getwild/host/init";

const code = runInit(
  process.argv.slice(2),
  { out: (line) => console.log(line), err: (line) => console.error(line) },
  "npm create getwild",
);
process.exitCode = code;
