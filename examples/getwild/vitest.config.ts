// SPDX-License-Identifier: Apache-2.0
// Vitest setup for the Get Wild example: the filter is (re)built by the global setup when stale.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 300_000,
  },
});
