// SPDX-License-Identifier: Apache-2.0
// The AssemblyScript Prettier plugin keeps every decorator, where it was, and its output is stable:
// `node --test scripts/` (run by .ci/run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { format } from "prettier";
import * as assemblyscript from "./prettier-assemblyscript.mjs";

const options = { parser: "assemblyscript", plugins: [assemblyscript], printWidth: 120, filepath: "x.ts" };

const SOURCE = `// @ts-ignore: decorator
@inline const SIZE: usize   = 512;
// @ts-ignore: decorator
@lazy  const buffer: usize = memory.data(<i32>SIZE);

@external("env", "proxy_log")
export declare function proxy_log(level: u32, ptr: usize, size: usize): u32;

// @ts-ignore: decorator
@inline export function twice(x: i32): i32 { return x*2 }

class Limbs {
  @inline get first(): u32 { return load<u32>(changetype<usize>(this)) }
  @unsafe
  store(v: u32): void { store<u32>(changetype<usize>(this), v) }
}
`;

const decorators = (text) => text.match(/^\s*@[A-Za-z_]\w*(\([^()\n]*\))?/gm).map((d) => d.trim());

test("every decorator is written back, in order, on the declaration it was on", async () => {
  const out = await format(SOURCE, options);
  assert.deepEqual(decorators(out), decorators(SOURCE));
  assert.match(out, /^@inline const SIZE: usize = 512;$/m);
  assert.match(out, /^@lazy const buffer: usize = memory\.data\(<i32>SIZE\);$/m);
  assert.match(out, /^@external\("env", "proxy_log"\)\nexport declare function proxy_log\(/m);
  assert.match(out, /^@inline export function twice\(x: i32\): i32 \{\n {2}return x \* 2;\n\}$/m);
  assert.match(out, /^ {2}@unsafe\n {2}store\(v: u32\): void \{$/m);
  assert.doesNotMatch(out, /@@|\/\*@/);
});

test("float literals stay floats: `5.` becomes `5.0`, never the integer `5`", async () => {
  const out = await format("let a: f64 = 5.;\nlet b = 1.0;\nlet c = 2.50;\nlet d = 7;\n", options);
  assert.equal(out, "let a: f64 = 5.0;\nlet b = 1.0;\nlet c = 2.5;\nlet d = 7;\n");
});

test("a cast right of << stays unparenthesized, so the output parses again", async () => {
  const src = "let a = (<u64>1) << <u64>((h ^ (h >> 15)) & 63);\nlet b = x << <usize>(w - 2);\n";
  const out = await format(src, options);
  assert.equal(out, "let a = (<u64>1) << <u64>((h ^ (h >> 15)) & 63);\nlet b = x << <usize>(w - 2);\n");
  assert.equal(await format(out, options), out);
});

test("formatting its own output changes nothing", async () => {
  const once = await format(SOURCE, options);
  assert.equal(await format(once, options), once);
});

test("plain TypeScript formats as with Prettier's own parser", async () => {
  const ts = "const a = {b:1,  c:[1,2]}\nexport function f<T>(x:T):T{return x}\n";
  assert.equal(await format(ts, options), await format(ts, { parser: "typescript", printWidth: 120 }));
});
