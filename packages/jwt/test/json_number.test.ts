// SPDX-License-Identifier: Apache-2.0
// NumericDate reading of JSON numbers (jose/encoding/json_number.ts) through the compiled wasm:
// exact floor against a BigInt reference, range, and non-numbers. The JSON reader itself is tested
// in @getwild/json (packages/json/test).
import { describe, expect, it, beforeAll } from "vitest";
import fc from "fast-check";
import { loadFixture, type Fixture } from "./wasm";

interface Enc {
  jsonParse(p: number, maxBytes: number, maxDepth: number, maxValues: number): number;
  numericDate(p: number): number;
  numericDateError(): number;
  numericDateOfLast(): number;
}

let f: Fixture<Enc>;
beforeAll(() => {
  f = loadFixture<Enc>("jwt_encoding");
});

function str(s: string): number {
  return f.exports.__newString(s);
}
/** Parses `text` as JSON in the fixture (for numericDateOfLast); true when it is valid. */
function parse(text: string): boolean {
  const err = f.exports.jsonParse(f.bytes(new TextEncoder().encode(text)), 16384, 16, 4096);
  f.release();
  return err === 0;
}

/** Reference floor of a JSON number text, exact, with BigInt. */
function floorRef(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const digits = BigInt(m[2] + (m[3] ?? ""));
  const scale = BigInt(m[4] ?? "0") - BigInt((m[3] ?? "").length);
  let num = digits;
  let den = 1n;
  if (scale >= 0n) num *= 10n ** scale;
  else den = 10n ** -scale;
  if (m[1] === "-") num = -num;
  // floor division for possibly negative numerator
  let q = num / den;
  if (num % den !== 0n && num < 0n) q -= 1n;
  return q;
}

describe("NumericDate conversion (exact floor, |value| <= 2^53)", () => {
  const date = (t: string) => {
    const s = f.exports.__getString(f.exports.numericDate(str(t)));
    return { value: BigInt(s), err: f.exports.numericDateError() };
  };
  const cases = [
    "0",
    "1700000000",
    "1700000000.999",
    "1.7e9",
    "17e8",
    "1.7000000009e9",
    "1e-5",
    "-1.5",
    "-1",
    "-0.0",
    "9007199254740992",
    "-9007199254740992",
    "9007199254740991.9",
    "0.000e999",
    "123.456e1",
    "5E-1",
  ];
  for (const t of cases) {
    it(t, () => {
      const r = date(t);
      expect(r.err).toBe(0);
      expect(r.value).toBe(floorRef(t));
    });
  }
  for (const t of [
    "9007199254740993",
    "1e16",
    "-9007199254740993",
    "123456789012345678901234567890",
    "1e999999999999",
    "-9007199254740992.5",
  ]) {
    it(`${t} is out of range`, () => {
      expect(date(t).err).toBe(2);
    });
  }
  it("zero with a huge exponent is zero, without a long loop", () => {
    const r = date("0.000e99999999");
    expect(r.err).toBe(0);
    expect(r.value).toBe(0n);
  });
  it("strings, booleans and null are not numbers", () => {
    for (const t of [`"1700000000"`, `true`, `null`, `[1]`]) {
      expect(parse(t)).toBe(true);
      expect(f.exports.numericDateOfLast()).toBe(1);
    }
  });
  it("random number texts floor exactly like the BigInt reference", () => {
    const numText = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }),
        fc.option(fc.integer({ min: -25, max: 25 }), { nil: undefined }),
      )
      .map(
        ([neg, i, frac, exp]) =>
          `${neg ? "-" : ""}${i}${frac !== undefined ? "." + frac : ""}${exp !== undefined ? "e" + exp : ""}`,
      );
    fc.assert(
      fc.property(numText, (t) => {
        const ref = floorRef(t);
        const r = date(t);
        const inRange = ref <= 2n ** 53n && ref >= -(2n ** 53n);
        if (inRange) {
          expect(r.err).toBe(0);
          expect(r.value).toBe(ref);
        } else {
          expect(r.err).toBe(2);
        }
      }),
      { numRuns: 500 },
    );
  });
});
