// SPDX-License-Identifier: Apache-2.0
// Vitest setup for @getwild/host: fixtures are compiled once by the global setup before any test runs.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Envoy is located (installed on first use) once, for the `serve --envoy` suites.
    globalSetup: ["./test/global-setup.ts", "./test/envoy-setup.ts"],
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
