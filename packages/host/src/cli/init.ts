// SPDX-License-Identifier: Apache-2.0
// `getwild init NAME` (and `npm create getwild NAME`): writes a new filter project into ./NAME.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { projectFiles } from "./init_templates.js";
import { ExitCode, type ExitCodeValue } from "./errors.js";
import type { CommandIo } from "./io.js";
import { commandLineOrExit } from "./command_line.js";

export type { CommandIo } from "./io.js";

export const INIT_USAGE = `Usage: getwild init NAME        (or: npm create getwild NAME)

Writes a new proxy-wasm filter project into the folder NAME (which must not exist or be empty):
assembly/filter.ts, asconfig.json extending @getwild/core's, tsconfig files for editors, a vitest
test through @getwild/host that builds the filter first, and the scripts build, test, serve,
check and oci. The folder's last segment is the npm package name and the filter's root_id.

  -h, --help   this help`;

/** npm's rules for a new unscoped package name: lower case, URL-safe, not starting with . or _. */
export function invalidProjectName(name: string): string | null {
  if (name.length === 0 || name.length > 214) return "must be 1 to 214 characters";
  if (!/^[a-z0-9][a-z0-9._~-]*$/.test(name))
    return "must be lower-case letters, digits, '-', '.', '_' or '~', starting with a letter or digit";
  if (name === "node_modules" || name === "favicon.ico") return "is reserved by npm";
  return null;
}

/** The version of this @getwild/host, which the new project depends on (`^VERSION`). */
function hostVersion(): string {
  // Works from src/cli (tests) and from dist (the published bin): walk up to our package.json.
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "@getwild/host" && manifest.version) return manifest.version;
  }
  throw new Error("cannot find @getwild/host's package.json to read its version");
}

/** Writes the project into `dir`; returns the paths written, relative to `dir`. */
export function scaffoldProject(dir: string, version: string = hostVersion()): string[] {
  const name = basename(resolve(dir));
  const files = projectFiles({ name, rootId: name, version });
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return Object.keys(files);
}

/** Runs `getwild init` with the arguments after "init"; returns the exit code (Ok, or BadArguments). */
export function runInit(argv: string[], io: CommandIo, command = "getwild init"): ExitCodeValue {
  const line = commandLineOrExit<object>(argv, {}, INIT_USAGE, io);
  if (typeof line === "number") return line;
  const { positionals } = line;
  if (positionals.length !== 1) {
    io.err(`${command}: expected the new project's folder name\n${INIT_USAGE}`);
    return ExitCode.BadArguments;
  }
  const dir = resolve(positionals[0]!);
  const name = basename(dir);
  const problem = invalidProjectName(name);
  if (problem !== null) {
    io.err(`${command}: "${name}" cannot be an npm package name: it ${problem}`);
    return ExitCode.BadArguments;
  }
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    io.err(`${command}: ${dir} already exists and is not empty; pick a new folder name`);
    return ExitCode.BadArguments;
  }
  const written = scaffoldProject(dir);
  const shown = relative(process.cwd(), dir) || ".";
  io.out(`Created ${name} in ${dir}:`);
  for (const file of written) io.out(`  ${file}`);
  io.out("");
  io.out("Next:");
  io.out(`  cd ${shown}`);
  io.out("  npm install");
  io.out("  npm test          # builds build/filter.wasm, then tests it in @getwild/host");
  io.out("  npm run serve     # the filter on http://127.0.0.1:10000 in front of an echo upstream");
  return ExitCode.Ok;
}
