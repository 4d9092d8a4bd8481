// SPDX-License-Identifier: Apache-2.0
// Generated sources are current: each generator under scripts/ is run into a temporary file, which
// must be byte for byte the committed file it generates (so an edit to either alone fails here).
import { describe, it, expect, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "jwt-generated-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Generator (under scripts/) -> the file it writes (under assembly/). */
const GENERATED: [string, string][] = [["scripts/p256_field.gen.mjs", "assembly/jose/crypto/ecdsa/p256_field.ts"]];

describe("generated sources", () => {
  it.each(GENERATED)("%s still makes %s", (generator, committed) => {
    const fresh = join(work, committed.replaceAll("/", "_"));
    execFileSync(process.execPath, [join(root, generator), fresh]);
    const expected = readFileSync(fresh, "utf8");
    expect(expected.length).toBeGreaterThan(1000);
    expect(readFileSync(join(root, committed), "utf8")).toBe(expected);
  });
});
