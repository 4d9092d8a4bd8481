// SPDX-License-Identifier: Apache-2.0
// The two layers of @getwild/jwt, checked on the sources: the JOSE layer (assembly/jose) imports
// nothing outside itself but the host-free @getwild/json, so it builds and runs without a proxy;
// the package root is that layer; the subpath exports name each layer's entry file.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve, dirname, sep } from "node:path";
import { packageRoot } from "./wasm";

const jose = join(packageRoot, "assembly", "jose");

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every module specifier of `import … from`, `export … from` and `import "…"` in a source file. */
function specifiers(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'])\/\/.*$/gm, "$1");
  const found: string[] = [];
  for (const m of text.matchAll(
    /\b(?:import|export)\b[^;"']*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']/g,
  )) {
    found.push(m[1] ?? m[2]);
  }
  return found;
}

describe("the JOSE layer is host-free", () => {
  const files = sourcesUnder(jose);
  it("finds its sources (and the specifier reader works)", () => {
    expect(files.length).toBeGreaterThan(40);
    expect(
      specifiers(
        `import { a } from "./x";\nexport { b } from '../y';\nimport "z";\n// import { c } from "nope";\nexport * from "w";`,
      ),
    ).toEqual(["./x", "../y", "z", "w"]);
    expect(specifiers(`import {\n  a,\n  b,\n} from "@getwild/core/assembly";`)).toEqual(["@getwild/core/assembly"]);
  });
  it("imports only files under assembly/jose and @getwild/json", () => {
    const outside: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, "utf8"))) {
        const where = `${relative(packageRoot, file)}: ${spec}`;
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          if (target !== jose && !target.startsWith(jose + sep)) outside.push(where);
        } else if (spec !== "@getwild/json/assembly" && !spec.startsWith("@getwild/json/assembly/")) {
          outside.push(where);
        }
      }
    }
    expect(outside).toEqual([]);
  });
  it("the package root re-exports the JOSE layer and nothing else", () => {
    expect(specifiers(readFileSync(join(packageRoot, "assembly", "index.ts"), "utf8"))).toEqual(["./jose/index"]);
  });
});

describe("subpath exports", () => {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
  it("name each layer's entry file, and keep deep imports", () => {
    expect(pkg.exports["./assembly"]).toBe("./assembly/index.ts");
    expect(pkg.exports["./assembly/jose"]).toBe("./assembly/jose/index.ts");
    expect(pkg.exports["./assembly/filter"]).toBe("./assembly/filter/index.ts");
    expect(pkg.exports["./assembly/*"]).toBe("./assembly/*");
    for (const [key, target] of Object.entries(pkg.exports as Record<string, string>)) {
      if (!key.includes("*")) expect(existsSync(join(packageRoot, target)), `${key} -> ${target}`).toBe(true);
    }
  });
});
