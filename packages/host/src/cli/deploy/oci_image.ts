// SPDX-License-Identifier: Apache-2.0
// A Wasm OCI image in the "compat" variant (one tar+gzip layer holding plugin.wasm, manifest annotation
// module.wasm.image/variant=compat) as an OCI image layout: blobs by sha256 digest, index.json, oci-layout.
import { createHash } from "node:crypto";
import { gzipSync, constants as zlib } from "node:zlib";
import { writeTar, type TarEntry } from "./tar.js";

export const MEDIA_TYPE = {
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
  config: "application/vnd.oci.image.config.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  index: "application/vnd.oci.image.index.v1+json",
} as const;

export const VARIANT_ANNOTATION = "module.wasm.image/variant";
export const REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
/** The file name Istio's image fetcher looks for in the layer. */
export const PLUGIN_FILE = "plugin.wasm";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface OciImage {
  /** Every blob by digest ("sha256:<hex>"): layer, config, manifest. */
  blobs: Map<string, Uint8Array>;
  layer: Descriptor;
  config: Descriptor;
  manifest: Descriptor;
  /** index.json and oci-layout, as written. */
  index: Uint8Array;
  ociLayout: Uint8Array;
}

export interface OciImageOptions {
  /** Tag recorded as org.opencontainers.image.ref.name in index.json (default "latest"). */
  tag?: string;
  /** Seconds since the epoch for every tar entry (default 0), so digests are reproducible. */
  mtime?: number;
}

export function sha256Digest(bytes: Uint8Array): string {
  return "sha256:" + createHash("sha256").update(bytes).digest("hex");
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/**
 * gzip with a header that does not depend on the machine: zlib writes no name and mtime 0, but its OS
 * byte is the build platform's (3 on Linux, 19 on macOS, 10 on Windows); it is set to 3 (Unix) so the
 * layer digest depends on the module only. The header is outside the CRC, so the stream stays valid.
 */
export function reproducibleGzip(data: Uint8Array): Uint8Array {
  const gz = gzipSync(data, { level: zlib.Z_BEST_COMPRESSION });
  gz[9] = 3;
  return new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength);
}

/** Builds the image for a module; pure (no file system), same input → same bytes. */
export function buildOciImage(wasm: Uint8Array, options: OciImageOptions = {}): OciImage {
  const blobs = new Map<string, Uint8Array>();
  const add = (mediaType: string, bytes: Uint8Array, annotations?: Record<string, string>): Descriptor => {
    const d: Descriptor = { mediaType, digest: sha256Digest(bytes), size: bytes.length };
    if (annotations) d.annotations = annotations;
    blobs.set(d.digest, bytes);
    return d;
  };

  const layerTar = writeTar([{ name: PLUGIN_FILE, data: wasm, mode: 0o644 }], options.mtime ?? 0);
  const layer = add(MEDIA_TYPE.layer, reproducibleGzip(layerTar));
  const config = add(
    MEDIA_TYPE.config,
    json({
      architecture: "wasm",
      os: "wasip1",
      config: {},
      rootfs: { type: "layers", diff_ids: [sha256Digest(layerTar)] },
    }),
  );
  const manifest = add(
    MEDIA_TYPE.manifest,
    json({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE.manifest,
      config,
      layers: [layer],
      annotations: { [VARIANT_ANNOTATION]: "compat" },
    }),
  );
  const index = json({
    schemaVersion: 2,
    mediaType: MEDIA_TYPE.index,
    manifests: [{ ...manifest, annotations: { [REF_NAME_ANNOTATION]: options.tag ?? "latest" } }],
  });
  return { blobs, layer, config, manifest, index, ociLayout: json({ imageLayoutVersion: "1.0.0" }) };
}

/** The files of the OCI image layout, in a stable order, as tar entries (directories included). */
export function layoutEntries(image: OciImage): TarEntry[] {
  const entries: TarEntry[] = [
    { name: "oci-layout", data: image.ociLayout },
    { name: "index.json", data: image.index },
    { name: "blobs/" },
    { name: "blobs/sha256/" },
  ];
  for (const digest of [...image.blobs.keys()].sort()) {
    entries.push({ name: `blobs/sha256/${digest.slice("sha256:".length)}`, data: image.blobs.get(digest)! });
  }
  return entries;
}
