// SPDX-License-Identifier: Apache-2.0
// The size-pass transform (transform/size_pass.mjs): a release build comes out smaller than the same
// build with GETWILD_SIZE_PASS=0 and answers exactly as it does; a debug build (shrink level 0) and
// builds compiled after it in the same process are left alone.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFilter } from "@getwild/host";
import { fixtureOutDir, packageRoot } from "./compile.mjs";

const ENTRY = join("test", "fixtures", "literals.ts");
const OWN_ABORT = ["abort=assembly/abort/coreAbort"];

/** Builds the literals fixture for `target` into `outFile`, with the size pass on or off. */
async function build(outFile: string, target: "release" | "debug", sizePass: boolean): Promise<Buffer> {
  const previous = process.env.GETWILD_SIZE_PASS;
  if (sizePass) delete process.env.GETWILD_SIZE_PASS;
  else process.env.GETWILD_SIZE_PASS = "0";
  try {
    const [written] = await buildFilter({
      cwd: packageRoot,
      entry: ENTRY,
      outFile,
      asconfig: "asconfig.base.json",
      targets: [target],
      use: OWN_ABORT,
    });
    return readFileSync(written);
  } finally {
    if (previous === undefined) delete process.env.GETWILD_SIZE_PASS;
    else process.env.GETWILD_SIZE_PASS = previous;
  }
}

/** Runs every fixture export that takes no argument and returns what each answered (strings read back). */
async function answers(bytes: Buffer): Promise<Record<string, string | number>> {
  const module = await WebAssembly.compile(bytes);
  const imports: Record<string, Record<string, () => number>> = {};
  for (const { module: name, name: field } of WebAssembly.Module.imports(module))
    (imports[name] ??= {})[field] = () => 0;
  const exports = (await WebAssembly.instantiate(module, imports)).exports as Record<string, unknown>;
  (exports._initialize as () => void)();
  const memory = exports.memory as WebAssembly.Memory;
  const out: Record<string, string | number> = {};
  for (const name of ["ascii", "nonAscii", "longAscii", "defaultParameter"]) {
    const pointer = (exports[name] as () => number)();
    const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0];
    out[name] = Buffer.from(memory.buffer, pointer, bytes).toString("utf16le");
  }
  for (const name of ["sameObjectTwice", "typeofIsString", "survivesCollection"])
    out[name] = (exports[name] as () => number)();
  for (const code of [1, 2, 3]) out[`caseOf${code}`] = (exports.caseOf as (c: number) => number)(code);
  return out;
}

describe("size pass", () => {
  let on: Buffer, off: Buffer, debugOn: Buffer, debugOff: Buffer, afterDebug: Buffer;
  beforeAll(async () => {
    on = await build(join(fixtureOutDir, "size_pass.on.wasm"), "release", true);
    off = await build(join(fixtureOutDir, "size_pass.off.wasm"), "release", false);
    debugOn = await build(join(fixtureOutDir, "size_pass.on.wasm"), "debug", true);
    debugOff = await build(join(fixtureOutDir, "size_pass.off.wasm"), "debug", false);
    // A release build after a debug one in the same process is shrunk again (nothing stale kept).
    afterDebug = await build(join(fixtureOutDir, "size_pass.again.wasm"), "release", true);
  }, 240_000);

  it("makes a release build smaller", () => {
    expect(on.length).toBeLessThan(off.length);
  });

  it("leaves what the module answers unchanged", async () => {
    const expected = await answers(off);
    expect(expected.ascii).toBe("getwild pooled ascii literal");
    expect(await answers(on)).toEqual(expected);
  });

  it("leaves a debug build (shrink level 0) alone", () => {
    expect(debugOn.equals(debugOff)).toBe(true);
  });

  it("shrinks each release build of one process the same way", () => {
    expect(afterDebug.equals(on)).toBe(true);
  });
});
