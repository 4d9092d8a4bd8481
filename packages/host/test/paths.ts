// SPDX-License-Identifier: Apache-2.0
// Where compiled test fixtures live (written by the global setup, read by the tests).
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const fixtureOutDir = join(packageRoot, "build", "test");

/** Path of the compiled fixture `name` (test/fixtures/name.ts or test/fixtures/raw/name.ts). */
export function fixturePath(name: string): string {
  return join(fixtureOutDir, `${name}.wasm`);
}
