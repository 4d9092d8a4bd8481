// SPDX-License-Identifier: Apache-2.0
// Packs every package under packages/ with `pnpm pack` (which rewrites workspace: ranges to versions),
// once per test run (global setup), and reads the packed manifests back for the test files.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { PackedPackage } from "./registry.js";

export const PNPM = ["-y", "pnpm@12.4.2"];

/** npm kept quiet (no funding notice, audit or update check) for every npm command the tests run. */
export const QUIET_NPM_ENV: Record<string, string> = {
  npm_config_fund: "false",
  npm_config_audit: "false",
  npm_config_update_notifier: "false",
};

/** Runs a command (npm quiet); throws with its output when it exits non-zero. */
export function run(
  cmd: string,
  args: string[],
  cwd: string,
  options: { input?: string; env?: Record<string, string> } = {},
): string {
  const r = spawnSync(cmd, args, {
    cwd,
    input: options.input,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, ...QUIET_NPM_ENV, ...options.env },
  });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Every file the host's package.json points at exists (its build is complete). */
function hostBuilt(repo: string): boolean {
  const hostDir = join(repo, "packages", "host");
  const m = JSON.parse(readFileSync(join(hostDir, "package.json"), "utf8"));
  const targets = [
    m.main,
    m.types,
    ...Object.values<Record<string, string>>(m.exports).flatMap((e) =>
      typeof e === "string" ? [e] : Object.values(e),
    ),
    ...Object.values<string>(m.bin ?? {}),
  ];
  return targets.every((t) => existsSync(join(hostDir, t)));
}

/** Packs packages/* into `dest` (building the host first when its dist is incomplete). */
export function packAll(repo: string, dest: string): void {
  // The root `pnpm test` builds first; a lone run of this package builds the host itself.
  if (!hostBuilt(repo)) run("npx", [...PNPM, "--filter", "@getwild/host", "run", "build"], repo);
  run("npx", [...PNPM, "-r", "--filter", "./packages/*", "pack", "--pack-destination", dest], repo);
}

/** The packed packages in `dir`, by package name. */
export function readPacks(dir: string): Map<string, PackedPackage> {
  const packs = new Map<string, PackedPackage>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".tgz"))) {
    const tarball = join(dir, file);
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    packs.set(manifest.name, { tarball, manifest });
  }
  return packs;
}

/** File paths inside a tarball ("package/..."). */
export function listing(tarball: string): string[] {
  return execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
}
