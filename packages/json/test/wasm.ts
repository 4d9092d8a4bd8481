// SPDX-License-Identifier: Apache-2.0
// Loads a build of the fixture with @assemblyscript/loader and moves strings and bytes in and out.
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import loader from "@assemblyscript/loader";

export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURE = join("test", "fixtures", "json_reader.ts");
/** Builds every test runs against (TARGETS=release to skip debug). */
export const targets = process.env.TARGETS?.split(",") ?? ["release", "debug"];

export interface Exports {
  jsonParse(input: number, maxBytes: number, maxDepth: number, maxValues: number): number;
  jsonLastOffset(): number;
  jsonLastCanonical(): number;
  jsonLastPath(path: number): number;
  readSample(text: number): number;
  sampleErrorCount(): number;
}

export interface Fixture {
  target: string;
  /** Parses bytes or text with the given limits; returns the JsonError code. */
  parse(input: string | Uint8Array, maxBytes?: number, maxDepth?: number, maxValues?: number): number;
  offset(): number;
  canonical(): string;
  path(p: string): string;
  /** The sample configuration's verdict: "ok ..." or the refusal line. */
  readSample(text: string): string;
  errorCount(): number;
}

export function loadFixture(target: string): Fixture {
  const file = target === "release" ? "json_reader.wasm" : `json_reader.${target}.wasm`;
  const { exports: e } = loader.instantiateSync<Exports>(readFileSync(join(packageRoot, "build", "test", file)), {
    env: {
      abort(msg: number, fileName: number, line: number, col: number) {
        throw new Error(
          `wasm abort: ${msg ? e.__getString(msg) : "?"} at ${fileName ? e.__getString(fileName) : "?"}:${line}:${col}`,
        );
      },
    },
  });
  // The release flags leave top-level initialisers to `_initialize` (a proxy-wasm host calls it first).
  (e as unknown as { _initialize?: () => void })._initialize?.();
  const str = (s: string) => e.__pin(e.__newString(s));
  const text = (ptr: number) => e.__getString(ptr);
  return {
    target,
    parse(input, maxBytes = 16384, maxDepth = 16, maxValues = 4096) {
      const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
      const ptr = e.__pin(e.__newArrayBuffer(bytes));
      try {
        return e.jsonParse(ptr, maxBytes, maxDepth, maxValues);
      } finally {
        e.__unpin(ptr);
      }
    },
    offset: () => e.jsonLastOffset(),
    canonical: () => text(e.jsonLastCanonical()),
    path(p) {
      const ptr = str(p);
      try {
        return text(e.jsonLastPath(ptr));
      } finally {
        e.__unpin(ptr);
      }
    },
    readSample(t) {
      const ptr = str(t);
      try {
        return text(e.readSample(ptr));
      } finally {
        e.__unpin(ptr);
      }
    },
    errorCount: () => e.sampleErrorCount(),
  };
}
