// SPDX-License-Identifier: Apache-2.0
// `getwild oci`: the compat-variant Wasm OCI image, checked with GNU tar and gzip as independent readers: layout, digests, sizes, media types, determinism.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { runOci, writeTar, type CommandIo } from "../src/cli/deploy/index.js";
import { buildModule, minimalFuncs } from "./wasm_builder.js";
import { FILTER } from "./helpers.js";

const quiet = (): CommandIo & { stdout: string[]; stderr: string[] } => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
};
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const tar = (...args: string[]) => execFileSync("tar", args, { encoding: "utf8" });
/** skopeo (containers/image) is an independent OCI implementation; Debian: apt-get install skopeo. */
const hasSkopeo = spawnSync("skopeo", ["--version"]).status === 0;

let dir: string;
let n = 0;
const fresh = (name: string) => {
  const path = join(dir, `${n++}-${name}`);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "getwild-oci-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads an OCI layout folder the way a registry client would: index → manifest → config and layer. */
function readLayout(root: string) {
  const blob = (digest: string) => {
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const bytes = readFileSync(join(root, "blobs", "sha256", digest.slice(7)));
    expect(`sha256:${sha256(bytes)}`, "blob content matches its name").toBe(digest);
    return bytes;
  };
  const ociLayout = JSON.parse(readFileSync(join(root, "oci-layout"), "utf8"));
  const index = JSON.parse(readFileSync(join(root, "index.json"), "utf8"));
  expect(index.manifests).toHaveLength(1);
  const manifestBytes = blob(index.manifests[0].digest);
  expect(manifestBytes.length).toBe(index.manifests[0].size);
  const manifest = JSON.parse(manifestBytes.toString("utf8"));
  const configBytes = blob(manifest.config.digest);
  expect(configBytes.length).toBe(manifest.config.size);
  expect(manifest.layers).toHaveLength(1);
  const layerBytes = blob(manifest.layers[0].digest);
  expect(layerBytes.length).toBe(manifest.layers[0].size);
  const blobs = readdirSync(join(root, "blobs", "sha256")).sort();
  return { ociLayout, index, manifest, config: JSON.parse(configBytes.toString("utf8")), layerBytes, blobs };
}

describe("getwild oci", () => {
  const wasm = () => new Uint8Array(readFileSync(FILTER));

  it("writes an OCI image layout tar that GNU tar reads, with the compat variant's media types and annotation", async () => {
    const out = fresh("image.tar");
    const io = quiet();
    expect(await runOci([FILTER, "-o", out, "--tag", "0.1.0"], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    const listing = tar("-tf", out).trim().split("\n");
    expect(listing.slice(0, 4)).toEqual(["oci-layout", "index.json", "blobs/", "blobs/sha256/"]);
    expect(listing).toHaveLength(7);

    const root = fresh("extracted");
    mkdirSync(root);
    tar("-xf", out, "-C", root);
    const { ociLayout, index, manifest, config, layerBytes, blobs } = readLayout(root);
    expect(ociLayout).toEqual({ imageLayoutVersion: "1.0.0" });
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(index.manifests[0].mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(index.manifests[0].annotations).toEqual({ "org.opencontainers.image.ref.name": "0.1.0" });
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(manifest.config.mediaType).toBe("application/vnd.oci.image.config.v1+json");
    expect(manifest.layers[0].mediaType).toBe("application/vnd.oci.image.layer.v1.tar+gzip");
    expect(manifest.annotations).toEqual({ "module.wasm.image/variant": "compat" });
    expect(blobs).toEqual(
      [index.manifests[0].digest, manifest.config.digest, manifest.layers[0].digest]
        .map((d: string) => d.slice(7))
        .sort(),
    );

    // The layer: gzip → a tar with exactly plugin.wasm, byte-identical to the module.
    const layerPath = join(root, "layer.tar.gz");
    writeFileSync(layerPath, layerBytes);
    execFileSync("gzip", ["-t", layerPath]);
    // gzip header: magic, deflate, no flags (no file name), mtime 0, OS 3 (Unix) on every platform
    expect([...layerBytes.subarray(0, 4), ...layerBytes.subarray(4, 8), layerBytes[9]]).toEqual([
      0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 3,
    ]);
    expect(tar("-tzf", layerPath).trim().split("\n")).toEqual(["plugin.wasm"]);
    const layerOut = join(root, "layer");
    mkdirSync(layerOut);
    tar("-xzf", layerPath, "-C", layerOut);
    expect(Buffer.compare(readFileSync(join(layerOut, "plugin.wasm")), Buffer.from(wasm()))).toBe(0);
    // The config's diff_id is the digest of the uncompressed layer.
    expect(config.rootfs).toEqual({ type: "layers", diff_ids: [`sha256:${sha256(gunzipSync(layerBytes))}`] });
    expect(typeof config.architecture).toBe("string");
    expect(typeof config.os).toBe("string");
    expect(io.stdout.join("\n")).toContain(manifest.layers[0].digest);
  });

  it("gives the same bytes every time (fixed mtimes and owners, no gzip timestamp)", async () => {
    const a = fresh("a.tar");
    const b = fresh("b.tar");
    expect(await runOci([FILTER, "-o", a], quiet())).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // a clock second later
    expect(await runOci([FILTER, "-o", b], quiet())).toBe(0);
    expect(sha256(readFileSync(a))).toBe(sha256(readFileSync(b)));
    const verbose = tar("-tvf", a);
    expect(verbose).toContain("root/root");
    expect(verbose).toContain("1970-01-01");
  });

  it("changes only index.json with the tag; the manifest digest is the module's", async () => {
    const [x, y] = [fresh("x"), fresh("y")];
    await runOci([FILTER, "-o", `${x}/`], quiet());
    await runOci([FILTER, "-o", `${y}/`, "--tag", "v2"], quiet());
    const lx = readLayout(x);
    const ly = readLayout(y);
    expect(lx.index.manifests[0].digest).toBe(ly.index.manifests[0].digest);
    expect(lx.index.manifests[0].annotations["org.opencontainers.image.ref.name"]).toBe("latest");
    expect(ly.index.manifests[0].annotations["org.opencontainers.image.ref.name"]).toBe("v2");
  });

  it("writes the same layout as a folder (trailing / or an existing folder)", async () => {
    const tarFile = fresh("same.tar");
    await runOci([FILTER, "-o", tarFile], quiet());
    const fromTar = fresh("from-tar");
    mkdirSync(fromTar);
    tar("-xf", tarFile, "-C", fromTar);
    const existing = fresh("existing");
    mkdirSync(existing);
    expect(await runOci([FILTER, "-o", existing], quiet())).toBe(0);
    for (const name of [
      "oci-layout",
      "index.json",
      ...readdirSync(join(fromTar, "blobs", "sha256")).map((b) => `blobs/sha256/${b}`),
    ]) {
      expect(Buffer.compare(readFileSync(join(existing, name)), readFileSync(join(fromTar, name))), name).toBe(0);
    }
  });

  it.skipIf(!hasSkopeo)(
    "is read by skopeo as an archive and as a folder, and copies with its digests verified",
    async () => {
      const archive = fresh("skopeo.tar");
      const folder = fresh("skopeo-layout");
      await runOci([FILTER, "-o", archive, "--tag", "1.2.3"], quiet());
      await runOci([FILTER, "-o", `${folder}/`, "--tag", "1.2.3"], quiet());
      for (const ref of [`oci-archive:${archive}:1.2.3`, `oci:${folder}:1.2.3`]) {
        const raw = JSON.parse(execFileSync("skopeo", ["inspect", "--raw", ref], { encoding: "utf8" }));
        expect(raw.annotations).toEqual({ "module.wasm.image/variant": "compat" });
        expect(raw.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
          "application/vnd.oci.image.layer.v1.tar+gzip",
        ]);
      }
      const copy = fresh("skopeo-copy");
      execFileSync("skopeo", ["copy", "--quiet", `oci-archive:${archive}:1.2.3`, `dir:${copy}`]);
      const manifest = JSON.parse(readFileSync(join(copy, "manifest.json"), "utf8"));
      const layer = readFileSync(join(copy, manifest.layers[0].digest.slice(7)));
      const out = fresh("skopeo-layer");
      mkdirSync(out);
      writeFileSync(join(out, "layer.tgz"), layer);
      tar("-xzf", join(out, "layer.tgz"), "-C", out);
      expect(Buffer.compare(readFileSync(join(out, "plugin.wasm")), Buffer.from(wasm()))).toBe(0);
    },
  );

  it("does not package a module Envoy would refuse (exit 4, nothing written)", async () => {
    const bad = fresh("bad.wasm");
    writeFileSync(bad, buildModule({ funcs: [minimalFuncs[1]!] }));
    const out = fresh("bad.tar");
    const io = quiet();
    expect(await runOci([bad, "-o", out], io)).toBe(4);
    expect(io.stderr[0]).toBe("error: Missing or unknown Proxy-Wasm ABI version");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 1 when the output cannot be written", async () => {
    const io = quiet();
    expect(await runOci([FILTER, "-o", join(FILTER, "image.tar")], io)).toBe(1);
    expect(io.stderr[0]).toContain("cannot write");
  });

  it("exits 2 on bad arguments and 3 on a missing module", async () => {
    for (const argv of [
      [FILTER],
      ["-o", "x.tar"],
      [FILTER, "-o", "x.tar", "--tag", "no spaces"],
      [FILTER, "-o", "x.tar", "--what"],
    ]) {
      const io = quiet();
      expect(await runOci(argv, io), argv.join(" ")).toBe(2);
      expect(io.stderr.join("\n")).toContain("Usage: getwild oci");
    }
    expect(await runOci([join(dir, "missing.wasm"), "-o", fresh("m.tar")], quiet())).toBe(3);
  });
});

describe("ustar writer", () => {
  it("round-trips through GNU tar: long paths (prefix field), empty and block-sized files, modes", () => {
    const long = `${"d".repeat(90)}/${"e".repeat(60)}/file-with-a-long-name-${"f".repeat(40)}.bin`;
    const files = [
      { name: "empty", data: new Uint8Array(0) },
      { name: "exact-block", data: new Uint8Array(512).fill(7) },
      { name: "odd", data: new Uint8Array(513).fill(9), mode: 0o600 },
      { name: long, data: new TextEncoder().encode("deep") },
    ];
    const archive = fresh("u.tar");
    writeFileSync(archive, writeTar(files));
    expect(tar("-tf", archive).trim().split("\n")).toEqual(files.map((f) => f.name));
    const out = fresh("u");
    mkdirSync(out);
    tar("-xf", archive, "-C", out);
    for (const f of files) expect(Buffer.compare(readFileSync(join(out, f.name)), Buffer.from(f.data)), f.name).toBe(0);
    expect(tar("-tvf", archive)).toMatch(/^-rw------- .* odd$/m);
  });

  it("refuses a path that no ustar header can hold", () => {
    expect(() => writeTar([{ name: "x".repeat(101), data: new Uint8Array(1) }])).toThrow("path too long");
  });
});
