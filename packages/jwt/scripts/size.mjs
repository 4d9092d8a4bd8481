// SPDX-License-Identifier: Apache-2.0
// Release wasm size of the crypto code: `node scripts/size.mjs [--json FILE]` (or `pnpm size`).
// Builds scripts/size/rs256.ts (RS256 only) and scripts/size/all.ts (every algorithm) with
// production flags, with and without SIMD, and prints bytes and KiB against the targets.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(packageRoot, "build", "size");

// `--use abort=` drops the env.abort import (an abort then just traps); a filter's logging abort
// (core's coreAbort) is shared by all its code and is not counted here.
export const RELEASE_FLAGS = [
  "-O3",
  "--shrinkLevel",
  "2",
  "--converge",
  "--noAssert",
  "--runtime",
  "incremental",
  "--use",
  "abort=",
  "--config",
  "none",
];

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
  let errors = "";
  const { error } = await asc.main(
    [entry, "--baseDir", packageRoot, "--outFile", outFile, ...RELEASE_FLAGS, ...extra],
    {
      stdout: { write: () => true },
      stderr: {
        write: (s) => {
          errors += s;
          return true;
        },
      },
    },
  );
  if (error) throw new Error(`asc failed for ${entry}:\n${errors}`);
  const bytes = statSync(outFile).size;
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(outFile))).map(
    (i) => `${i.module}.${i.name}`,
  );
  return { bytes, imports };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const results = [];
  for (const e of ENTRIES) {
    for (const simd of [true, false]) {
      const outFile = join(outDir, `${e.name}${simd ? "" : "-nosimd"}.wasm`);
      const { bytes, imports } = await build(e.entry, outFile, simd ? ["--enable", "simd"] : []);
      results.push({ name: e.name, simd, bytes, kib: bytes / 1024, targetKiB: e.targetKiB, what: e.what, imports });
    }
  }
  console.log(`flags: ${RELEASE_FLAGS.join(" ")} [--enable simd]`);
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
