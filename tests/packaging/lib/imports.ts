// SPDX-License-Identifier: Apache-2.0
// What a packed package imports: every module specifier in the files it ships (AssemblyScript and
// TypeScript sources, the host's bundled JavaScript and declarations), read with TypeScript's own
// pre-processor so that text inside comments and template strings (the scaffold's file templates in
// the host's dist) is not taken for an import.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative } from "node:path";
import ts from "typescript";

/** One import of one shipped file: `file` is relative to the package root ("assembly/index.ts"). */
export interface ShippedImport {
  file: string;
  specifier: string;
}

/** Files whose imports count: sources and built JavaScript; maps, JSON and docs do not import. */
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** Extracts a tarball into `dest` and returns the package folder ("<dest>/package"). */
export function unpack(tarball: string, dest: string): string {
  mkdirSync(dest, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", dest]);
  return join(dest, "package");
}

/** Every file under `root`, as POSIX paths relative to it. */
export function filesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, path));
    else out.push(relative(root, path).split("\\").join("/"));
  }
  return out.sort();
}

/** The module specifiers of every shipped source file of an unpacked package. */
export function shippedImports(packageRoot: string): ShippedImport[] {
  const imports: ShippedImport[] = [];
  for (const file of filesUnder(packageRoot).filter((f) => SOURCE.test(f))) {
    const info = ts.preProcessFile(readFileSync(join(packageRoot, file), "utf8"), true, true);
    for (const imported of info.importedFiles) imports.push({ file, specifier: imported.fileName });
  }
  return imports;
}

/** "@getwild/core/assembly/x" -> "@getwild/core"; "yaml/util" -> "yaml"; relative specifiers -> null. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/**
 * Where a relative import of `file` lands, as a package-relative path, or null when no shipped file
 * answers it. AssemblyScript (like TypeScript) resolves "./x" to x.ts or x/index.ts; the built
 * JavaScript names its files in full.
 */
export function resolveRelative(packageRoot: string, file: string, specifier: string): string | null {
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  if (target.startsWith("..")) return null; // outside the package: absent once installed
  // A declaration file names the JavaScript it describes ("./chunk.js" -> chunk.d.ts).
  const declaration = target.replace(/\.js$/, ".d.ts").replace(/\.cjs$/, ".d.cts");
  for (const candidate of [target, `${target}.ts`, `${target}/index.ts`, declaration]) {
    const path = join(packageRoot, candidate);
    if (existsSync(path) && statSync(path).isFile()) return candidate;
  }
  return null;
}
