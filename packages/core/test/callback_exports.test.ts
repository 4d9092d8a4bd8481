// SPDX-License-Identifier: Apache-2.0
// A filter may export only the callbacks its hooks need (assembly/callbacks/*); core's build check
// (transform/callback_exports.mjs) refuses a build where a hook has no exported callback, since asc
// would drop that override silently and Envoy would never call it.
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { buildFilter, createHost } from "@getwild/host";
import { packageRoot } from "./compile.mjs";

// The check runs through asconfig.base.json's `transform`, as in every filter build.
async function build(fixture: string, outFile: string): Promise<string> {
  const [written] = await buildFilter({
    cwd: packageRoot,
    entry: join("test", "fixtures", "callbacks", `${fixture}.ts`),
    outFile,
    asconfig: "asconfig.base.json",
    use: ["abort=assembly/abort/coreAbort"],
  });
  return written!;
}

function exportNames(file: string): string[] {
  return WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(file))).map((e) => e.name);
}

describe("callbacks a filter exports", () => {
  it("a build exporting a hook's callback has exactly the chosen callbacks, and the hook runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "core-callbacks-"));
    try {
      const file = await build("chosen", join(dir, "chosen.wasm"));
      expect(
        exportNames(file)
          .filter((n) => n.startsWith("proxy_"))
          .sort(),
      ).toEqual(
        [
          "proxy_abi_version_0_2_1",
          "proxy_on_configure",
          "proxy_on_context_create",
          "proxy_on_delete",
          "proxy_on_memory_allocate",
          "proxy_on_response_headers",
          "proxy_on_vm_start",
        ].sort(),
      );
      const host = await createHost({ wasm: file });
      const reply = await host.request({}, { status: 200 });
      expect(reply.headers.get("chosen")).toBe("yes");
      host.close();
      expect(host.failures).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a hook without its callback fails the build, naming the class, the hook and the module to re-export", async () => {
    const dir = mkdtempSync(join(tmpdir(), "core-callbacks-"));
    try {
      const failure = build("missing", join(dir, "missing.wasm"));
      await expect(failure).rejects.toThrow(/Chosen overrides onResponseHeaders.*proxy_on_response_headers/);
      await expect(failure).rejects.toThrow(/ChosenRoot overrides onTick.*callbacks\/tick"/);
      await expect(failure).rejects.toThrow(/Reply overrides onHttpCallResponse.*callbacks\/http_call_response"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("core's exports.ts still exports every callback the SDK implements", () => {
    const text = readFileSync(join(packageRoot, "assembly", "exports.ts"), "utf8");
    const modules = [...text.matchAll(/export \* from "\.\/callbacks\/(\w+)";/g)].map((m) => m[1]);
    expect(modules.sort()).toEqual(
      [
        "done",
        "foreign_function",
        "http_call_response",
        "log",
        "queue_ready",
        "request_body",
        "request_headers",
        "request_trailers",
        "required",
        "response_body",
        "response_headers",
        "response_trailers",
        "tick",
      ].sort(),
    );
  });
});
