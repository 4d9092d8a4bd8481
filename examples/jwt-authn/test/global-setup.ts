// SPDX-License-Identifier: Apache-2.0
// Builds the filter (release and debug) with the package's asconfig.json before the tests, so they
// always run the current source, even right after a fresh install.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const asc = join(root, "node_modules", ".bin", "asc");
  for (const target of ["release", "debug"]) {
    execFileSync(asc, ["--target", target], { cwd: root, stdio: "inherit" });
  }
}
