// SPDX-License-Identifier: Apache-2.0
// Builds every test fixture before the suite, so tests always exercise the compiled wasm.
import { compileAllFixtures } from "./compile.mjs";

export default async function setup(): Promise<void> {
  await compileAllFixtures();
}
