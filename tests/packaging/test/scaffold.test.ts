// SPDX-License-Identifier: Apache-2.0
// `npm create getwild` from the packed create-getwild, outside the workspace: the project it writes
// installs from the registry (our tarballs for @getwild/*), builds, and passes its own test; an edit
// to the filter is picked up by the next `npm test` (the global setup builds first, so no stale
// build can pass); `npm run check` passes the module; the editor's TypeScript knows u32.
import { describe, it, expect, beforeAll, afterAll, inject } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readPacks, run } from "../lib/pack.js";

let work: string;
let project: string;
/** Runs npm in the project; output without colours. */
function npm(args: string[], cwd = project) {
  const r = spawnSync("npm", args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, ...inject("registryEnv"), CI: "true", NO_COLOR: "1" },
  });
  const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");
  return { status: r.status, stdout: plain(r.stdout), stderr: plain(r.stderr) };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "getwild-scaffold-"));
  const createGetwild = readPacks(inject("packDir")).get("create-getwild")!.tarball;
  // What `npm create getwild my-filter` runs, with the package taken from its tarball.
  run("npm", ["exec", "--yes", `--package=${createGetwild}`, "--", "create-getwild", "my-filter"], work, {
    env: inject("registryEnv"),
  });
  project = join(work, "my-filter");
  run("npm", ["install"], project, { env: inject("registryEnv") });
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a project from npm create getwild", () => {
  it("installs the @getwild packages it names from the registry, not from a workspace", () => {
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8"));
    const version = readPacks(inject("packDir")).get("@getwild/host")!.manifest.version;
    expect(manifest.dependencies).toEqual({ "@getwild/core": `^${version}` });
    for (const name of ["@getwild/core", "@getwild/host"]) {
      const installed = JSON.parse(
        readFileSync(join(project, "node_modules", ...name.split("/"), "package.json"), "utf8"),
      );
      expect(installed.version, name).toBe(version);
    }
  });

  it("npm test builds the filter, then its test passes against that build", () => {
    const test = npm(["test"]);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/Tests\s+2 passed/);
    expect(existsSync(join(project, "build", "filter.wasm"))).toBe(true);
  });

  it("npm test fails once the filter no longer does what the test says (nothing stale is tested)", () => {
    const source = join(project, "assembly", "filter.ts");
    const original = readFileSync(source, "utf8");
    writeFileSync(source, original.replace("sendLocalResponse(403,", "sendLocalResponse(404,"));
    try {
      const test = npm(["test"]);
      expect(test.status).not.toBe(0);
      expect(test.stdout + test.stderr).toMatch(/expected 404 to be 403/);
    } finally {
      writeFileSync(source, original);
    }
  });

  it("npm run check passes the module Envoy would load; npm run oci packages it for Istio", () => {
    const check = npm(["run", "check"]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain("OK: Envoy would load this module");
    const oci = npm(["run", "oci"]);
    expect(oci.status, oci.stdout + oci.stderr).toBe(0);
    const listing = spawnSync("tar", ["-tf", join(project, "build", "my-filter-oci.tar")], {
      encoding: "utf8",
    }).stdout.split("\n");
    expect(listing).toContain("oci-layout");
    expect(listing).toContain("index.json");
  });

  it("assembly/tsconfig.json gives an editor AssemblyScript's types (u32, bool, unchecked)", () => {
    // The workspace's TypeScript stands in for the editor's; only the user's own file is judged.
    const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin", "tsc");
    const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", "assembly/tsconfig.json"], {
      cwd: project,
      encoding: "utf8",
    });
    const own = r.stdout.split("\n").filter((line) => line.startsWith("assembly/filter.ts"));
    expect(own, r.stdout).toEqual([]);
    const untyped = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "assembly/filter.ts"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(untyped.stdout).toMatch(/assembly\/filter\.ts.*Cannot find name 'u32'/); // what the tsconfig fixes
  });
});
