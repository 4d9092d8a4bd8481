// SPDX-License-Identifier: Apache-2.0
// Compiles every filter the suites run (the examples from their sources, this package's fixtures).
// @ts-expect-error plain ESM helper shared with `pnpm fuzz` and `pnpm soak`
import { buildFilters } from "../lib/build.mjs";

export default async function setup(): Promise<void> {
  await buildFilters();
}
