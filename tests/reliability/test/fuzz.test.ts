// SPDX-License-Identifier: Apache-2.0
// The short CI fuzz run: every suite of lib/suites.mjs (tokens, JWKS replies, configurations, header
// maps and bodies, across the filters) with a fixed seed. `pnpm fuzz` runs the same suites for longer.
import { describe, it, expect } from "vitest";
// @ts-expect-error plain ESM helpers shared with scripts/fuzz.mjs
import { allSuites, checkSuite, tokenSuite, headerSuite } from "../lib/suites.mjs";
// @ts-expect-error plain ESM helpers
import { keySet, mint, validlySigned, ALGS } from "../lib/keys.mjs";

/** CI budget: about a minute for all suites on the 2-core machine (override: FUZZ_RUNS, FUZZ_SEED). */
const BASE_RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

describe("the oracle", () => {
  it("says a token is validly signed only by the keys that signed it", () => {
    const a = keySet("a");
    const b = keySet("b");
    for (const alg of ALGS) {
      const token = mint(a, alg, 1_767_225_600);
      expect(validlySigned(token, [a])).toBe(true);
      expect(validlySigned(token, [b])).toBe(false);
      expect(validlySigned(token.slice(0, -2) + (token.endsWith("AA") ? "BA" : "AA"), [a])).toBe(false);
    }
  });
});

describe("the properties can fail", () => {
  it("the token property catches a filter that lets every token through (hello)", async () => {
    const result = await checkSuite(tokenSuite("hello"), { numRuns: 200, seed: SEED });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/accepted a token no configured key signed/);
  });

  it("the header property catches a filter that traps on one header name (fixtures/trap.ts)", async () => {
    const result = await checkSuite(headerSuite("trap"), { numRuns: 2000, seed: SEED });
    expect(result.failed).toBe(true);
    expect(result.error).toMatch(/the VM trapped: .*unreachable/);
  });
});

describe(`fuzz (seed ${SEED}, ${BASE_RUNS} runs per share)`, () => {
  for (const { suite, share } of allSuites()) {
    it(
      suite.name,
      async () => {
        const result = await checkSuite(suite, { numRuns: BASE_RUNS * share, seed: SEED });
        expect(
          result.failed,
          `${result.error}\ncounterexample: ${JSON.stringify(result.counterexample)?.slice(0, 2000)}`,
        ).toBe(false);
        expect(result.runs).toBe(BASE_RUNS * share);
        // the property must have seen both outcomes, or it checked nothing
        const stats = result.stats as Record<string, number> | undefined;
        if (stats && "accepted" in stats) {
          expect(stats.accepted).toBeGreaterThan(0);
          expect(stats.refused).toBeGreaterThan(0);
        }
        if (stats && "relayed" in stats) {
          expect(stats.relayed).toBeGreaterThan(0);
          expect(stats.refused).toBeGreaterThan(0);
        }
        if (stats && "fetchesAnswered" in stats)
          expect(stats.fetchesAnswered).toBeGreaterThanOrEqual(BASE_RUNS * share);
      },
      600_000,
    );
  }
});
