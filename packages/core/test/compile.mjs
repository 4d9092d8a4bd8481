// SPDX-License-Identifier: Apache-2.0
// Compiles test/fixtures/*.ts to build/test/<name>.wasm (release) and <name>.debug.wasm (debug) with
// the flags of asconfig.base.json, as a filter would be built. The abort handler is named by its
// path inside this package (a package cannot import itself through ~lib/@getwild/core).
import { readdirSync, mkdirSync, readFileSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

/** asc CLI flags equivalent to asconfig.base.json for `target` ("release" | "debug"). */
export function baseFlags(target) {
  const base = JSON.parse(readFileSync(join(packageRoot, "asconfig.base.json"), "utf8"));
  const options = { ...base.options, ...base.targets[target] };
  const flags = [];
  for (const [key, value] of Object.entries(options)) {
    if (key === "use") {
      for (const use of value) {
        flags.push("--use", use.replace("~lib/@getwild/core/assembly/", "assembly/"));
      }
    } else if (value === true) {
      flags.push(`--${key}`);
    } else if (value !== false) {
      flags.push(`--${key}`, String(value));
    }
  }
  return flags;
}

/**
 * Compiles one entry for one target into `outFile`; returns what asc printed (warnings), throws with
 * asc's messages on failure.
 */
export async function compileWithDiagnostics(entry, target, outFile) {
  const args = [entry, "--baseDir", packageRoot, "--outFile", outFile, "--config", "none", ...baseFlags(target)];
  let diagnostics = "";
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => { diagnostics += s; return true; } },
  });
  if (error) throw new Error(`asc failed for ${entry} (${target}):\n${diagnostics}`);
  return diagnostics;
}

/** Compiles one fixture for one target; a warning fails the build too (a filter on core must build clean). */
export async function compileFixture(entry, target = "release") {
  const name = basename(entry, ".ts");
  mkdirSync(fixtureOutDir, { recursive: true });
  const outFile = join(fixtureOutDir, target === "release" ? `${name}.wasm` : `${name}.${target}.wasm`);
  const diagnostics = await compileWithDiagnostics(entry, target, outFile);
  if (/WARNING/.test(diagnostics)) throw new Error(`asc printed warnings for ${entry} (${target}):\n${diagnostics}`);
  return outFile;
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
