// SPDX-License-Identifier: Apache-2.0
// The benchmarks load release fixtures from build/test with the tests' own loader.
export { loadFixture } from "../test/wasm_fixture.mjs";
