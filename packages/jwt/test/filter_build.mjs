// SPDX-License-Identifier: Apache-2.0
// The JwtAuthn test filters (test/filter_fixtures/<name>.ts), built through @getwild/host's
// buildFilter exactly as a filter ships: @getwild/core's asconfig.base.json release target (any asc
// warning fails). `debug` is the one debug build with assertions kept on (--debug, no --noAssert),
// which test/filter_debug.test.ts runs. The global setup builds them all before the tests; a build is
// reused while it is newer than every AssemblyScript source it is made of (so the benchmark, which
// calls this outside vitest, rebuilds only when needed).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter as build } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "build", "filter-test");
/** Every AssemblyScript source a filter fixture compiles: this package, the ones it depends on, the fixtures. */
const sourceDirs = ["assembly", "test/filter_fixtures", "../core/assembly", "../json/assembly"].map((d) =>
  join(root, d),
);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Every filter fixture's name. */
export function filterFixtures() {
  return readdirSync(join(root, "test", "filter_fixtures"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Builds a filter fixture now (release, or debug with assertions on); returns the .wasm path. */
export async function rebuildFilter(name = "jwt_authn", debug = false) {
  const target = debug ? "debug" : "release";
  const [written] = await build({
    cwd: root,
    entry: join("test", "filter_fixtures", `${name}.ts`),
    outFile: join(outDir, `${name}.wasm`),
    targets: [target],
    assertions: debug,
  });
  return written;
}

/** Path of the release (or debug) build of a filter fixture, built first when missing or stale. */
export async function buildFilter(name = "jwt_authn", debug = false) {
  const out = join(outDir, debug ? `${name}.debug.wasm` : `${name}.wasm`);
  const newest = Math.max(...sourceDirs.filter((d) => existsSync(d)).map(newestSource));
  if (existsSync(out) && statSync(out).mtimeMs > newest) return out;
  return rebuildFilter(name, debug);
}
