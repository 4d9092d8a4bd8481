// SPDX-License-Identifier: Apache-2.0
// Compiles test/fixtures/*.ts to build/test/<name>.wasm (release) and <name>.debug.wasm (debug) with
// @getwild/core's shared asconfig, i.e. exactly as a filter using this package is built.
import { readdirSync, mkdirSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

/** Compiles one fixture for one target ("release" | "debug"); throws with asc's messages on failure. */
export async function compileFixture(entry, target) {
  const name = basename(entry, ".ts");
  const outFile = join(fixtureOutDir, target === "release" ? `${name}.wasm` : `${name}.${target}.wasm`);
  // asc reads ./asconfig.json from the cwd; the fixtures' config lives in test/asconfig.json.
  const args = [entry, "--baseDir", packageRoot, "--config", "test/asconfig.json", "--target", target, "--outFile", outFile];
  let errors = "";
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => { errors += s; return true; } },
  });
  if (error) throw new Error(`asc failed for ${entry} (${target}):\n${errors}`);
  return outFile;
}

/** Every fixture (or FIXTURES=a,b), release and debug (or TARGETS=release). */
export async function compileAllFixtures() {
  mkdirSync(fixtureOutDir, { recursive: true });
  const only = process.env.FIXTURES?.split(",");
  const targets = process.env.TARGETS?.split(",") ?? ["release", "debug"];
  for (const file of readdirSync(join(packageRoot, "test", "fixtures")).sort()) {
    if (!file.endsWith(".ts") || (only && !only.includes(basename(file, ".ts")))) continue;
    for (const target of targets) await compileFixture(join("test", "fixtures", file), target);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await compileAllFixtures();
}
