// SPDX-License-Identifier: Apache-2.0
// Reads the module file for `getwild check` and `getwild oci`, or says why it cannot.
import { readFile } from "node:fs/promises";
import type { CommandIo } from "../io.js";

/** Reads the module, or prints why not and returns null (the caller exits FileNotFound). */
export async function readModule(path: string, io: CommandIo): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read (${(e as Error).message})`);
    return null;
  }
}
