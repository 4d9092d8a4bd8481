// SPDX-License-Identifier: Apache-2.0
// What `pnpm start --build` (scripts/start/build.mjs) builds: the CLI and each served example's release
// module, nothing that is up to date, all at once with a line per step. Run against a throw-away
// repository whose "compilers" are small scripts, so the real workspace is not rebuilt under other tests.
import { describe, it, expect } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync, utimesSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { packageRoot } from "./paths.js";

const repoRoot = join(packageRoot, "..", "..");
// A plain ESM script of the repository (untyped).
const { buildForStart, buildSteps, envoyModuleStep, runSteps } = await import(
  join(repoRoot, "scripts", "start", "build.mjs")
);

/** A fake compiler: writes OUT and appends its name to a log, so the test sees what ran. */
const FAKE = (out: string) =>
  `import { mkdirSync, writeFileSync, appendFileSync } from "node:fs";\nmkdirSync(${JSON.stringify(join(out, ".."))}, { recursive: true });\n` +
  `writeFileSync(${JSON.stringify(out)}, "built");\nappendFileSync(process.env.BUILD_LOG ?? "/dev/null", ${JSON.stringify(out)} + " " + process.argv.slice(2).join(" ") + "\\n");\n`;

/** A fake tsup: writes dist/NAME.js for its --entry.NAME and logs it like FAKE. */
const FAKE_TSUP = (dist: string) =>
  `import { mkdirSync, writeFileSync, appendFileSync } from "node:fs";\nconst args = process.argv.slice(2);\n` +
  `const out = ${JSON.stringify(dist)} + "/" + args.find((a) => a.startsWith("--entry.")).slice(8) + ".js";\n` +
  `mkdirSync(${JSON.stringify(dist)}, { recursive: true });\nwriteFileSync(out, "built");\nappendFileSync(process.env.BUILD_LOG ?? "/dev/null", out + " " + args.join(" ") + "\\n");\n`;

function fakeRepo() {
  const root = mkdtempSync(join(tmpdir(), "getwild-start-build-"));
  const host = join(root, "packages", "host");
  mkdirSync(join(host, "src"), { recursive: true });
  writeFileSync(join(host, "src", "main.ts"), "");
  mkdirSync(join(host, "node_modules", "tsup", "dist"), { recursive: true });
  writeFileSync(join(host, "node_modules", "tsup", "dist", "cli-default.js"), FAKE_TSUP(join(host, "dist")));
  mkdirSync(join(root, "packages", "core", "assembly"), { recursive: true });
  writeFileSync(join(root, "packages", "core", "assembly", "index.ts"), "");
  const examples = ["alpha", "beta"].map((name) => {
    const dir = join(root, "examples", name);
    mkdirSync(join(dir, "assembly"), { recursive: true });
    mkdirSync(join(dir, "node_modules", "assemblyscript", "bin"), { recursive: true });
    writeFileSync(join(dir, "assembly", "filter.ts"), "");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ devDependencies: { "@getwild/core": "workspace:*" } }));
    writeFileSync(
      join(dir, "node_modules", "assemblyscript", "bin", "asc.js"),
      FAKE(join(dir, "build", "filter.wasm")),
    );
    return { name, dir };
  });
  return { root, host, examples };
}

const past = (file: string) => utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

describe("pnpm start --build", () => {
  it("builds the CLI and every example's release module (no debug build), printing a line per step", async () => {
    const { root, examples } = fakeRepo();
    const lines: string[] = [];
    process.env.BUILD_LOG = join(root, "build.log");
    const failed = await buildForStart(root, examples, (l: string) => lines.push(l));
    expect(failed).toEqual([]);
    const log = readFileSync(join(root, "build.log"), "utf8").trim().split("\n").sort();
    expect(log).toEqual([
      `${join(root, "examples", "alpha", "build", "filter.wasm")} --target release`,
      `${join(root, "examples", "beta", "build", "filter.wasm")} --target release`,
      // Only the bin, no config (so no clean of dist/, no type declarations).
      `${join(root, "packages", "host", "dist", "cli.js")} --no-config --entry.cli src/cli/main.ts --format esm --target node20 --out-dir dist`,
    ]);
    for (const name of ["getwild CLI", "alpha", "beta"]) {
      expect(lines.some((l) => l.startsWith(`build: ${name}: `) && l.endsWith(" ..."))).toBe(true);
      expect(lines.some((l) => new RegExp(`^build: ${name} done in \\d+\\.\\d s$`).test(l))).toBe(true);
    }
    expect(lines.at(-1)).toMatch(/^build: all done in \d+\.\d s$/);
  });

  it("skips what is newer than its sources, and rebuilds an example when a workspace package it uses changes", async () => {
    const { root, host, examples } = fakeRepo();
    await buildForStart(root, examples, () => {});
    for (const file of [
      join(host, "src", "main.ts"),
      join(root, "packages", "core", "assembly", "index.ts"),
      ...examples.map((e) => join(e.dir, "assembly", "filter.ts")),
    ])
      past(file);
    const steps = buildSteps(root, examples);
    expect(steps.map((s: { fresh(): boolean }) => s.fresh())).toEqual([true, true, true]);
    writeFileSync(join(root, "packages", "core", "assembly", "index.ts"), "// changed");
    expect(steps.map((s: { fresh(): boolean }) => s.fresh())).toEqual([true, false, false]);
    const lines: string[] = [];
    await buildForStart(root, examples, (l: string) => lines.push(l));
    expect(lines).toContain("build: getwild CLI is up to date");
    expect(lines.some((l) => /^build: alpha done/.test(l))).toBe(true);
  });

  it("with --envoy also builds dist/envoy.js, and rebuilds it when a host source is newer, not only when it is missing", async () => {
    const { root, host, examples } = fakeRepo();
    process.env.BUILD_LOG = join(root, "build.log");
    expect(await buildForStart(root, examples, () => {}, { envoy: true })).toEqual([]);
    const envoyJs = join(host, "dist", "envoy.js");
    expect(readFileSync(join(root, "build.log"), "utf8")).toContain(
      `${envoyJs} --no-config --entry.envoy src/envoy/index.ts --format esm --target node20 --out-dir dist\n`,
    );
    // A source edited after the last build: dist/envoy.js exists but is stale.
    past(join(host, "src", "main.ts"));
    utimesSync(envoyJs, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    expect(envoyModuleStep(root).fresh()).toBe(false);
    const lines: string[] = [];
    expect(await runSteps(root, [envoyModuleStep(root)], (l: string) => lines.push(l))).toEqual([]);
    expect(lines.some((l) => /^build: @getwild\/host\/envoy done in/.test(l))).toBe(true);
    expect(envoyModuleStep(root).fresh()).toBe(true);
    const again: string[] = [];
    await runSteps(root, [envoyModuleStep(root)], (l: string) => again.push(l));
    expect(again).toContain("build: @getwild/host/envoy is up to date");
  });

  it("reports a failing build with its output and goes on with the others", async () => {
    const { root, examples } = fakeRepo();
    writeFileSync(
      join(examples[0]!.dir, "node_modules", "assemblyscript", "bin", "asc.js"),
      "console.error(\"ERROR TS2304: Cannot find name 'u33'.\"); process.exit(1);\n",
    );
    const lines: string[] = [];
    const failed = await buildForStart(root, examples, (l: string) => lines.push(l));
    expect(failed).toEqual(["alpha"]);
    expect(lines.join("\n")).toMatch(
      /build: alpha FAILED \(exit 1\) after \d+\.\d s:\nERROR TS2304: Cannot find name 'u33'\./,
    );
    expect(existsSync(join(examples[1]!.dir, "build", "filter.wasm"))).toBe(true);
    expect(lines.at(-1)).toMatch(/^build: 1 failed in/);
  });
});
