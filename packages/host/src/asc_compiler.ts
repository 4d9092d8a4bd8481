// SPDX-License-Identifier: Apache-2.0
// The project's own AssemblyScript compiler, run in this process: loading it, asking it what options
// an asconfig target resolves to (its own `extends` and merge rules, via --showConfig), and compiling
// with an explicit argument list. Asking asc instead of re-reading asconfig files here keeps a test
// build and `asc --target release` in the same project from ever disagreeing on a flag.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The part of `assemblyscript/asc` used here. */
export interface AscModule {
  main(args: string[], options: { stdout: Output; stderr: Output }): Promise<{ error: Error | null }>;
  configToArguments(options: Record<string, unknown>): string[];
}

interface Output {
  write(chunk: string | Uint8Array): boolean;
}

/** What an asconfig target resolves to: asc's merged options and the config's entry files. */
export interface AscConfig {
  options: Record<string, unknown>;
  entries: string[];
}

/** Options that steer asc's reading of configs rather than the compilation; never passed on. */
const CONFIG_ONLY = ["config", "target", "showConfig", "baseDir"];

/** Loads the project's `assemblyscript/asc` (the version its package.json pins), or null when absent. */
export async function loadAsc(cwd: string): Promise<AscModule | null> {
  const require = createRequire(join(cwd, "package.json"));
  let manifest: string;
  try {
    manifest = require.resolve("assemblyscript/package.json");
  } catch {
    return null;
  }
  return (await import(pathToFileURL(join(dirname(manifest), "dist", "asc.js")).href)) as AscModule;
}

/** Runs asc with `args` in `baseDir`; returns everything it printed, with `error` set when it failed. */
export async function runAsc(
  asc: AscModule,
  args: string[],
  baseDir: string,
): Promise<{ error: Error | null; output: string }> {
  let output = "";
  const sink: Output = {
    write(chunk) {
      output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      return true;
    },
  };
  const { error } = await asc.main([...args, "--baseDir", baseDir, "--noColors"], { stdout: sink, stderr: sink });
  return { error, output };
}

/**
 * The options and entries `asc [entries] --config <configFile> --target <target>` would compile with.
 * asc prints its help instead when there is no entry at all, so a config without `entries` (core's
 * base) needs the entry given here.
 */
export async function resolveConfig(
  asc: AscModule,
  entries: string[],
  configFile: string,
  target: string,
  baseDir: string,
): Promise<AscConfig> {
  const { error, output } = await runAsc(
    asc,
    [...entries, "--config", configFile, "--target", target, "--showConfig"],
    baseDir,
  );
  const start = output.indexOf("{");
  if (error || start < 0) throw new Error(`asc could not read ${configFile} (target ${target}):\n${output}`);
  const shown = JSON.parse(output.slice(start)) as AscConfig;
  for (const key of CONFIG_ONLY) delete shown.options[key];
  return shown;
}

/** asc command-line arguments for resolved options (booleans set to false are simply left out). */
export function optionArguments(asc: AscModule, options: Record<string, unknown>): string[] {
  return asc.configToArguments(options);
}
