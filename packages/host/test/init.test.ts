// SPDX-License-Identifier: Apache-2.0
// `getwild init NAME`: what it writes, and what it refuses. The project it writes is built and tested
// outside the workspace from packed tarballs by tests/packaging (scaffold.test.ts).
import { describe, it, expect, afterAll } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../src/cli/command.js";

const work = mkdtempSync(join(tmpdir(), "getwild-init-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function init(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(["init", ...args], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: async () => {},
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const read = (...path: string[]) => readFileSync(join(work, ...path), "utf8");

describe("getwild init", () => {
  it("writes a filter project named after its folder, depending on this host's version", async () => {
    const r = await init(join(work, "edge-auth"));
    expect(r.code, r.err).toBe(0);
    const manifest = JSON.parse(read("edge-auth", "package.json"));
    const hostVersion = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version;
    expect(manifest.name).toBe("edge-auth");
    expect(manifest.dependencies["@getwild/core"]).toBe(`^${hostVersion}`);
    expect(manifest.devDependencies["@getwild/host"]).toBe(`^${hostVersion}`);
    expect(Object.keys(manifest.scripts).sort()).toEqual(["build", "check", "oci", "serve", "test"]);
    expect(manifest.scripts.serve).toContain("--root-id edge-auth");
    expect(JSON.parse(read("edge-auth", "asconfig.json")).extends).toBe("@getwild/core/asconfig.base.json");
    expect(JSON.parse(read("edge-auth", "assembly", "tsconfig.json")).extends).toBe("assemblyscript/std/assembly.json");
    expect(read("edge-auth", "vitest.config.ts")).toContain('globalSetup: ["@getwild/host/global-setup"]');
    expect(read("edge-auth", "assembly", "filter.ts")).toContain(
      'registerRootContext((id: u32): RootContext => new FilterRoot(id), "edge-auth")',
    );
    expect(read("edge-auth", "test", "filter.test.ts")).toContain('rootId: "edge-auth"');
    expect(r.out).toContain("npm test");
  });

  it("refuses a folder that is not empty, without touching it", async () => {
    mkdirSync(join(work, "taken"));
    writeFileSync(join(work, "taken", "package.json"), "mine");
    const r = await init(join(work, "taken"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("already exists and is not empty");
    expect(read("taken", "package.json")).toBe("mine");
  });

  it("refuses a name npm would refuse, and a missing name", async () => {
    const upper = await init(join(work, "MyFilter"));
    expect(upper.code).toBe(2);
    expect(upper.err).toContain('"MyFilter" cannot be an npm package name');
    const none = await init();
    expect(none.code).toBe(2);
    expect(none.err).toContain("expected the new project's folder name");
  });
});
