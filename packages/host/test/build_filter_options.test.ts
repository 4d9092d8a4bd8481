// SPDX-License-Identifier: Apache-2.0
// buildFilter() for test modules: one entry compiled with an asconfig's flags (core's base, the flags
// release filters ship with), a warning refusing the build, assertions kept on for a debug build,
// `use` replaced and extra flags passed on. The modules are run, not only inspected.
import { describe, it, expect, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { buildFilter, FilterBuildError, validateModule } from "../src/index.js";

// Inside this package, so the project's `assemblyscript` resolves to the host's own devDependency.
mkdirSync(join(__dirname, "..", "build"), { recursive: true });
const project = mkdtempSync(join(__dirname, "..", "build", "build-entry-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "build-entry", private: true }));
mkdirSync(join(project, "assembly"));
const coreBase = join(__dirname, "..", "..", "core", "asconfig.base.json");

/** `check(0)` fails its assertion; a build without --noAssert traps there, a release build returns 0. */
writeFileSync(
  join(project, "assembly", "checked.ts"),
  "export function check(x: i32): i32 {\n  assert(x != 0);\n  return x;\n}\n",
);
/** AS201: an implicit usize -> i32 conversion, a warning asc still compiles. */
writeFileSync(
  join(project, "assembly", "warns.ts"),
  "let p: usize = 1;\nexport function narrow(): i32 {\n  let i: i32 = p;\n  return i;\n}\n",
);

/** Instantiates a module that imports at most asc's env.abort; returns its exports and the abort lines seen. */
async function run(path: string): Promise<{ exports: Record<string, any>; aborts: number[] }> {
  const aborts: number[] = [];
  const module = await WebAssembly.compile(readFileSync(path));
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  expect(imports.filter((i) => i !== "env.abort")).toEqual([]);
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort: (_m: number, _f: number, line: number) => {
        aborts.push(line);
        throw new Error("abort");
      },
    },
  });
  return { exports: instance.exports as Record<string, any>, aborts };
}

describe("buildFilter({ entry })", () => {
  it("compiles one entry with core's base flags: reactor start export, no assertions in release", async () => {
    const written = await buildFilter({ cwd: project, entry: "assembly/checked.ts", asconfig: coreBase, use: [] });
    expect(written).toEqual([join(project, "build", "checked.wasm")]);
    const exports = validateModule(readFileSync(written[0]!)).exports.map((e) => e.name);
    expect(exports).toContain("_initialize"); // the base's exportStart
    const { exports: wasm, aborts } = await run(written[0]!);
    wasm._initialize();
    expect(wasm.check(0)).toBe(0); // noAssert: the assertion is gone
    expect(aborts).toEqual([]);
  });

  it("keeps assertions on when asked (the debug build), writing <name>.debug.wasm", async () => {
    const [debug] = await buildFilter({
      cwd: project,
      entry: "assembly/checked.ts",
      asconfig: coreBase,
      use: [],
      targets: ["debug"],
      assertions: true,
    });
    expect(debug).toBe(join(project, "build", "checked.debug.wasm"));
    const { exports: wasm, aborts } = await run(debug!);
    wasm._initialize();
    expect(wasm.check(7)).toBe(7);
    expect(() => wasm.check(0)).toThrow("abort");
    expect(aborts).toEqual([2]); // the assert's line
  });

  it("refuses a build that printed a warning, with asc's diagnostic, and leaves no output", async () => {
    const outFile = join(project, "build", "warns.wasm");
    const failure = await buildFilter({ cwd: project, entry: "assembly/warns.ts", asconfig: coreBase, use: [] }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(FilterBuildError);
    expect((failure as FilterBuildError).output).toContain("AS201");
    expect(existsSync(outFile)).toBe(false);
  });

  it("passes extra flags after the config's and writes where outFile says", async () => {
    const outFile = join(project, "out", "runtime.wasm");
    await buildFilter({
      cwd: project,
      entry: "assembly/checked.ts",
      asconfig: coreBase,
      use: [],
      outFile,
      flags: ["--exportRuntime"],
    });
    expect(validateModule(readFileSync(outFile)).exports.map((e) => e.name)).toEqual(
      expect.arrayContaining(["__new", "__pin", "check"]),
    );
  });
});
