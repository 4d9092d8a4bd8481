// SPDX-License-Identifier: Apache-2.0
// Build of @getwild/host: ESM + CJS bundles with type declarations, for tests and tools in the monorepo.
import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    envoy: "src/envoy/index.ts",
    deploy: "src/cli/deploy/index.ts",
    cli: "src/cli/main.ts",
    "global-setup": "src/global_setup.ts",
    init: "src/cli/init.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // import.meta.url in the CJS build (init.ts finds its own package.json from it).
  shims: true,
  target: "node20",
  outDir: "dist",
});
