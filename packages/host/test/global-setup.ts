// SPDX-License-Identifier: Apache-2.0
// Builds every fixture before the suite through buildFilter (src/build_filter.ts), so tests always run
// freshly compiled wasm: the filters on @getwild/core (test/fixtures/*.ts) with core's
// asconfig.base.json release flags, as a user's filter ships; the raw modules (test/fixtures/raw/*.ts,
// no SDK, hand-written exports) with test/fixtures/raw/asconfig.json. Any asc warning fails.
// FIXTURES=a,b builds only those.
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { buildFilter } from "../src/build_filter.js";
import { fixtureOutDir, packageRoot } from "./paths.js";

/** Core is imported by relative path here (a workspace cycle otherwise), so its abort handler is too. */
const CORE_ABORT = ["abort=../core/assembly/abort/coreAbort"];

/** What a raw module needs beyond the raw asconfig: asc's env.abort only for raw_abort; imported memory. */
function rawOptions(name: string): { use: string[]; flags: string[] } {
  return {
    use: name === "raw_abort" ? [] : ["abort="],
    flags: name === "raw_import_memory" ? ["--importMemory", "--initialMemory", "2"] : [],
  };
}

function fixtures(dir: string): string[] {
  const only = process.env.FIXTURES?.split(",");
  return readdirSync(join(packageRoot, dir))
    .filter((f) => f.endsWith(".ts") && (!only || only.includes(basename(f, ".ts"))))
    .sort();
}

export default async function setup(): Promise<void> {
  for (const file of fixtures("test/fixtures/raw")) {
    const name = basename(file, ".ts");
    const entry = join("test", "fixtures", "raw", file);
    await buildFilter({
      cwd: packageRoot,
      entry,
      outFile: join(fixtureOutDir, `${name}.wasm`),
      asconfig: "test/fixtures/raw/asconfig.json",
      ...rawOptions(name),
    });
  }
  for (const file of fixtures("test/fixtures")) {
    const entry = join("test", "fixtures", file);
    await buildFilter({
      cwd: packageRoot,
      entry,
      outFile: join(fixtureOutDir, `${basename(file, ".ts")}.wasm`),
      asconfig: "../core/asconfig.base.json",
      use: CORE_ABORT,
    });
  }
}
