// SPDX-License-Identifier: Apache-2.0
// Builds the fixture (test/fixtures/json_reader.ts) before the suite through @getwild/host's
// buildFilter, with @getwild/core's asconfig.base.json (the flags release filters ship with; any asc
// warning fails): release and debug. The fixture is no proxy-wasm filter, so asc's own abort stays
// (use: []) and the loader's runtime helpers are exported.
import { buildFilter } from "@getwild/host";
import { FIXTURE, packageRoot, targets } from "./wasm.js";

export default async function setup(): Promise<void> {
  await buildFilter({
    cwd: packageRoot,
    entry: FIXTURE,
    outFile: "build/test/json_reader.wasm",
    targets,
    use: [],
    flags: ["--exportRuntime"],
  });
}
