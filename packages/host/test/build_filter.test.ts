// SPDX-License-Identifier: Apache-2.0
// buildFilter() (behind @getwild/host/global-setup): builds with the project's asconfig.json, replaces a
// stale output, and fails with asc's own diagnostics instead of leaving the old build to be tested.
import { describe, it, expect, afterAll } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildFilter, FilterBuildError, validateModule } from "../src/index.js";
import setup from "../src/global_setup.js";

// Inside this package, so the project's `assemblyscript` resolves to the host's own devDependency.
mkdirSync(join(__dirname, "..", "build"), { recursive: true });
const project = mkdtempSync(join(__dirname, "..", "build", "build-filter-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const asconfig = {
  entries: ["assembly/filter.ts"],
  options: { runtime: "stub", exportStart: "_initialize" },
  targets: { release: { outFile: "build/filter.wasm" } },
};
writeFileSync(join(project, "asconfig.json"), JSON.stringify(asconfig));
mkdirSync(join(project, "assembly"));
const source = (marker: number) => `export function _start(): void {}\nexport const marker: i32 = ${marker};\n`;

describe("buildFilter", () => {
  it("compiles the asconfig target, replacing a stale build", async () => {
    mkdirSync(join(project, "build"), { recursive: true });
    writeFileSync(join(project, "build", "filter.wasm"), "stale");
    writeFileSync(join(project, "assembly", "filter.ts"), source(41));
    await buildFilter({ cwd: project });
    const bytes = readFileSync(join(project, "build", "filter.wasm"));
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect(validateModule(bytes).exports.map((e) => e.name)).toContain("marker");
  });

  it("rejects with asc's diagnostics when the source does not compile (the global setup too)", async () => {
    writeFileSync(join(project, "assembly", "filter.ts"), "export const broken: i32 = notDefinedAnywhere;\n");
    const failure = await buildFilter({ cwd: project }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FilterBuildError);
    expect((failure as Error).message).toContain("notDefinedAnywhere");
    await expect(setup({ config: { root: project } })).rejects.toThrow(/notDefinedAnywhere/);
  });

  it("says what is missing when there is no asconfig.json", async () => {
    const empty = mkdtempSync(join(project, "empty-"));
    await expect(buildFilter({ cwd: empty })).rejects.toThrow(/no asconfig.json/);
    expect(existsSync(join(empty, "build"))).toBe(false);
  });
});
