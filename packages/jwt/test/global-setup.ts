// SPDX-License-Identifier: Apache-2.0
// Builds every test module before the suite through @getwild/host's buildFilter, so tests always
// exercise freshly compiled wasm: the primitive fixtures (compile.mjs), every JwtAuthn filter fixture
// (release), and the JwtAuthn filter's debug build with assertions on (filter_build.mjs).
import { compileAllFixtures } from "./compile.mjs";
import { filterFixtures, rebuildFilter } from "./filter_build.mjs";

export default async function setup(): Promise<void> {
  await compileAllFixtures();
  if (process.env.FIXTURES) return; // a run limited to some primitive fixtures
  for (const name of filterFixtures()) await rebuildFilter(name);
  await rebuildFilter("jwt_authn", true);
}
