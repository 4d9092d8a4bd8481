// SPDX-License-Identifier: Apache-2.0
// Compiles the test fixtures in-process with asc: raw modules (no SDK, hand-written exports) and filters built on @getwild/core.
import { readdirSync, mkdirSync, existsSync } from "node:fs";
import { join, basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(packageRoot, "build", "test");

async function compile(entry, flags) {
  const name = basename(entry, ".ts");
  let errors = "";
  const { error } = await asc.main(
    [entry, "--baseDir", packageRoot, "--outFile", join(outDir, `${name}.wasm`), "--config", "none", ...flags],
    { stdout: { write: () => true }, stderr: { write: (s) => ((errors += s), true) } },
  );
  if (error) throw new Error(`asc failed for ${entry}:\n${errors}`);
}

/** Raw modules keep asc's implicit env.abort only when their name says so (raw_abort). */
function rawFlags(name) {
  const flags = ["-O2", "--runtime", "stub", "--exportStart", "_initialize"];
  if (name !== "raw_abort") flags.push("--use", "abort=");
  if (name === "raw_import_memory") flags.push("--importMemory", "--initialMemory", "2");
  return flags;
}

/**
 * Filters built on @getwild/core: debug build (names kept, for readable trap backtraces), core's abort
 * handler wired like the shared asconfig does. Fixtures import core by relative path, see their headers.
 */
const coreFlags = [
  "-O1", "--debug", "--runtime", "incremental", "--exportStart", "_initialize",
  "--use", "abort=../core/assembly/abort/coreAbort",
];

export async function compileAllFixtures() {
  mkdirSync(outDir, { recursive: true });
  const only = process.env.FIXTURES?.split(",");
  const rawDir = join(packageRoot, "test", "fixtures", "raw");
  for (const file of readdirSync(rawDir).sort()) {
    const name = basename(file, ".ts");
    if (!file.endsWith(".ts") || (only && !only.includes(name))) continue;
    await compile(join("test", "fixtures", "raw", file), rawFlags(name));
  }
  const coreDir = join(packageRoot, "test", "fixtures");
  for (const file of readdirSync(coreDir).sort()) {
    const name = basename(file, ".ts");
    if (!file.endsWith(".ts") || (only && !only.includes(name))) continue;
    await compile(join("test", "fixtures", file), coreFlags);
  }
}
