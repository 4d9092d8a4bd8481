// SPDX-License-Identifier: Apache-2.0
// Builds every fixture before the suite, so tests always run against freshly compiled wasm.
// @ts-expect-error plain ESM helper shared with manual runs (`node test/compile.mjs` is not needed)
import { compileAllFixtures } from "./compile.mjs";

export default async function setup(): Promise<void> {
  await compileAllFixtures();
}
