// SPDX-License-Identifier: Apache-2.0
// `getwild oci filter.wasm -o image.tar|dir/`: packages a checked module as a compat-variant Wasm OCI image (tar archive or layout folder).
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { validateModule } from "../../validate.js";
import { buildOciImage, layoutEntries, type OciImage } from "./oci_image.js";
import { writeTar } from "./tar.js";
import { processIo, type CommandIo } from "../io.js";
import { ExitCode, type ExitCodeValue } from "../errors.js";
import { readModule } from "./read_module.js";
import { commandLineOrExit } from "../command_line.js";

export const OCI_USAGE = `Usage: getwild oci FILTER.wasm -o OUT [--tag TAG]

Packages a proxy-wasm module as a Wasm OCI image in the "compat" variant that Istio's WasmPlugin
pulls: one application/vnd.oci.image.layer.v1.tar+gzip layer holding plugin.wasm, and the manifest
annotation module.wasm.image/variant=compat. The output is an OCI image layout (oci-layout,
index.json, blobs/sha256/...): a tar archive when OUT is a file (image.tar), a folder when OUT ends
with "/" or is an existing folder. The bytes depend only on the module and the tag.
Push it with e.g. "skopeo copy oci-archive:image.tar docker://REGISTRY/NAME:TAG" or "crane push".
The module is checked first (as "getwild check"); a module Envoy would refuse is not packaged (exit 4).

  -o, --output OUT         image.tar, or a folder for the layout (required)
  --tag TAG                org.opencontainers.image.ref.name in index.json (default "latest")
  -h, --help               this help`;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Writes the layout into a folder: oci-layout, index.json, blobs/sha256/<hex>. */
export async function writeOciLayout(image: OciImage, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const entry of layoutEntries(image)) {
    const path = join(folder, entry.name);
    if (entry.name.endsWith("/")) await mkdir(path, { recursive: true });
    else await writeFile(path, entry.data!);
  }
}

/** Runs `getwild oci` with the arguments after "oci"; returns the exit code. */
export async function runOci(argv: string[], io: CommandIo = processIo): Promise<ExitCodeValue> {
  const line = commandLineOrExit<{ output?: string; tag?: string }>(
    argv,
    { output: { type: "string", short: "o" }, tag: { type: "string" } },
    OCI_USAGE,
    io,
  );
  if (typeof line === "number") return line;
  const { values, positionals } = line;
  const problem =
    positionals.length !== 1
      ? "expected exactly one module file"
      : !values.output
        ? "-o OUT is required (image.tar or a folder/)"
        : values.tag !== undefined && !TAG.test(values.tag)
          ? `--tag "${values.tag}" is not a valid image tag`
          : null;
  if (problem) {
    io.err(`${problem}\n${OCI_USAGE}`);
    return ExitCode.BadArguments;
  }
  const file = positionals[0]!;
  const output = values.output!;
  const bytes = await readModule(file, io);
  if (!bytes) return ExitCode.FileNotFound;
  const validation = validateModule(bytes);
  if (!validation.ok) {
    for (const error of validation.errors) io.err(`error: ${error}`);
    io.err(`${file}: not packaged, Envoy would refuse this module (see "getwild check ${file}")`);
    return ExitCode.ModuleRefused;
  }
  const image = buildOciImage(bytes, { tag: values.tag });
  const asFolder = output.endsWith("/") || (await isDirectory(output));
  try {
    if (asFolder) {
      await writeOciLayout(image, output);
    } else {
      await mkdir(dirname(output), { recursive: true });
      await writeFile(output, writeTar(layoutEntries(image)));
    }
  } catch (e) {
    io.err(`${output}: cannot write (${(e as Error).message})`);
    return ExitCode.Internal;
  }
  io.out(
    [
      `${output}: OCI image layout (${asFolder ? "folder" : "tar"}), compat variant, tag ${values.tag ?? "latest"}`,
      `  manifest ${image.manifest.digest} (${image.manifest.size} bytes)`,
      `  config   ${image.config.digest} (${image.config.size} bytes)`,
      `  layer    ${image.layer.digest} (${image.layer.size} bytes, plugin.wasm ${bytes.length} bytes)`,
    ].join("\n"),
  );
  return ExitCode.Ok;
}
