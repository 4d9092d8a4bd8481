// SPDX-License-Identifier: Apache-2.0
// Builds the filter (release + debug, as `pnpm build` does) when it is missing or older than its sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDirs = [join(root, "assembly"), join(root, "../../packages/getwild/assembly"), join(root, "../../packages/core/assembly")];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default async function setup(): Promise<void> {
  const sources = Math.max(...sourceDirs.filter(existsSync).map(newestSource));
  for (const [target, file] of [["release", "build/filter.wasm"], ["debug", "build/filter.debug.wasm"]] as const) {
    const out = join(root, file);
    if (existsSync(out) && statSync(out).mtimeMs >= sources) continue;
    let errors = "";
    const { error } = await asc.main(["--target", target, "--baseDir", root], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => ((errors += s), true) },
    });
    if (error) throw new Error(`asc --target ${target} failed:\n${errors}`);
  }
}
