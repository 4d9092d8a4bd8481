// SPDX-License-Identifier: Apache-2.0
// The deploy tools are public API from their own subpath (@getwild/host/deploy), not the package root:
// module checks and OCI images of a compiled filter.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import * as host from "../src/index.js";
import * as deploy from "../src/cli/deploy/index.js";
import { join } from "node:path";
import { FILTER } from "./helpers.js";

describe("@getwild/host/deploy exports the deploy tools", () => {
  it("is a subpath of its own, built from src/cli/deploy; the package root does not carry them", () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"));
    expect(manifest.exports["./deploy"]).toEqual({
      types: "./dist/deploy.d.ts",
      import: "./dist/deploy.js",
      require: "./dist/deploy.cjs",
    });
    const tsup = readFileSync(join(import.meta.dirname, "..", "tsup.config.ts"), "utf8");
    expect(tsup).toContain('deploy: "src/cli/deploy/index.ts"');
    for (const name of ["runCheck", "runOci", "checkModule", "buildOciImage", "ExitCode"])
      expect(name in host, name).toBe(false);
  });

  const wasm = new Uint8Array(readFileSync(FILTER));

  it("checkModule/formatCheck report the compiled filter as Envoy would load it; corrupt bytes are refused", () => {
    const report: deploy.CheckReport = deploy.checkModule("filter.wasm", wasm);
    expect(report.ok).toBe(true);
    expect(report.sizeBytes).toBe(wasm.length);
    expect(report.abiVersion).toBe("0.2.1");
    expect(deploy.formatCheck(report)).toContain("proxy_on_request_headers");
    const bad = deploy.checkModule("bad.wasm", wasm.slice(0, 20));
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]!.startsWith(host.MSG_CORRUPTED)).toBe(true);
    expect(deploy.importHints(bad)).toEqual([]);
    expect(typeof deploy.runCheck).toBe("function");
    expect(typeof deploy.runOci).toBe("function");
    expect(deploy.CHECK_USAGE).toMatch(/^Usage: getwild check/);
  });

  it("buildOciImage packs the compiled filter reproducibly, blobs addressed by their sha256", () => {
    const image: deploy.OciImage = deploy.buildOciImage(wasm, { tag: "v1" });
    for (const [digest, bytes] of image.blobs)
      expect(digest).toBe(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
    expect(image.layer.mediaType).toBe(deploy.MEDIA_TYPE.layer);
    const tar = gunzipSync(image.blobs.get(image.layer.digest)!);
    // The tar holds plugin.wasm (name at offset 0) with the module's exact bytes after the 512-byte header.
    expect(tar.subarray(0, deploy.PLUGIN_FILE.length).toString()).toBe(deploy.PLUGIN_FILE);
    expect(Buffer.compare(tar.subarray(512, 512 + wasm.length), Buffer.from(wasm))).toBe(0);
    const manifest = JSON.parse(new TextDecoder().decode(image.blobs.get(image.manifest.digest)!));
    expect(manifest.annotations[deploy.VARIANT_ANNOTATION]).toBe("compat");
    const index = JSON.parse(new TextDecoder().decode(image.index));
    expect(index.manifests[0].annotations[deploy.REF_NAME_ANNOTATION]).toBe("v1");
    expect(deploy.buildOciImage(wasm, { tag: "v1" }).manifest.digest).toBe(image.manifest.digest);
    const entries: deploy.TarEntry[] = deploy.layoutEntries(image);
    expect(entries.map((e) => e.name)).toContain(`blobs/sha256/${image.layer.digest.slice(7)}`);
  });
});
