// SPDX-License-Identifier: Apache-2.0
// The dependency graph, read from what is published: each packed tarball (made by the global setup) is
// unpacked and every import of the files it ships is checked against its packed package.json. A
// @getwild import must be declared in `dependencies` or `peerDependencies` (a devDependency is not
// installed for a user), must point down the graph below, and every relative import must land on a
// file inside the tarball. The JOSE layer of @getwild/jwt stays host-free.
import { describe, it, expect, beforeAll, afterAll, inject } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPacks } from "../lib/pack.js";
import { filesUnder, packageOf, resolveRelative, shippedImports, unpack, type ShippedImport } from "../lib/imports.js";

/**
 * Which @getwild packages each package may import: json and core at the bottom, jwt and getwild on
 * them, the host (a Node library) on nothing of ours, the scaffold on the host. A package missing here
 * fails the test, so a new one is placed in the graph on purpose.
 */
const ALLOWED: Record<string, string[]> = {
  "@getwild/json": [],
  "@getwild/core": [],
  "@getwild/jwt": ["@getwild/core", "@getwild/json"],
  "@getwild/getwild": ["@getwild/core", "@getwild/json"],
  "@getwild/host": [],
  "create-getwild": ["@getwild/host"],
};

/** The host-free JOSE layer: what it may not import (the SDK and the filter layer around it). */
const JOSE_DIR = "assembly/jose/";

interface Unpacked {
  root: string;
  manifest: Record<string, any>;
  files: string[];
  imports: ShippedImport[];
}

let work: string;
const packs = new Map<string, Unpacked>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "getwild-graph-"));
  for (const [name, { tarball, manifest }] of readPacks(inject("packDir"))) {
    const root = unpack(tarball, join(work, name.replace("/", "+")));
    packs.set(name, { root, manifest, files: filesUnder(root), imports: shippedImports(root) });
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const ours = (p: Unpacked) => p.imports.filter((i) => packageOf(i.specifier)?.startsWith("@getwild/"));
const where = (i: ShippedImport) => `${i.file}: "${i.specifier}"`;

describe("the dependency graph of the packed packages", () => {
  it("places every packed package in the graph", () => {
    expect([...packs.keys()].sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it("reads the imports of the shipped sources (AssemblyScript, the host's dist) and nothing from its tests", () => {
    for (const [name, p] of packs) {
      expect(
        p.files.filter((f) => /(^|\/)(test|src)\//.test(f)),
        name,
      ).toEqual([]);
      expect(p.imports.length, `${name} ships sources with imports`).toBeGreaterThan(0);
    }
    expect(packs.get("@getwild/host")!.imports.some((i) => i.file.startsWith("dist/"))).toBe(true);
    expect(packs.get("@getwild/jwt")!.imports.some((i) => i.file.startsWith("assembly/"))).toBe(true);
  });

  it("declares every @getwild import in dependencies or peerDependencies", () => {
    for (const [name, p] of packs) {
      const declared = new Set(Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies }));
      const undeclared = ours(p).filter(
        (i) => packageOf(i.specifier) !== name && !declared.has(packageOf(i.specifier)!),
      );
      expect(undeclared.map(where), `${name}: imported but not declared (a user's install would lack them)`).toEqual(
        [],
      );
    }
  });

  it("imports only down the graph: json and core import nothing of ours, jwt and getwild only core and json, the host stands alone", () => {
    for (const [name, p] of packs) {
      const allowed = new Set(ALLOWED[name] ?? []);
      const upward = ours(p).filter((i) => !allowed.has(packageOf(i.specifier)!));
      expect(upward.map(where), `${name} may import only ${[...allowed].join(", ") || "nothing of ours"}`).toEqual([]);
    }
  });

  it("declares no @getwild dependency that nothing shipped imports", () => {
    for (const [name, p] of packs) {
      const imported = new Set(ours(p).map((i) => packageOf(i.specifier)));
      const declared = Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies }).filter((d) =>
        d.startsWith("@getwild/"),
      );
      expect(
        declared.filter((d) => !imported.has(d)),
        `${name}: declared but never imported`,
      ).toEqual([]);
    }
  });

  it("resolves every relative import to a file inside the tarball (nothing reaches into a sibling's folder)", () => {
    for (const [name, p] of packs) {
      const broken = p.imports.filter(
        (i) => i.specifier.startsWith(".") && resolveRelative(p.root, i.file, i.specifier) === null,
      );
      expect(broken.map(where), name).toEqual([]);
    }
  });

  it("keeps @getwild/jwt's JOSE layer host-free: no @getwild/core and nothing from the filter layer", () => {
    const jwt = packs.get("@getwild/jwt")!;
    const jose = jwt.imports.filter((i) => i.file.startsWith(JOSE_DIR));
    expect(jose.length).toBeGreaterThan(0);
    const core = jose.filter((i) => packageOf(i.specifier) === "@getwild/core");
    const outward = jose.filter(
      (i) =>
        i.specifier.startsWith(".") && !(resolveRelative(jwt.root, i.file, i.specifier) ?? "").startsWith(JOSE_DIR),
    );
    expect([...core, ...outward].map(where)).toEqual([]);
  });
});
