// SPDX-License-Identifier: Apache-2.0
// Hostile configurations never trap the VM: random bytes, random JSON and deep nesting are refused as values.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { createHost, HostLoadError } from "@getwild/host";
import { builds } from "./paths.js";

const [{ wasm }] = builds("responder");

/** Loads `config`; returns "ok", "refused" (configure returned false) or the unexpected error message. */
async function load(config: string | Uint8Array): Promise<string> {
  try {
    const host = await createHost({ wasm, rootId: "responder", pluginConfig: config, canary: false });
    return host.failures.length === 0 ? "ok" : host.failures[0]!.message;
  } catch (e) {
    if (e instanceof HostLoadError && /proxy_on_configure returned false/.test(e.message)) return "refused";
    return (e as Error).message;
  }
}

describe("responder configuration against hostile input", () => {
  it("random bytes are refused, never a trap", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        const blank = bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
        expect(await load(bytes)).toBe(blank ? "ok" : "refused");
      }),
      { numRuns: 150 },
    );
  });

  it("random JSON values are loaded or refused, never a trap", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        const config = JSON.stringify({ rules: [{ status: 200, match: value }] });
        expect(["ok", "refused"]).toContain(await load(config));
      }),
      { numRuns: 150 },
    );
  });

  it("deep nesting is refused by the reader's depth limit", async () => {
    let match = "{}";
    for (let i = 0; i < 500; i++) match = `{"not":${match}}`;
    expect(await load(`{"rules":[{"status":200,"match":${match}}]}`)).toBe("refused");
    let arrays = "1";
    for (let i = 0; i < 100_000; i++) arrays = `[${arrays}]`;
    expect(await load(arrays)).toBe("refused");
  });

  it("a large valid configuration (500 rules, long bodies) loads", async () => {
    const rules = Array.from({ length: 500 }, (_, i) => ({
      match: { path: `/r${i}` },
      status: 200 + (i % 400),
      body: "x".repeat(1000),
    }));
    expect(await load(JSON.stringify({ rules }))).toBe("ok");
  });
});
