// SPDX-License-Identifier: Apache-2.0
// Vitest setup: every filter under test is compiled once per run by the global setup; the suites
// run one file at a time (fork pool, no file parallelism) because the machine has two cores.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
