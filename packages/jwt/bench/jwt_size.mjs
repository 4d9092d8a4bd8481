// SPDX-License-Identifier: Apache-2.0
// Release size of a JWKS + verifyJwt module per compiled algorithm set: `node bench/jwt_size.mjs`.
// Shows that `--use GETWILD_JWT_ALGS=<mask>` keeps unused algorithm families out of the module.
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { packageRoot } from "../test/compile.mjs";

const SETS = [
  ["all algorithms", null],
  ["RS256 only", 1],
  ["RS256 + ES256", 1 | 64],
  ["ES256 only", 64],
  ["EdDSA only", 4096],
];
const out = join(packageRoot, "build", "size");
mkdirSync(out, { recursive: true });
console.log("asc -O3z --noAssert --runtime incremental, entry bench/jwt_size_entry.ts");
for (const [name, mask] of SETS) {
  const file = join(out, `jwt_${mask ?? "all"}.wasm`);
  const args = [
    "bench/jwt_size_entry.ts",
    "--baseDir",
    packageRoot,
    "--outFile",
    file,
    "-O3z",
    "--noAssert",
    "--runtime",
    "incremental",
    "--config",
    "none",
  ];
  if (mask !== null) args.push("--use", `GETWILD_JWT_ALGS=${mask}`);
  let errors = "";
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => ((errors += s), true) },
  });
  if (error) throw new Error(`asc failed for ${name}:\n${errors}`);
  console.log(`${name.padEnd(16)} ${(statSync(file).size / 1024).toFixed(1).padStart(6)} KB`);
}
