// SPDX-License-Identifier: Apache-2.0
// Compiles test/fixtures/*.ts entries to build/test/<name>.wasm (release flags, loader runtime
// exported). Shared by the vitest global setup and the benchmark, so both run the same bytes.
import { readdirSync, mkdirSync, readFileSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

/** Compiles one entry (path relative to the package root); throws with asc's messages on failure. */
export async function compileFixture(entry, extra = []) {
  const name = basename(entry, ".ts");
  mkdirSync(fixtureOutDir, { recursive: true });
  const args = [
    entry,
    "--baseDir", packageRoot,
    "--outFile", join(fixtureOutDir, `${name}.wasm`),
    "-O3", "--noAssert",
    "--runtime", "incremental",
    "--exportRuntime",
    "--config", "none",
    ...extra,
  ];
  let errors = "";
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => { errors += s; return true; } },
  });
  if (error) throw new Error(`asc failed for ${entry}:\n${errors}`);
}

/**
 * Extra asc flags a fixture asks for with a line `// asc-flags: --enable simd` among its first
 * lines (e.g. a SIMD build next to a portable one of the same code).
 */
export function fixtureFlags(entry) {
  const head = readFileSync(join(packageRoot, entry), "utf8").split("\n", 8);
  const line = head.find((l) => l.startsWith("// asc-flags:"));
  return line ? line.slice("// asc-flags:".length).trim().split(/\s+/).filter(Boolean) : [];
}

/** Compiles every fixture, or only those named in the FIXTURES environment variable (comma list). */
export async function compileAllFixtures() {
  const only = process.env.FIXTURES?.split(",");
  for (const file of readdirSync(join(packageRoot, "test", "fixtures")).sort()) {
    if (!file.endsWith(".ts")) continue;
    if (only && !only.includes(basename(file, ".ts"))) continue;
    const entry = join("test", "fixtures", file);
    await compileFixture(entry, fixtureFlags(entry));
  }
}
