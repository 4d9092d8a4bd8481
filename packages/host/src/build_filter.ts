// SPDX-License-Identifier: Apache-2.0
// buildFilter(): compiles a filter project with its own asconfig.json and AssemblyScript, so a test
// run (or any script) starts from the current source instead of whatever build/ happens to hold.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

export interface BuildFilterOptions {
  /** The project folder: where asconfig.json is and AssemblyScript is installed (default: process.cwd()). */
  cwd?: string;
  /** asconfig targets to build, in order (default: ["release"], what Envoy runs). */
  targets?: string[];
}

/** Thrown when asc refuses the source; the message carries asc's own diagnostics. */
export class FilterBuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = "FilterBuildError";
  }
}

/** The asc bin of the project's own AssemblyScript (the version its package.json pins). */
function ascBin(cwd: string): string {
  const require = createRequire(join(cwd, "package.json"));
  let manifest: string;
  try {
    manifest = require.resolve("assemblyscript/package.json");
  } catch {
    throw new FilterBuildError(`assemblyscript is not installed in ${cwd}: npm i -D assemblyscript`, "");
  }
  return join(dirname(manifest), "bin", "asc.js");
}

function runAsc(bin: string, cwd: string, target: string): Promise<void> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [bin, "--target", target], { cwd, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) return done();
      const output = `${stdout}${stderr}`.trim();
      fail(new FilterBuildError(`asc --target ${target} failed in ${cwd}:\n${output || error.message}`, output));
    });
  });
}

/**
 * Builds each target of the project's asconfig.json with `asc --target NAME`. Resolves when every
 * target is written; rejects with asc's diagnostics otherwise (so a test run stops instead of
 * testing an old build/filter.wasm).
 */
export async function buildFilter(options: BuildFilterOptions = {}): Promise<void> {
  const cwd = resolve(options.cwd ?? process.cwd());
  if (!existsSync(join(cwd, "asconfig.json"))) {
    throw new FilterBuildError(`no asconfig.json in ${cwd}: buildFilter builds the project that asconfig.json describes`, "");
  }
  const bin = ascBin(cwd);
  for (const target of options.targets ?? ["release"]) await runAsc(bin, cwd, target);
}
