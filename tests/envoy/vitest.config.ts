// SPDX-License-Identifier: Apache-2.0
// The Envoy suite: the global setup finds (or installs) Envoy once per run; files run one at a time
// because each starts its own Envoy and the machine has two cores.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
