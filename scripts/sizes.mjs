// SPDX-License-Identifier: Apache-2.0
// `pnpm sizes`: builds every example's release module (asc --target release in its folder) and prints
// its size, gzipped size and sha256 as a Markdown table. `--no-build` measures the existing builds;
// `--json` prints JSON instead.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const examplesDir = join(root, "examples");

const rows = [];
for (const name of readdirSync(examplesDir).sort()) {
  const dir = join(examplesDir, name);
  const asconfigPath = join(dir, "asconfig.json");
  if (!existsSync(asconfigPath)) continue;
  const outFile = JSON.parse(readFileSync(asconfigPath, "utf8")).targets?.release?.outFile;
  if (!outFile) continue;
  if (!args.has("--no-build")) {
    // asc resolves packages from the current folder, so each example is built in its own.
    try {
      execFileSync(join(dir, "node_modules", ".bin", "asc"), ["--target", "release"], { cwd: dir, stdio: "pipe" });
    } catch (e) {
      process.stderr.write(`${name}: build failed\n${e.stderr ?? e.message}\n`);
      process.exitCode = 1;
      continue;
    }
  }
  const wasmPath = join(dir, outFile);
  if (!existsSync(wasmPath)) {
    rows.push({ example: name, file: `examples/${name}/${outFile}`, bytes: null, gzipBytes: null, sha256: null });
    continue;
  }
  const wasm = readFileSync(wasmPath);
  rows.push({
    example: name,
    file: `examples/${name}/${outFile}`,
    bytes: wasm.length,
    gzipBytes: gzipSync(wasm, { level: 9 }).length,
    sha256: createHash("sha256").update(wasm).digest("hex"),
  });
}

if (args.has("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const kb = (n) => (n === null ? "not built" : `${n} B (${(n / 1024).toFixed(1)} KiB)`);
  console.log("| example | release module | size | gzip | sha256 |");
  console.log("|---|---|---:|---:|---|");
  for (const r of rows)
    console.log(`| ${r.example} | \`${r.file}\` | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | \`${r.sha256 ?? "-"}\` |`);
}
if (rows.some((r) => r.bytes === null)) process.exitCode = 1;
