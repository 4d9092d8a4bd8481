// SPDX-License-Identifier: Apache-2.0
// `pnpm -r publish --dry-run` (what a release runs, minus the upload; .ci/run runs it too): every
// package under packages/ would be published, public, with its workspace: ranges rewritten, and
// nothing private or unbuilt slips in.
import { describe, it, expect, inject } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNPM, readPacks, run } from "../lib/pack.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
const published = readdirSync(join(repo, "packages"))
  .map((d) => join(repo, "packages", d))
  .filter((d) => existsSync(join(d, "package.json")))
  .map(manifestOf);

describe("pnpm -r publish --dry-run", () => {
  it("would publish exactly the packages under packages/, at their versions, and nothing else", () => {
    const summary: { name: string; version: string; files: { path: string }[] }[] = JSON.parse(
      run("npx", [...PNPM, "-r", "publish", "--dry-run", "--no-git-checks", "--json"], repo),
    );
    expect(summary.map((p) => `${p.name}@${p.version}`).sort()).toEqual(
      published.map((m) => `${m.name}@${m.version}`).sort(),
    );
    for (const p of summary) {
      const paths = p.files.map((f) => f.path);
      expect(paths, p.name).toContain("README.md");
      expect(paths, p.name).toContain("LICENSE");
      expect(
        paths.filter((f) => /(^|\/)(test|node_modules|src)\//.test(f)),
        p.name,
      ).toEqual([]);
    }
  });

  it("every package is public and says what it needs (engines), and the packed manifests have no workspace: ranges", () => {
    for (const m of published) {
      expect(m.private, m.name).not.toBe(true);
      expect(m.publishConfig?.access, m.name).toBe("public");
      expect(m.engines?.node, m.name).toBe(">=20");
      expect(m.description?.length, m.name).toBeGreaterThan(20);
      expect(m.keywords?.length, m.name).toBeGreaterThan(2);
    }
    for (const [name, { manifest }] of readPacks(inject("packDir"))) {
      const ranges = Object.values<string>({
        ...manifest.dependencies,
        ...manifest.peerDependencies,
        ...manifest.optionalDependencies,
      });
      expect(
        ranges.filter((r) => r.startsWith("workspace:")),
        name,
      ).toEqual([]);
    }
  });

  it("Changesets knows every published package and versions them together", () => {
    const config = JSON.parse(readFileSync(join(repo, ".changeset", "config.json"), "utf8"));
    expect(config.access).toBe("public");
    expect([...config.fixed[0]].sort()).toEqual(published.map((m) => m.name).sort());
  });
});
