// SPDX-License-Identifier: Apache-2.0
// Vitest setup for the packaging tests: packing, npm install and asc in a temp project take a while.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Packs every package once; the test files install from those tarballs.
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 400_000,
  },
});
