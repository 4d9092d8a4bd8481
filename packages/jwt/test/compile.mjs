// SPDX-License-Identifier: Apache-2.0
// Builds test/fixtures/*.ts (primitives run through @assemblyscript/loader, not filters) to
// build/test/<name>.wasm through @getwild/host's buildFilter, with the release flags of
// @getwild/core's asconfig.base.json (what a filter ships with; any asc warning fails) plus the
// loader's runtime exports, and asc's own env.abort instead of core's proxy_log handler (these modules
// run without a proxy-wasm host; the loader reports the abort). Shared by the vitest global setup and
// the benchmark, so both run the same bytes.
import { readdirSync, readFileSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter } from "@getwild/host";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

/** Compiles one entry (path relative to the package root) with extra asc flags; returns the .wasm path. */
export async function compileFixture(entry, extra = []) {
  const outFile = join(fixtureOutDir, `${basename(entry, ".ts")}.wasm`);
  await buildFilter({ cwd: packageRoot, entry, outFile, use: [], flags: ["--exportRuntime", ...extra] });
  return outFile;
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await compileAllFixtures();
}
