// SPDX-License-Identifier: Apache-2.0
// `getwild check`: the host's load validation on a file, its report (size, imports, exports) and exit codes with Envoy's messages.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheck, type CommandIo } from "../src/cli/deploy/index.js";
import { validateModule } from "../src/validate.js";
import { buildModule, minimalFuncs, s } from "./wasm_builder.js";
import { FILTER } from "./helpers.js";

function capture(): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

let dir: string;
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "getwild-check-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("getwild check", () => {
  it("passes a compiled filter: exit 0, size, every import and export with its signature", async () => {
    const io = capture();
    expect(await runCheck([FILTER], io)).toBe(0);
    const bytes = readFileSync(FILTER);
    const expected = validateModule(bytes);
    const text = io.stdout.join("\n");
    expect(text).toContain(`${FILTER}: ${bytes.length} bytes, proxy-wasm ABI 0.2.1`);
    expect(text).toContain(`imports (${expected.imports.length}):`);
    expect(text).toContain(`exports (${expected.exports.length}):`);
    for (const imp of expected.imports)
      expect(text).toMatch(new RegExp(`\\s${imp.module}\\.${imp.name}\\s+${imp.signature}`));
    for (const exp of expected.exports)
      expect(text).toMatch(new RegExp(`\\s${exp.name}\\s+${exp.signature ?? exp.kind}`));
    expect(text).toContain("OK: Envoy would load this module");
    expect(io.stderr).toEqual([]);
  });

  it("reports exactly what the host's validator reports, as JSON with --json", async () => {
    const io = capture();
    expect(await runCheck(["--json", FILTER], io)).toBe(0);
    const report = JSON.parse(io.stdout.join("\n"));
    expect(report).toEqual({
      file: FILTER,
      sizeBytes: readFileSync(FILTER).length,
      ...validateModule(readFileSync(FILTER)),
    });
  });

  it.each([
    ["no ABI marker", { funcs: [minimalFuncs[1]!] }, "Missing or unknown Proxy-Wasm ABI version"],
    ["no allocator", { funcs: [minimalFuncs[0]!] }, "Wasm module is missing malloc function."],
    [
      "AssemblyScript's env.abort",
      { imports: [{ module: "env", name: "abort", sig: s("i32 i32 i32 i32") }], funcs: minimalFuncs },
      "Failed to load Wasm module due to a missing import: env.abort",
    ],
    [
      "proxy_log with a wrong type",
      { imports: [{ module: "env", name: "proxy_log", sig: s("i32 i32", "i32") }], funcs: minimalFuncs },
      "Failed to load Wasm module due to an import type mismatch: env.proxy_log",
    ],
    [
      "a callback with a wrong signature",
      { funcs: [...minimalFuncs, { export: "proxy_on_request_headers", sig: s("i32 i32", "i32") }] },
      "Bad function signature for: proxy_on_request_headers",
    ],
  ])("refuses a module with %s: exit 4 and Envoy's message", async (_what, spec, message) => {
    const path = write("bad.wasm", buildModule(spec));
    const io = capture();
    expect(await runCheck([path], io)).toBe(4);
    expect(io.stderr[0]).toContain(`error: ${message}`);
    expect(io.stdout.join("\n")).toContain("REFUSED");
    // the same verdict as the host's validator (what createHost refuses)
    expect(validateModule(readFileSync(path)).errors[0]).toContain(message);
  });

  it("marks the import Envoy lacks", async () => {
    const path = write(
      "abort.wasm",
      buildModule({ imports: [{ module: "env", name: "abort", sig: s("i32 i32 i32 i32") }], funcs: minimalFuncs }),
    );
    const io = capture();
    await runCheck([path], io);
    expect(io.stdout.join("\n")).toMatch(/✗ env\.abort\s+i32 i32 i32 i32/);
    expect(io.stdout.join("\n")).not.toMatch(/✗ env\.proxy/);
    expect(io.stderr).toContain(
      'hint: env.abort: asc emits it for throw/assert/bounds checks: extend "@getwild/core/asconfig.base.json" (its `use: abort=...` replaces it)',
    );
  });

  it("links Envoy 1.40's WASI set by default (a Go SDK import such as sched_yield passes); --wasi stable refuses it as Envoy before 1.33 does", async () => {
    const path = write(
      "go_sdk_import.wasm",
      buildModule({
        imports: [{ module: "wasi_snapshot_preview1", name: "sched_yield", sig: s("", "i32") }],
        funcs: minimalFuncs,
      }),
    );
    expect(await runCheck([path], capture())).toBe(0);
    const stable = capture();
    expect(await runCheck([path, "--wasi", "stable"], stable)).toBe(4);
    expect(stable.stderr[0]).toBe(
      "error: Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.sched_yield",
    );
  });

  it("refuses bytes that are not wasm with Envoy's parse message", async () => {
    const path = write("junk.wasm", new TextEncoder().encode("not a module"));
    const io = capture();
    expect(await runCheck([path], io)).toBe(4);
    expect(io.stderr[0]).toContain("error: Failed to parse corrupted Wasm module");
  });

  it("exits 3 for a missing file and 2 for bad arguments", async () => {
    const missing = capture();
    expect(await runCheck([join(dir, "nope.wasm")], missing)).toBe(3);
    expect(missing.stderr[0]).toContain("no such file");
    for (const argv of [[], ["a.wasm", "b.wasm"], ["--bogus", FILTER], ["--wasi", "preview2", FILTER]]) {
      const io = capture();
      expect(await runCheck(argv, io), argv.join(" ")).toBe(2);
      expect(io.stderr.join("\n")).toContain("Usage: getwild check");
    }
    const help = capture();
    expect(await runCheck(["--help"], help)).toBe(0);
    expect(help.stdout[0]).toContain("Usage: getwild check");
  });
});
