// SPDX-License-Identifier: Apache-2.0
// Loads a compiled test fixture (build/test/<name>.wasm) with @assemblyscript/loader and moves bytes
// in and out of it. Plain JavaScript so that the benchmarks (run by Node without a TypeScript loader)
// use the very same loader as the tests; test/wasm.ts gives it its types.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import loader from "@assemblyscript/loader";
import { fixtureOutDir } from "./compile.mjs";

export function loadFixture(name) {
  const wasm = readFileSync(join(fixtureOutDir, `${name}.wasm`));
  const { exports } = loader.instantiateSync(wasm, {
    env: {
      abort(msg, file, line, col) {
        throw new Error(
          `wasm abort: ${msg ? exports.__getString(msg) : "?"} at ${file ? exports.__getString(file) : "?"}:${line}:${col}`,
        );
      },
    },
  });
  // Built with the release filters' flags, whose `exportStart` leaves the start function (top-level
  // initialisers) to an `_initialize` export that a proxy-wasm host calls first; the loader does not.
  exports._initialize?.();
  const pinned = [];
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
