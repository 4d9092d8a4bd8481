// SPDX-License-Identifier: Apache-2.0
// Memory hand-off through a raw module: bounds checks, views refreshed after growth, empty values, i64 as BigInt, WASI stdio.
import { describe, expect, it } from "vitest";
import { createHost } from "../src/index.js";
import { fixturePath } from "./paths.js";

describe("memory hand-off", async () => {
  const host = await createHost({ wasm: fixturePath("raw_memory"), rootId: "mem", canary: false });
  const info = host.logs("info");

  it("calls main(0, 0) after _initialize, before the root context exists", () => {
    expect(info[0]).toBe("main ran argc=0");
  });

  it("answers INVALID_MEMORY_ACCESS (6) for pointers past the end of memory", () => {
    expect(info).toContain("oob_log=6 oob_out=6");
  });

  it("writes into memory grown by the guest (views are refreshed)", () => {
    expect(info).toContain("grown=0 value=mem");
  });

  it("accepts property paths with a trailing NUL", () => {
    expect(info).toContain("trailing_nul=0 value=mem");
  });

  it("returns ptr 0 / size 0 for an empty value without calling the allocator", () => {
    expect(info).toContain("empty=0 ptr=0 size=0");
  });

  it("passes i64 metric deltas beyond 32 bits", () => {
    // The first gauge of a VM gets id 5: the metric type sits in the low two bits and ids advance by 4
    // before each definition (Envoy, tests/envoy differential row metrics).
    expect(info).toContain("gauge=5000000000 gauge_id=5");
    expect(host.metric("big")).toBe(5_000_000_000);
  });

  it("maps fd_write 1/2 to info/error logs without the newline, EBADF otherwise, and proc_exit does not stop", () => {
    expect(info).toContain("to stdout");
    expect(host.logs("error")).toEqual(["to stderr"]);
    expect(info).toContain("fd_write=0,0,8 after_exit");
  });

  it("links gRPC calls: unknown cluster PARSE_FAILURE (4), like Envoy; real calls are not emulated", () => {
    expect(info).toContain("grpc_call=4");
  });
});

describe("imported memory", () => {
  it("creates the memory a module imports and hands values through it", async () => {
    const host = await createHost({ wasm: fixturePath("raw_import_memory"), name: "imp", canary: false });
    expect(host.validation.imports.find((i) => i.kind === "memory")).toMatchObject({
      module: "env",
      name: "memory",
      provided: true,
    });
    expect(host.logs("info")).toEqual(["imported_memory status=0 name=imp"]);
    expect(host.memoryBytes()).toBeGreaterThanOrEqual(2 * 65536);
  });
});
