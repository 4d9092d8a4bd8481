// SPDX-License-Identifier: Apache-2.0
// Prints the size of each built module, so every build shows what a filter costs.
import { statSync } from "node:fs";

for (const file of process.argv.slice(2)) {
  console.log(`${file}: ${statSync(file).size} bytes`);
}
