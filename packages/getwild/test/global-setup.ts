// SPDX-License-Identifier: Apache-2.0
// Builds every fixture (test/fixtures/*.ts) before the suite through @getwild/host's buildFilter, with
// @getwild/core's asconfig.base.json (what a filter using this package ships with; any asc warning
// fails): release and debug (TARGETS=release to skip debug, FIXTURES=a,b for some), as paths.ts names them.
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { buildFilter } from "@getwild/host";
import { fixtureOutDir } from "./paths.js";

const packageRoot = join(fixtureOutDir, "..", "..");

export default async function setup(): Promise<void> {
  const only = process.env.FIXTURES?.split(",");
  const targets = process.env.TARGETS?.split(",") ?? ["release", "debug"];
  for (const file of readdirSync(join(packageRoot, "test", "fixtures")).sort()) {
    const name = basename(file, ".ts");
    if (!file.endsWith(".ts") || (only && !only.includes(name))) continue;
    await buildFilter({
      cwd: packageRoot,
      entry: join("test", "fixtures", file),
      outFile: join(fixtureOutDir, `${name}.wasm`),
      targets,
    });
  }
}
