// SPDX-License-Identifier: Apache-2.0
// Builds the suite's AssemblyScript fixture filters (tests/envoy/fixtures/NAME, each with its own
// asconfig.json on @getwild/core, like the examples). A build is reused while it is newer than every
// source file of the fixture and of @getwild/core (its assembly, compiler transforms and base
// asconfig), so a run after the first costs nothing. Output goes to the fixture's git-ignored build/
// folder.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildFilter } from "@getwild/host";
import { repoRoot } from "./locate";

export const fixturesDir = join(repoRoot, "tests", "envoy", "fixtures");

/** Newest modification time among the files of a folder tree (build/ excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "build" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The release .wasm of an AssemblyScript fixture, built when missing or older than its sources by
 * @getwild/host's buildFilter (the fixture's asconfig.json; an asc error or warning fails).
 */
export async function buildAscFixture(name: string, outFile: string): Promise<string> {
  const dir = join(fixturesDir, name);
  const wasm = join(dir, outFile);
  const core = join(repoRoot, "packages", "core");
  // A fixture that extends core's asconfig.base.json is also compiled through core's transforms.
  const newest = Math.max(
    newestSource(dir),
    newestSource(join(core, "assembly")),
    newestSource(join(core, "transform")),
    statSync(join(core, "asconfig.base.json")).mtimeMs,
  );
  if (existsSync(wasm) && statSync(wasm).mtimeMs >= newest) return wasm;
  const [built] = await buildFilter({ cwd: dir });
  if (built !== wasm)
    throw new Error(`fixture ${name} builds ${built}, not ${wasm}: its asconfig.json and the caller disagree`);
  return wasm;
}
