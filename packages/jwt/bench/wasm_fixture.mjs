// SPDX-License-Identifier: Apache-2.0
// Plain-JS twin of test/wasm.ts for the benchmarks (Node 20 cannot import .ts): loads a release
// fixture from build/test and copies bytes in.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import loader from "@assemblyscript/loader";
import { fixtureOutDir } from "../test/compile.mjs";

export function loadFixture(name) {
  let exports;
  ({ exports } = loader.instantiateSync(readFileSync(join(fixtureOutDir, `${name}.wasm`)), {
    env: {
      abort(msg, file, line, col) {
        throw new Error(`wasm abort: ${msg ? exports.__getString(msg) : "?"} at ${file ? exports.__getString(file) : "?"}:${line}:${col}`);
      },
    },
  }));
  exports._initialize?.(); // exportStart (core's asconfig.base.json): the loader does not run the start function
  const pinned = [];
  return {
    exports,
    bytes(data) {
      const ptr = exports.__pin(exports.__newArrayBuffer(data));
      pinned.push(ptr);
      return ptr;
    },
    release() {
      for (const p of pinned.splice(0)) exports.__unpin(p);
    },
  };
}
