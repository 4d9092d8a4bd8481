// SPDX-License-Identifier: Apache-2.0
// Builds every fixture before the suite, so tests always run against freshly compiled wasm.
// @ts-expect-error plain ESM helper (also runnable by hand: `node test/compile.mjs`)
import { compileAllFixtures } from "./compile.mjs";

export default async function setup(): Promise<void> {
  await compileAllFixtures();
}
