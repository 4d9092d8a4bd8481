// SPDX-License-Identifier: Apache-2.0
// Builds the filter (release and debug targets of the package's asconfig.json) through @getwild/host's
// buildFilter before the tests, so they always run the current source, even right after a fresh
// install; an asc error or warning stops the run with asc's diagnostics.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFilter } from "@getwild/host";

export default async function setup(): Promise<void> {
  await buildFilter({ cwd: join(dirname(fileURLToPath(import.meta.url)), ".."), targets: ["release", "debug"] });
}
