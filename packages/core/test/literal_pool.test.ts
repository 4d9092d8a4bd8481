// SPDX-License-Identifier: Apache-2.0
// The literal-pool transform (transform/literal_pool.mjs) on a compiled module: literals read back
// unchanged in every position our sources use them, a pooled text is stored once as UTF-8 and not
// as a UTF-16 static string, a literal only dead code uses leaves no bytes, and a pooled string
// survives collections. The same fixture built with GETWILD_LITERAL_POOL=0 keeps UTF-16 copies
// (so the byte checks can fail).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFilter } from "@getwild/host";
import { fixtureOutDir, packageRoot } from "./compile.mjs";

interface LiteralExports {
  memory: WebAssembly.Memory;
  ascii(): number;
  nonAscii(): number;
  longAscii(): number;
  longNonAscii(): number;
  shared(i: number): number;
  rootIds(i: number): number;
  loneSurrogate(): number;
  empty(): number;
  sameObjectTwice(): number;
  eagerWord(i: number): number;
  lazyWord(i: number): number;
  mixedWord(i: number): number;
  defaultParameter(): number;
  caseOf(code: number): number;
  typeofIsString(): number;
  survivesCollection(): number;
  _initialize?(): void;
}

/** Every import answers 0: the fixture calls no host function on these paths. */
function stubImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: Record<string, Record<string, () => number>> = {};
  for (const { module: name, name: field } of WebAssembly.Module.imports(module)) {
    (imports[name] ??= {})[field] = () => 0;
  }
  return imports;
}

async function load(file: string): Promise<LiteralExports> {
  const module = await WebAssembly.compile(readFileSync(file));
  const instance = await WebAssembly.instantiate(module, stubImports(module));
  const exports = instance.exports as unknown as LiteralExports;
  exports._initialize?.();
  return exports;
}

/** An AssemblyScript string: UTF-16LE units, byte length in the header word before it. */
function readString(memory: WebAssembly.Memory, pointer: number): string {
  const bytes = new Uint32Array(memory.buffer, pointer - 4, 1)[0];
  return Buffer.from(memory.buffer, pointer, bytes).toString("utf16le");
}

function contains(haystack: Buffer, text: string, encoding: "utf8" | "utf16le"): boolean {
  return haystack.includes(Buffer.from(text, encoding));
}

// Over 127 UTF-8 bytes: their records have a two-byte length prefix.
const LONG_ASCII = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(6);
const LONG_NON_ASCII = "\u00e9\u2615".repeat(50);

const RELEASE = join(fixtureOutDir, "literals.wasm");
const UNPOOLED = join(fixtureOutDir, "literals.unpooled.wasm");

beforeAll(async () => {
  const previous = process.env.GETWILD_LITERAL_POOL;
  process.env.GETWILD_LITERAL_POOL = "0";
  try {
    await buildFilter({
      cwd: packageRoot,
      entry: join("test", "fixtures", "literals.ts"),
      outFile: UNPOOLED,
      asconfig: "asconfig.base.json",
      use: ["abort=assembly/abort/coreAbort"],
    });
  } finally {
    if (previous === undefined) delete process.env.GETWILD_LITERAL_POOL;
    else process.env.GETWILD_LITERAL_POOL = previous;
  }
}, 120_000);

describe.each([
  ["pooled", RELEASE],
  ["debug build", join(fixtureOutDir, "literals.debug.wasm")],
  ["unpooled", UNPOOLED],
])("literals (%s)", (_name, file) => {
  let m: LiteralExports;
  beforeAll(async () => {
    m = await load(file);
  });
  const text = (pointer: number) => readString(m.memory, pointer);

  it("reads back every literal unchanged", () => {
    expect(text(m.ascii())).toBe("getwild pooled ascii literal");
    expect(text(m.nonAscii())).toBe("caf\u00e9 \u2615 \ud834\udd1e");
    expect(text(m.longAscii())).toBe(LONG_ASCII);
    expect(text(m.longNonAscii())).toBe(LONG_NON_ASCII);
    expect([0, 1, 2, 3].map((i) => text(m.shared(i)))).toEqual(
      ["one", "two", "three", "four"].map((n) => `getwild shared dictionary piece: ${n}`),
    );
    expect(text(m.loneSurrogate())).toBe("lone \ud800 surrogate");
    expect([0, 1].map((i) => text(m.rootIds(i)))).toEqual(["fixture given root id", "fixture default root id"]);
    expect(text(m.empty())).toBe("");
    expect([0, 1, 2].map((i) => text(m.eagerWord(i)))).toEqual(["alpha", "beta", "none"]);
    expect([0, 1, 2].map((i) => text(m.lazyWord(i)))).toEqual(["gamma", "delta", "none"]);
    expect([0, 1, 2, 3, 4].map((i) => text(m.mixedWord(i)))).toEqual([
      "",
      "caf\u00e9 au lait",
      "x",
      "0123456789".repeat(20),
      "none",
    ]);
    expect(text(m.defaultParameter())).toBe("default parameter");
    expect([1, 2, 3].map((c) => m.caseOf(c))).toEqual([1, 2, 0]);
    expect(m.typeofIsString()).toBe(1);
  });

  it("returns the same string for every use of a literal", () => {
    expect(m.sameObjectTwice()).toBe(1);
  });

  it("keeps a literal's string through collections", () => {
    expect(m.survivesCollection()).toBe(1);
    expect(text(m.ascii())).toBe("getwild pooled ascii literal");
  });
});

describe("module bytes", () => {
  it("stores a pooled literal once, coded, and no UTF-16 copy", () => {
    const pooled = readFileSync(RELEASE);
    expect(contains(pooled, "getwild pooled ascii literal", "utf16le")).toBe(false);
    expect(contains(pooled, "default parameter", "utf16le")).toBe(false);
    // Non-ASCII text is stored as UTF-8.
    expect(contains(pooled, "caf\u00e9 \u2615 \ud834\udd1e", "utf8")).toBe(true);
    expect(contains(pooled, LONG_NON_ASCII, "utf8")).toBe(true);
    // A @lazy string table is built by a generated function from pooled literals.
    expect(contains(pooled, "gamma", "utf16le")).toBe(false);
    // Kept static on purpose: root ids stay findable as text, and a lone surrogate has no UTF-8 form.
    expect(contains(pooled, "fixture given root id", "utf16le")).toBe(true);
    expect(contains(pooled, "fixture default root id", "utf16le")).toBe(true);
    expect(contains(pooled, "lone \ud800 surrogate", "utf16le")).toBe(true);
  });

  it("stores a piece that recurs across literals once, in the dictionary", () => {
    const occurrences = (bytes: Buffer, piece: string) => bytes.toString("latin1").split(piece).length - 1;
    expect(occurrences(readFileSync(RELEASE), "shared dictionar")).toBeLessThanOrEqual(1);
    const utf16 = Buffer.from("shared dictionar", "utf16le").toString("latin1");
    expect(occurrences(readFileSync(UNPOOLED), utf16)).toBe(4);
  });

  it("keeps core's abort handler texts static (it must not allocate when it runs)", () => {
    expect(contains(readFileSync(RELEASE), "abort: ", "utf16le")).toBe(true);
  });

  it("leaves nothing of a literal that only dead code uses", () => {
    const pooled = readFileSync(RELEASE);
    expect(contains(pooled, "getwild dead literal marker", "utf8")).toBe(false);
    expect(contains(pooled, "getwild dead literal marker", "utf16le")).toBe(false);
  });

  it("differs from the GETWILD_LITERAL_POOL=0 build, which keeps UTF-16 static strings", () => {
    const unpooled = readFileSync(UNPOOLED);
    expect(contains(unpooled, "getwild pooled ascii literal", "utf16le")).toBe(true);
    expect(contains(unpooled, "default parameter", "utf16le")).toBe(true);
  });
});
