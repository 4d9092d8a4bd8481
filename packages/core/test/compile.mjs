// SPDX-License-Identifier: Apache-2.0
// Builds test/fixtures/*.ts through @getwild/host's buildFilter with this package's asconfig.base.json
// (the flags every filter ships with; any asc warning fails): build/test/<name>.wasm (release) and
// <name>.debug.wasm (debug target, with assertions kept on: the suite runs every fixture both ways, so
// an assertion the release build strips is exercised). Inside core the abort handler is named by its
// path (a package cannot reach itself through ~lib/@getwild/core).
import { readdirSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter } from "@getwild/host";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

const OWN_ABORT = ["abort=assembly/abort/coreAbort"];

/** Builds `entry` for `target`; `releaseOut` is its release path (another target writes <name>.<target>.wasm). */
async function build(entry, target, releaseOut) {
  const [written] = await buildFilter({
    cwd: packageRoot,
    entry,
    outFile: releaseOut,
    asconfig: "asconfig.base.json",
    targets: [target],
    use: OWN_ABORT,
    assertions: target === "debug",
  });
  return written;
}

/**
 * Compiles one entry for the release target into `outFile` and returns "": buildFilter refuses a build
 * that printed a warning (its FilterBuildError carries asc's output), so nothing else is left to report.
 */
export async function compileWithDiagnostics(entry, target, outFile) {
  if (target !== "release") throw new Error("compileWithDiagnostics builds the release target");
  await build(entry, target, outFile);
  return "";
}

/** Compiles one fixture for one target ("release" | "debug"); returns the .wasm path. */
export function compileFixture(entry, target = "release") {
  return build(entry, target, join(fixtureOutDir, `${basename(entry, ".ts")}.wasm`));
}

/** Compiles every fixture (or those in FIXTURES=a,b), release and debug (TARGETS=release to skip debug). */
export async function compileAllFixtures() {
  const only = process.env.FIXTURES?.split(",");
  const targets = process.env.TARGETS?.split(",") ?? ["release", "debug"];
  for (const file of readdirSync(join(packageRoot, "test", "fixtures")).sort()) {
    if (!file.endsWith(".ts")) continue;
    if (only && !only.includes(basename(file, ".ts"))) continue;
    for (const target of targets) await compileFixture(join("test", "fixtures", file), target);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await compileAllFixtures();
}
