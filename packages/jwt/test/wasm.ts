// SPDX-License-Identifier: Apache-2.0
// Loads a compiled test fixture with @assemblyscript/loader and moves bytes in and out of it.
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ASUtil } from "@assemblyscript/loader";
import { loadFixture as loadFixtureJs } from "./wasm_fixture.mjs";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const vectorsDir = join(packageRoot, "test", "vectors");

export interface Fixture<T = Record<string, unknown>> {
  exports: T & ASUtil;
  /** Copies bytes into a new pinned ArrayBuffer in the module; returns its pointer. */
  bytes(data: Uint8Array): number;
  /** Reads an ArrayBuffer returned by the module. */
  read(ptr: number): Uint8Array;
  /** Unpins everything `bytes` pinned since the last call. */
  release(): void;
}

/** Loads build/test/<name>.wasm (see wasm_fixture.mjs, shared with the benchmarks). */
export function loadFixture<T>(name: string): Fixture<T> {
  return loadFixtureJs(name) as Fixture<T>;
}
