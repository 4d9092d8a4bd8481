// SPDX-License-Identifier: Apache-2.0
// Where compiled fixtures live, and the builds every behaviour test runs against.
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const fixtureOutDir = join(dirname(fileURLToPath(import.meta.url)), "..", "build", "test");

/** Release (-O3, shrink) and debug (names, -O0) builds of fixture `name`, as a user would ship either. */
export function builds(name: string): { target: string; wasm: string }[] {
  const targets = process.env.TARGETS?.split(",") ?? ["release", "debug"];
  return targets.map((target) => ({
    target,
    wasm: join(fixtureOutDir, target === "release" ? `${name}.wasm` : `${name}.${target}.wasm`),
  }));
}
