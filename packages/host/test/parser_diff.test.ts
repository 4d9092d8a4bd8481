// SPDX-License-Identifier: Apache-2.0
// Differential check of the section parser against V8's own type reflection on every compiled fixture.
import { expect, it } from "vitest";
import v8 from "node:v8";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseWasm } from "../src/index.js";
import { fixtureOutDir } from "./paths.js";

v8.setFlagsFromString("--experimental-wasm-type-reflection");

type Reflected = { name: string; kind: string; module?: string; type?: { parameters: string[]; results: string[] } };

it("reads the same import and export signatures as V8", () => {
  const files = readdirSync(fixtureOutDir).filter((f) => f.endsWith(".wasm"));
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) {
    const bytes = readFileSync(join(fixtureOutDir, f));
    const mod = new WebAssembly.Module(bytes);
    const parsed = parseWasm(bytes);
    const v8Imports = WebAssembly.Module.imports(mod) as unknown as Reflected[];
    const v8Exports = WebAssembly.Module.exports(mod) as unknown as Reflected[];
    expect(
      parsed.imports.map((i) => [i.module, i.name, i.kind]),
      f,
    ).toEqual(v8Imports.map((i) => [i.module, i.name, i.kind]));
    expect(
      parsed.exports.map((e) => [e.name, e.kind]),
      f,
    ).toEqual(v8Exports.map((e) => [e.name, e.kind]));
    const sigs = (list: Reflected[]) =>
      list.filter((x) => x.kind === "function").map((x) => [x.type!.parameters, x.type!.results]);
    expect(
      parsed.imports.filter((i) => i.type).map((i) => [i.type!.params, i.type!.results]),
      f,
    ).toEqual(sigs(v8Imports));
    expect(
      parsed.exports.filter((e) => e.type).map((e) => [e.type!.params, e.type!.results]),
      f,
    ).toEqual(sigs(v8Exports));
  }
});
