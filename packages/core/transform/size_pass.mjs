// SPDX-License-Identifier: Apache-2.0
// AssemblyScript compiler transform: after asc's own optimization of a size build (shrinkLevel 2,
// our release target), runs binaryen's default size pipeline once more, as `wasm-opt -Oz` would.
//
// Why: at shrinkLevel 2 asc drives binaryen at optimize level 4 with its own inlining limits
// (partial inlining, up to 80-instruction single-caller functions inlined), tuned for speed as much
// as size. One more pass of binaryen's -Oz defaults over that result folds what the first pass left
// (about 0.7 % of a JWT filter: 486 B of firebase-jwt, 710 B of jwt-authn, 84 B of hello, measured
// at this change) and leaves counted per-request work as it was (bench/envoy/work_count.mjs).
//
// How: asc has no hook after it optimizes, so this transform wraps the compiler's
// `Module#optimize` (asc 0.28, pinned) for the module it compiled; other modules compiled in the
// same process are left alone. `GETWILD_SIZE_PASS=0` in the environment turns it off.
import { Module } from "assemblyscript";

/** The binaryen module of the compile in progress and the binaryen API that wraps it. */
let pending = null;

const asOptimize = Module.prototype.optimize;
if (!asOptimize.getwildSizePass) {
  Module.prototype.optimize = function optimizeThenShrink(optimizeLevel, shrinkLevel, debugInfo, zeroFilled) {
    asOptimize.call(this, optimizeLevel, shrinkLevel, debugInfo, zeroFilled);
    const compiled = pending;
    if (!compiled || compiled.module.ptr !== this.ref || shrinkLevel < 2) return;
    pending = null;
    shrink(compiled.binaryen, compiled.module);
  };
  Module.prototype.optimize.getwildSizePass = true;
}

/** binaryen's -Oz: optimize level 2, shrink level 2, binaryen's own inlining limits. */
function shrink(binaryen, module) {
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2);
  binaryen.setAlwaysInlineMaxSize(2);
  binaryen.setFlexibleInlineMaxSize(20);
  binaryen.setOneCallerInlineMaxSize(-1);
  binaryen.setAllowInliningFunctionsWithLoops(false);
  binaryen.clearPassArguments();
  module.optimize();
}

export default class SizePass {
  afterCompile(module) {
    pending = process.env.GETWILD_SIZE_PASS === "0" ? null : { module, binaryen: this.binaryen };
  }
}
