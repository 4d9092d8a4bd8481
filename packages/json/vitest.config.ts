// SPDX-License-Identifier: Apache-2.0
// Vitest setup for @getwild/json: the fixture is compiled once by the global setup before any test runs.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
