// SPDX-License-Identifier: Apache-2.0
// Load validation against cpp-host's rules and messages, on hand-assembled binaries and compiled raw AssemblyScript modules.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { validateModule, createHost } from "../src/index.js";
import { buildModule, minimalFuncs, s } from "./wasm_builder.js";
import { fixturePath } from "./paths.js";

describe("validateModule on hand-assembled modules", () => {
  it("accepts the minimal module and reports its imports and exports", () => {
    const bytes = buildModule({
      imports: [{ module: "env", name: "proxy_log", sig: s("i32 i32 i32", "i32") }],
      funcs: minimalFuncs,
    });
    const r = validateModule(bytes);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.abiVersion).toBe("0.2.1");
    expect(r.imports).toEqual([
      { module: "env", name: "proxy_log", kind: "function", signature: "i32 i32 i32 -> i32", provided: true },
    ]);
    expect(r.exports.map((e) => e.name)).toEqual(["proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "memory"]);
  });

  it("refuses a module without the ABI marker", () => {
    const r = validateModule(buildModule({ funcs: [minimalFuncs[1]!] }));
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toBe("Missing or unknown Proxy-Wasm ABI version");
  });

  it("refuses a stray import with Envoy's message", () => {
    const bytes = buildModule({
      imports: [{ module: "env", name: "abort", sig: s("i32 i32 i32 i32") }],
      funcs: minimalFuncs,
    });
    expect(validateModule(bytes).errors).toEqual(["Failed to load Wasm module due to a missing import: env.abort"]);
  });

  it("refuses 0.1.0-only imports in a 0.2.1 module", () => {
    const bytes = buildModule({
      imports: [{ module: "env", name: "proxy_get_configuration", sig: s("i32 i32", "i32") }],
      funcs: minimalFuncs,
    });
    expect(validateModule(bytes).errors).toEqual([
      "Failed to load Wasm module due to a missing import: env.proxy_get_configuration",
    ]);
  });

  it("refuses an import with the wrong type, printing both signatures like cpp-host", () => {
    const bytes = buildModule({
      imports: [{ module: "env", name: "proxy_increment_metric", sig: s("i32 i32", "i32") }],
      funcs: minimalFuncs,
    });
    expect(validateModule(bytes).errors).toEqual([
      "Failed to load Wasm module due to an import type mismatch: env.proxy_increment_metric, want: i32 i32 -> i32, but host exports: i32 i64 -> i32",
    ]);
  });

  it("links the WASI set of Envoy 1.40 by default, and the older stable set (no poll_oneoff) on request", () => {
    const clock = { module: "wasi_unstable", name: "clock_time_get", sig: s("i32 i64 i32", "i32") };
    const poll = { module: "wasi_snapshot_preview1", name: "poll_oneoff", sig: s("i32 i32 i32 i32", "i32") };
    expect(validateModule(buildModule({ imports: [clock], funcs: minimalFuncs })).ok).toBe(true);
    const bytes = buildModule({ imports: [poll], funcs: minimalFuncs });
    expect(validateModule(bytes, { wasi: "stable" }).errors).toEqual([
      "Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.poll_oneoff",
    ]);
    expect(validateModule(bytes).ok).toBe(true);
    expect(validateModule(bytes, { wasi: "cpp-host-head" }).ok).toBe(true);
  });

  it("refuses a callback export with the wrong signature", () => {
    const bytes = buildModule({
      funcs: [...minimalFuncs, { export: "proxy_on_request_headers", sig: s("i32 i32", "i32") }],
    });
    expect(validateModule(bytes).errors).toEqual([
      "Bad function signature for: proxy_on_request_headers, want: i32 i32 i32 -> i32, but the module exports: i32 i32 -> i32",
    ]);
  });

  it("refuses a module without malloc or proxy_on_memory_allocate", () => {
    const r = validateModule(buildModule({ funcs: [minimalFuncs[0]!] }));
    expect(r.errors).toEqual(["Wasm module is missing malloc function."]);
    const withMalloc = buildModule({ funcs: [minimalFuncs[0]!, { export: "malloc", sig: s("i32", "i32") }] });
    expect(validateModule(withMalloc).ok).toBe(true);
  });

  it("never throws on malformed bytes", () => {
    const good = buildModule({ funcs: minimalFuncs });
    const cases: Uint8Array[] = [new Uint8Array(0), new Uint8Array([0, 0x61, 0x73]), good.subarray(0, good.length - 3)];
    for (let i = 0; i < 300; i++) {
      const bad = good.slice();
      const at = 8 + ((i * 7919) % (bad.length - 8));
      bad[at] = (bad[at]! + 1 + (i % 255)) & 0xff;
      cases.push(bad);
    }
    const oversized = good.slice();
    oversized[9] = 0xff; // type section size runs past the end
    cases.push(oversized);
    for (const c of cases) {
      const r = validateModule(c);
      expect(typeof r.ok).toBe("boolean");
      if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
    }
    expect(validateModule(new Uint8Array(0)).errors[0]).toMatch(/^Failed to parse corrupted Wasm module/);
  });
});

describe("validateModule on compiled raw AssemblyScript modules", () => {
  it("refuses the implicit env.abort import that asc emits by default", () => {
    const r = validateModule(readFileSync(fixturePath("raw_abort")));
    expect(r.errors).toEqual(["Failed to load Wasm module due to a missing import: env.abort"]);
  });

  it("refuses a wrong-typed @external declaration", () => {
    const r = validateModule(readFileSync(fixturePath("raw_bad_import_type")));
    expect(r.errors[0]).toBe(
      "Failed to load Wasm module due to an import type mismatch: env.proxy_log, want: i32 i32 -> i32, but host exports: i32 i32 i32 -> i32",
    );
  });

  it("refuses a wrong-typed callback export", () => {
    const r = validateModule(readFileSync(fixturePath("raw_bad_export")));
    expect(r.errors).toEqual([
      "Bad function signature for: proxy_on_configure, want: i32 i32 -> i32, but the module exports: i32 -> i32",
    ]);
  });

  it("createHost rejects an invalid module with the first Envoy message", async () => {
    await expect(createHost({ wasm: fixturePath("raw_abort") })).rejects.toThrow(
      "Failed to load Wasm module due to a missing import: env.abort",
    );
  });
});
