// SPDX-License-Identifier: Apache-2.0
// A filter using core's callouts and local replies (headers and trailers) builds without asc warnings (AS201 usize→i32 was one).
import { describe, it, expect } from "vitest";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { compileWithDiagnostics } from "./compile.mjs";

describe("building a filter on core", () => {
  it("prints no warnings (release build of the hostcalls fixture, which uses httpCall and sendLocalResponse)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "core-build-"));
    try {
      const outFile = join(dir, "hostcalls.wasm");
      const diagnostics = await compileWithDiagnostics(join("test", "fixtures", "hostcalls.ts"), "release", outFile);
      expect(diagnostics).toBe("");
      expect(statSync(outFile).size).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
