// SPDX-License-Identifier: Apache-2.0
// Loads a compiled test fixture with @assemblyscript/loader and moves bytes in and out of it.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import loader from "@assemblyscript/loader";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const vectorsDir = join(packageRoot, "test", "vectors");

export interface Fixture<T = Record<string, unknown>> {
  exports: T & loader.ASUtil;
  /** Copies bytes into a new pinned ArrayBuffer in the module; returns its pointer. */
  bytes(data: Uint8Array): number;
  /** Reads an ArrayBuffer returned by the module. */
  read(ptr: number): Uint8Array;
  /** Unpins everything `bytes` pinned since the last call. */
  release(): void;
}

export function loadFixture<T>(name: string): Fixture<T> {
  const wasm = readFileSync(join(packageRoot, "build", "test", `${name}.wasm`));
  const { exports } = loader.instantiateSync<T>(wasm, {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const e = exports as unknown as loader.ASUtil;
        throw new Error(`wasm abort: ${msg ? e.__getString(msg) : "?"} at ${file ? e.__getString(file) : "?"}:${line}:${col}`);
      },
    },
  });
  // Built with the release filters' flags, whose `exportStart` leaves the start function (top-level
  // initialisers) to an `_initialize` export that a proxy-wasm host calls first; the loader does not.
  (exports as unknown as { _initialize?: () => void })._initialize?.();
  const pinned: number[] = [];
  return {
    exports,
    bytes(data) {
      const ptr = exports.__pin(exports.__newArrayBuffer(data));
      pinned.push(ptr);
      return ptr;
    },
    read(ptr) {
      return new Uint8Array(exports.__getArrayBuffer(ptr));
    },
    release() {
      for (const p of pinned.splice(0)) exports.__unpin(p);
    },
  };
}
