// SPDX-License-Identifier: Apache-2.0
// The deploy tools are part of the public API (@getwild/host's index): module checks and OCI images of a compiled filter.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import * as host from "../src/index.js";
import { FILTER } from "./helpers.js";

describe("@getwild/host exports the deploy tools", () => {
  const wasm = new Uint8Array(readFileSync(FILTER));

  it("checkModule/formatCheck report the compiled filter as Envoy would load it; corrupt bytes are refused", () => {
    const report: host.CheckReport = host.checkModule("filter.wasm", wasm);
    expect(report.ok).toBe(true);
    expect(report.sizeBytes).toBe(wasm.length);
    expect(report.abiVersion).toBe("0.2.1");
    expect(host.formatCheck(report)).toContain("proxy_on_request_headers");
    const bad = host.checkModule("bad.wasm", wasm.slice(0, 20));
    expect(bad.ok).toBe(false);
    expect(bad.errors[0]!.startsWith(host.MSG_CORRUPTED)).toBe(true);
    expect(host.importHints(bad)).toEqual([]);
    expect(typeof host.runCheck).toBe("function");
    expect(typeof host.runOci).toBe("function");
    expect(host.CHECK_USAGE).toMatch(/^Usage: getwild check/);
  });

  it("buildOciImage packs the compiled filter reproducibly, blobs addressed by their sha256", () => {
    const image: host.OciImage = host.buildOciImage(wasm, { tag: "v1" });
    for (const [digest, bytes] of image.blobs) expect(digest).toBe(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
    expect(image.layer.mediaType).toBe(host.MEDIA_TYPE.layer);
    const tar = gunzipSync(image.blobs.get(image.layer.digest)!);
    // The tar holds plugin.wasm (name at offset 0) with the module's exact bytes after the 512-byte header.
    expect(tar.subarray(0, host.PLUGIN_FILE.length).toString()).toBe(host.PLUGIN_FILE);
    expect(Buffer.compare(tar.subarray(512, 512 + wasm.length), Buffer.from(wasm))).toBe(0);
    const manifest = JSON.parse(new TextDecoder().decode(image.blobs.get(image.manifest.digest)!));
    expect(manifest.annotations[host.VARIANT_ANNOTATION]).toBe("compat");
    const index = JSON.parse(new TextDecoder().decode(image.index));
    expect(index.manifests[0].annotations[host.REF_NAME_ANNOTATION]).toBe("v1");
    expect(host.buildOciImage(wasm, { tag: "v1" }).manifest.digest).toBe(image.manifest.digest);
    const entries: host.TarEntry[] = host.layoutEntries(image);
    expect(entries.map((e) => e.name)).toContain(`blobs/sha256/${image.layer.digest.slice(7)}`);
  });
});
