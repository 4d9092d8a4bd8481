// SPDX-License-Identifier: Apache-2.0
// buildFilter(): compiles a filter with the project's own AssemblyScript and the flags of its asconfig
// (for a lone entry without one, @getwild/core's asconfig.base.json: the flags release filters ship
// with), and fails on any asc warning, so a test run starts from the current source, built the way
// Envoy will run it, instead of whatever build/ happens to hold. Every package and example of this
// repository builds its test modules through it.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join, resolve } from "node:path";
import { loadAsc, optionArguments, resolveConfig, runAsc, type AscModule } from "./asc_compiler.js";

export interface BuildFilterOptions {
  /** The project folder: where AssemblyScript is installed, and the base of relative paths (default: process.cwd()). */
  cwd?: string;
  /** asconfig targets to build, in order (default: ["release"], what Envoy runs). */
  targets?: string[];
  /**
   * One entry file to compile instead of the asconfig's `entries` (a test fixture). Its flags still come
   * from `asconfig`; its output goes to `outFile`.
   */
  entry?: string;
  /** Output of `entry` for the release target (default build/<entry name>.wasm); another target adds `.<target>` (x.debug.wasm). */
  outFile?: string;
  /**
   * The asconfig whose target flags are used. Default: the project's asconfig.json; for an `entry` in a
   * project without one, @getwild/core/asconfig.base.json as the project resolves it.
   */
  asconfig?: string;
  /** Replaces the config's `use` aliases, e.g. to name core's abort handler by path inside core itself; [] keeps asc's env.abort. */
  use?: string[];
  /** Keeps assertions in (drops the config's noAssert): the debug build with assertions on. */
  assertions?: boolean;
  /** Extra asc arguments after the config's, e.g. ["--exportRuntime"] or ["--enable", "simd"]. */
  flags?: string[];
}

/** Thrown when asc refuses the source or warns; the message carries asc's own diagnostics. */
export class FilterBuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = "FilterBuildError";
  }
}

/** A --config value that names no file, so asc reads no asconfig.json on its own (the flags are explicit). */
const NO_CONFIG = "no-asconfig.json";

/** The asconfig the flags come from: the given one, the project's, or (for an entry) core's base. */
function configFile(cwd: string, options: BuildFilterOptions): string {
  if (options.asconfig) return resolve(cwd, options.asconfig);
  const own = join(cwd, "asconfig.json");
  if (existsSync(own) || !options.entry) return own;
  try {
    return createRequire(join(cwd, "package.json")).resolve("@getwild/core/asconfig.base.json");
  } catch {
    throw new FilterBuildError(
      `no asconfig.json in ${cwd} and @getwild/core is not installed there: npm i @getwild/core`,
      "",
    );
  }
}

/** Where `entry` is written: outFile (or build/<name>.wasm) for release, <name>.<target>.wasm for another target. */
function entryOutput(cwd: string, options: BuildFilterOptions, target: string): string {
  const release = resolve(
    cwd,
    options.outFile ?? join("build", `${basename(options.entry!, extname(options.entry!))}.wasm`),
  );
  return target === "release" ? release : join(dirname(release), `${basename(release, ".wasm")}.${target}.wasm`);
}

/** Compiles one target; returns the .wasm written. The output is renamed into place only once complete. */
async function buildTarget(
  asc: AscModule,
  cwd: string,
  config: string,
  target: string,
  options: BuildFilterOptions,
): Promise<string> {
  const resolved = await resolveConfig(asc, options.entry ? [resolve(cwd, options.entry)] : [], config, target, cwd);
  const compile = { ...resolved.options };
  const entries = options.entry ? [resolve(cwd, options.entry)] : resolved.entries;
  if (entries.length === 0) throw new FilterBuildError(`${config} lists no entries (target ${target})`, "");
  if (options.entry) {
    delete compile.textFile;
    delete compile.bindings;
    compile.outFile = entryOutput(cwd, options, target);
  }
  if (typeof compile.outFile !== "string")
    throw new FilterBuildError(`${config} names no outFile for target ${target}`, "");
  if (options.use) compile.use = options.use;
  if (options.assertions) compile.noAssert = false;
  const outFile = resolve(cwd, compile.outFile);
  mkdirSync(dirname(outFile), { recursive: true });
  const partial = `${outFile}.${process.pid}.partial`;
  compile.outFile = partial;
  const args = [...entries, "--config", NO_CONFIG, ...optionArguments(asc, compile), ...(options.flags ?? [])];
  const { error, output } = await runAsc(asc, args, cwd);
  const what = `asc --target ${target}${options.entry ? ` ${options.entry}` : ""}`;
  if (error || /\bWARNING\b/.test(output)) {
    rmSync(partial, { force: true });
    throw new FilterBuildError(
      `${what} ${error ? "failed" : "warned (a filter must build clean)"} in ${cwd}:\n${output.trim() || error?.message}`,
      output,
    );
  }
  renameSync(partial, outFile);
  return outFile;
}

/**
 * Builds each target (asconfig target names) of the project, or of one `entry` with the project's (or
 * core's base) asconfig flags. Resolves with the .wasm files written; rejects with asc's diagnostics
 * when asc fails or prints a warning (so a test run stops instead of testing an old build).
 */
export async function buildFilter(options: BuildFilterOptions = {}): Promise<string[]> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const config = configFile(cwd, options);
  if (!existsSync(config)) {
    throw new FilterBuildError(
      `no asconfig.json in ${cwd}: buildFilter builds the project that asconfig.json describes`,
      "",
    );
  }
  const asc = await loadAsc(cwd);
  if (!asc) throw new FilterBuildError(`assemblyscript is not installed in ${cwd}: npm i -D assemblyscript`, "");
  const written: string[] = [];
  for (const target of options.targets ?? ["release"])
    written.push(await buildTarget(asc, cwd, config, target, options));
  return written;
}
