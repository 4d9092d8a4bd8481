// SPDX-License-Identifier: Apache-2.0
// Vitest setup: fixtures are compiled once per run by the global setup.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
