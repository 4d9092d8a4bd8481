// SPDX-License-Identifier: Apache-2.0
// Builds the JwtAuthn test filter (test/filter_fixtures/jwt_authn.ts) with the flags of
// @getwild/core's asconfig.base.json (reactor start, core abort, incremental GC, -O3), once: the
// output is reused while it is newer than every AssemblyScript source of the package.
import { mkdirSync, statSync, readdirSync, renameSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "build", "filter-test");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Path of the release (or debug) build of a filter fixture, compiled when stale. */
export async function buildFilter(name = "jwt_authn", debug = false) {
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}${debug ? ".debug" : ""}.wasm`);
  const newest = Math.max(newestSource(join(root, "assembly")), newestSource(join(root, "test", "filter_fixtures")));
  if (existsSync(out) && statSync(out).mtimeMs > newest) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const args = [
    join("test", "filter_fixtures", `${name}.ts`), "--baseDir", root, "--outFile", tmp,
    "--runtime", "incremental", "--noAssert", "--exportStart", "_initialize",
    "--use", "abort=~lib/@getwild/core/assembly/abort/coreAbort", "--config", "none",
    ...(debug ? ["--debug", "-O0"] : ["-O3", "--shrinkLevel", "2"]),
  ];
  let errors = "";
  const { error } = await asc.main(args, { stdout: { write: () => true }, stderr: { write: (s) => { errors += s; return true; } } });
  if (error) throw new Error(`asc failed for ${name}:\n${errors}`);
  renameSync(tmp, out);
  return out;
}
