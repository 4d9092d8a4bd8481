// SPDX-License-Identifier: Apache-2.0
// Compiles the filters the reliability suites run: this package's fixtures and every example, each
// from its current source (never the example's checked-in build), into tests/reliability/build/.
import { mkdirSync, statSync, readdirSync, existsSync, copyFileSync } from "node:fs";
import { join, dirname, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter as build } from "@getwild/host";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = join(packageRoot, "..", "..");
export const buildDir = join(packageRoot, "build");
/**
 * Where the wasm files go. `GETWILD_LITERAL_POOL=0` (core's literal pool transform off, for A/B runs)
 * builds into its own folder, so neither kind of build is ever reused as the other.
 */
export const literalPoolOff = process.env.GETWILD_LITERAL_POOL === "0";
export const wasmDir = literalPoolOff ? join(buildDir, "literal-pool-off") : buildDir;

/** Every filter the suites know, by name: where its source is and which asconfig builds it. */
export const SOURCES = {
  hello: { baseDir: join(repoRoot, "examples", "hello"), entry: "assembly/filter.ts", config: "asconfig.json" },
  getwild: { baseDir: join(repoRoot, "examples", "getwild"), entry: "assembly/filter.ts", config: "asconfig.json" },
  "http-call": {
    baseDir: join(repoRoot, "examples", "http-call"),
    entry: "assembly/filter.ts",
    config: "asconfig.json",
  },
  "firebase-jwt": {
    baseDir: join(repoRoot, "examples", "firebase-jwt"),
    entry: "assembly/filter.ts",
    config: "asconfig.json",
  },
  "jwt-authn": {
    baseDir: join(repoRoot, "examples", "jwt-authn"),
    entry: "assembly/filter.ts",
    config: "asconfig.json",
  },
  responder: { baseDir: packageRoot, entry: "fixtures/responder.ts", config: "asconfig.json" },
  user_auth: { baseDir: packageRoot, entry: "fixtures/user_auth.ts", config: "asconfig.json" },
  jwt_authn: { baseDir: packageRoot, entry: "fixtures/jwt_authn.ts", config: "asconfig.json" },
  leak: { baseDir: packageRoot, entry: "fixtures/leak.ts", config: "asconfig.json" },
  trap: { baseDir: packageRoot, entry: "fixtures/trap.ts", config: "asconfig.json" },
};

export function wasmPath(name, target = "release") {
  return join(wasmDir, target === "release" ? `${name}.wasm` : `${name}.${target}.wasm`);
}

function newestSource(dir, extension) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "build" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path, extension));
    else if (entry.name.endsWith(extension)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The newest input a filter's build depends on: the AssemblyScript of its own folder and of the
 * packages, and what changes the compiler's output without touching them (core's compiler transforms,
 * the asconfig files).
 */
function sourceTime(source) {
  const dirs = [
    join(source.baseDir, dirname(source.entry)),
    ...["core", "json", "getwild", "jwt"].map((p) => join(repoRoot, "packages", p, "assembly")),
  ];
  const configs = [join(source.baseDir, source.config), join(repoRoot, "packages", "core", "asconfig.base.json")];
  return Math.max(
    ...dirs.map((dir) => newestSource(dir, ".ts")),
    newestSource(join(repoRoot, "packages", "core", "transform"), ".mjs"),
    ...configs.filter((file) => existsSync(file)).map((file) => statSync(file).mtimeMs),
  );
}

/** Compiles one filter for one target unless its wasm is newer than every source it may use. */
export async function buildFilter(name, target = "release") {
  const source = SOURCES[name];
  const outFile = wasmPath(name, target);
  const newest = sourceTime(source);
  if (existsSync(outFile) && statSync(outFile).mtimeMs > newest) return outFile;
  mkdirSync(wasmDir, { recursive: true });
  // An example's own test run (earlier in `pnpm test`) has just built it with the same asconfig:
  // reuse that build when it is newer than every source, instead of compiling it again (not for a
  // literal-pool-off run: the example's build/ does not say how it was built).
  const own = join(source.baseDir, target === "release" ? "build/filter.wasm" : `build/filter.${target}.wasm`);
  if (!literalPoolOff && source.baseDir !== packageRoot && existsSync(own) && statSync(own).mtimeMs > newest) {
    copyFileSync(own, outFile);
    return outFile;
  }
  try {
    // The one build path of the repository (@getwild/host's buildFilter): the asconfig's target flags,
    // any asc warning refused. outFile is the release path; another target writes <name>.<target>.wasm.
    await build({
      cwd: source.baseDir,
      entry: source.entry,
      asconfig: source.config,
      targets: [target],
      outFile: wasmPath(name),
    });
  } catch (error) {
    // Several engineers share this work tree: a half-edited package source must not stop a long run
    // that already has a build. A fresh checkout (CI) has no build, so there the failure is reported.
    if (existsSync(outFile)) {
      process.stderr.write(`warning: asc failed for ${name} (${target}); using the previous build\n`);
      return outFile;
    }
    throw error;
  }
  return outFile;
}

/** Builds the named filters (default: all), release only unless TARGETS says otherwise. */
export async function buildFilters(names = Object.keys(SOURCES)) {
  const targets = process.env.TARGETS?.split(",") ?? ["release"];
  for (const name of names) for (const target of targets) await buildFilter(name, target);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildFilters(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
  console.log("built into", buildDir, basename(buildDir));
}
