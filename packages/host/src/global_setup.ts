// SPDX-License-Identifier: Apache-2.0
// A vitest global setup that builds the filter before any test runs, and again before each rerun in
// watch mode: `test: { globalSetup: ["@getwild/host/global-setup"] }`. A test can then never pass
// against a stale build/filter.wasm; a compile error stops the run with asc's diagnostics.
import { buildFilter } from "./build_filter.js";

/** The part of vitest's TestProject this setup uses (kept structural: no vitest types needed). */
interface VitestProject {
  config?: { root?: string };
  onTestsRerun?(callback: () => Promise<void> | void): void;
}

/** Builds the release target of the project at vitest's root (the folder of vitest.config.ts). */
export default async function setup(project?: VitestProject): Promise<void> {
  const cwd = project?.config?.root ?? process.cwd();
  await buildFilter({ cwd });
  project?.onTestsRerun?.(async () => {
    await buildFilter({ cwd });
  });
}
