// SPDX-License-Identifier: Apache-2.0
// Builds every fixture (release and debug, asconfig.base.json flags) before the suite runs, so the
// tests always exercise freshly compiled wasm.
import { compileAllFixtures } from "./compile.mjs";

export default async function setup(): Promise<void> {
  await compileAllFixtures();
}
