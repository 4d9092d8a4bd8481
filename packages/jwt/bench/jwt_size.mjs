// SPDX-License-Identifier: Apache-2.0
// Release size of a JWKS + verifyJwt module per compiled algorithm set: `node bench/jwt_size.mjs`.
// Shows that `--use GETWILD_JWT_ALGS=<mask>` keeps unused algorithm families out of the module. Built
// through @getwild/host's buildFilter: the release target of @getwild/core's asconfig.base.json (what
// filters ship with; any asc warning fails), with asc's own env.abort instead of core's logging one
// (the entry is not a filter).
import { statSync } from "node:fs";
import { join } from "node:path";
import { buildFilter } from "@getwild/host";
import { packageRoot } from "../test/compile.mjs";

const SETS = [
  ["all algorithms", null],
  ["RS256 only", 1],
  ["RS256 + ES256", 1 | 64],
  ["ES256 only", 64],
  ["EdDSA only", 4096],
];
const out = join(packageRoot, "build", "size");
console.log("@getwild/core asconfig.base.json release target, entry bench/jwt_size_entry.ts");
for (const [name, mask] of SETS) {
  const outFile = join(out, `jwt_${mask ?? "all"}.wasm`);
  const use = mask === null ? [] : [`GETWILD_JWT_ALGS=${mask}`];
  await buildFilter({ cwd: packageRoot, entry: "bench/jwt_size_entry.ts", outFile, use });
  console.log(`${name.padEnd(16)} ${(statSync(outFile).size / 1024).toFixed(1).padStart(6)} KB`);
}
