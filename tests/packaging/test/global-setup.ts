// SPDX-License-Identifier: Apache-2.0
// Packs every package once for all the packaging test files (they install from these tarballs), and
// serves the tarballs as a local npm registry for the @getwild scope. The registry runs here, in
// vitest's main process, because the tests wait on npm synchronously in their worker processes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packAll, readPacks } from "../lib/pack.js";
import { startRegistry } from "../lib/registry.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Folder holding one .tgz per package under packages/, outside the workspace. */
    packDir: string;
    /** npm environment that resolves @getwild/* from those tarballs (see lib/registry.ts). */
    registryEnv: Record<string, string>;
  }
}

interface Provider {
  provide(key: "packDir", value: string): void;
  provide(key: "registryEnv", value: Record<string, string>): void;
}

export default async function setup(project: Provider): Promise<() => Promise<void>> {
  const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
  const packDir = mkdtempSync(join(tmpdir(), "getwild-packs-"));
  packAll(repo, packDir);
  const registry = await startRegistry(readPacks(packDir).values());
  project.provide("packDir", packDir);
  project.provide("registryEnv", registry.env);
  return async () => {
    await registry.close();
    rmSync(packDir, { recursive: true, force: true });
  };
}
