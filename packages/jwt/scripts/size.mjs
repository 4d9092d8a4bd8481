// SPDX-License-Identifier: Apache-2.0
// Release wasm size of the crypto code: `node scripts/size.mjs [--json FILE]` (or `pnpm size`).
// Builds scripts/size/rs256.ts (RS256 only) and scripts/size/all.ts (every algorithm) through
// @getwild/host's buildFilter, so with the release target of @getwild/core's asconfig.base.json (the
// flags, runtime and transforms every filter ships with; any asc warning fails), with and without
// SIMD, and prints bytes and KiB against the targets.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter } from "@getwild/host";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(packageRoot, "build", "size");

// `abort=` drops the env.abort import (an abort then just traps): a filter's logging abort (core's
// coreAbort) is shared by all its code and is not counted here. Every other flag is core's.
const USE = ["abort="];

const ENTRIES = [
  {
    name: "rs256",
    entry: "scripts/size/rs256.ts",
    targetKiB: 24,
    what: "RS256 only (RSA import + PKCS#1 v1.5 + SHA-256)",
  },
  { name: "all", entry: "scripts/size/all.ts", targetKiB: 64, what: "all: RS*/PS*/HS*/ES256/384/512/EdDSA" },
];

async function build(entry, outFile, extra) {
  await buildFilter({ cwd: packageRoot, entry, outFile, use: USE, flags: extra });
  const bytes = statSync(outFile).size;
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(outFile))).map(
    (i) => `${i.module}.${i.name}`,
  );
  return { bytes, imports };
}

async function main() {
  const results = [];
  for (const e of ENTRIES) {
    for (const simd of [true, false]) {
      const outFile = join(outDir, `${e.name}${simd ? "" : "-nosimd"}.wasm`);
      const { bytes, imports } = await build(e.entry, outFile, simd ? ["--enable", "simd"] : []);
      results.push({ name: e.name, simd, bytes, kib: bytes / 1024, targetKiB: e.targetKiB, what: e.what, imports });
    }
  }
  console.log(`flags: @getwild/core asconfig.base.json release target, use ${USE.join(" ")} [--enable simd]`);
  for (const r of results) {
    const verdict = r.kib <= r.targetKiB ? "within" : "OVER";
    console.log(
      `${(r.name + (r.simd ? " simd" : " no-simd")).padEnd(14)} ${String(r.bytes).padStart(7)} B  ${r.kib.toFixed(1).padStart(6)} KiB  target ${r.targetKiB} KiB ${verdict}  imports: ${r.imports.join(", ") || "none"}  (${r.what})`,
    );
  }
  const args = process.argv.slice(2);
  const at = args.indexOf("--json");
  if (at >= 0 && args[at + 1]) {
    const file = resolve(process.env.INIT_CWD ?? process.cwd(), args[at + 1]);
    writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    console.log(`wrote ${file}`);
  }
}

await main();
