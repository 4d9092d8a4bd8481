// SPDX-License-Identifier: Apache-2.0
// The base point's precomputed tables (see table.ts), built once per instance on first need rather
// than shipped in the .wasm (30 KB of data against about 0.3 ms of work). Key import builds them
// too, so the cost lands when a key set is loaded, not on the first request that verifies.

import { BASE_POINT } from "./constants";
import { buildTables, tableBytes } from "./table";

/** NAF width for S: 2^(w-2) odd multiples of B per chunk. */
export const BASE_NAF_WIDTH: i32 = 7;

let baseTables: usize = 0;

/** The base point's tables, built on the first call. */
export function getBaseTables(): usize {
  let t = baseTables;
  if (t == 0) {
    t = heap.alloc(tableBytes(BASE_NAF_WIDTH));
    buildTables(t, BASE_POINT, BASE_NAF_WIDTH);
    baseTables = t;
  }
  return t;
}
