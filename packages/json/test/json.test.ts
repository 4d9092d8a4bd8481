// SPDX-License-Identifier: Apache-2.0
// The strict JSON reader through the compiled fixture (release and debug builds): valid corpus
// compared with JSON.parse, invalid corpus with stable codes and offsets, limits, dotted paths, and
// fast-check (JSON.stringify output read back equal, random text and bytes never trap).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadFixture, targets } from "./wasm.js";

const J = {
  None: 0,
  TooLarge: 1,
  TooDeep: 2,
  TooManyValues: 3,
  UnexpectedEnd: 4,
  UnexpectedCharacter: 5,
  InvalidNumber: 6,
  InvalidEscape: 7,
  LoneSurrogate: 8,
  InvalidUtf8: 9,
  ControlCharacter: 10,
  DuplicateKey: 11,
  TrailingData: 12,
};

describe.each(targets)("JSON reader (%s build)", (target) => {
  const f = loadFixture(target);
  const parse = f.parse;
  const canonical = f.canonical;

  describe("valid JSON is read exactly as JSON.parse reads it", () => {
    const valid = [
      `{}`,
      `[]`,
      `0`,
      `-0`,
      `1.5e-3`,
      `"x"`,
      `true`,
      `false`,
      `null`,
      ` \t\r\n{ "a" : 1 } \n`,
      `{"iss":"https://securetoken.google.com/p","aud":"p","exp":1700000000,"iat":1699996400,"sub":"u"}`,
      `{"a":[1,2,{"b":[true,false,null]}],"c":{"d":{"e":"f"}}}`,
      `{"esc":"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u00e9 \\uD83D\\uDE00"}`,
      `{"utf8":"é ☃ 😀 \u07ff \uffff"}`,
      `{"n":[0,-1,123456789012345678901234567890,1E10,1e+2,1e-2,0.0,-0.5]}`,
      `{"":"empty name","__proto__":1}`,
      `{"scope":"read write","email_verified":true,"roles":["a","b"]}`,
      // Past 16 members names go into a table that grows (at 32, 64, ... members): all distinct here.
      `{${Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
    ];
    for (const text of valid) {
      it(text.slice(0, 60), () => {
        expect(parse(text)).toBe(J.None);
        expect(JSON.parse(canonical())).toEqual(JSON.parse(text));
      });
    }
    it("keeps number text exactly", () => {
      expect(parse(`[123456789012345678901234567890,1.50,1E10]`)).toBe(J.None);
      expect(canonical()).toBe(`[123456789012345678901234567890,1.50,1E10]`);
    });
    it("follows dotted paths into nested objects", () => {
      expect(parse(`{"realm_access":{"roles":["admin"]},"a":{"b":{"c":7}}}`)).toBe(J.None);
      const path = f.path;
      expect(path("realm_access.roles")).toBe(`["admin"]`);
      expect(path("a.b.c")).toBe("7");
      expect(path("a.b.x")).toBe("");
      expect(path("a.b.c.d")).toBe("");
      expect(path("realm_access.roles.0")).toBe("");
      expect(parse(`{"https://example.com/roles":["r"],"https://example.com":{"x":{"y.z":1}}}`)).toBe(J.None);
      expect(path("https://example.com/roles")).toBe(`["r"]`);
      expect(path("https://example.com.x.y.z")).toBe("1");
      expect(path("https://example.com.x.y")).toBe("");
    });
  });

  describe("invalid JSON is refused with a stable code", () => {
    const invalid: [string, string | Uint8Array, number][] = [
      ["empty input", ``, J.UnexpectedEnd],
      ["only whitespace", `  `, J.UnexpectedEnd],
      ["duplicate key", `{"iss":"a","iss":"b"}`, J.DuplicateKey],
      [
        "duplicate key after 20 members",
        `{${Array.from({ length: 20 }, (_, i) => `"k${i}":${i}`).join(",")},"k3":0}`,
        J.DuplicateKey,
      ],
      [
        "duplicate key after 300 members (the name table grown several times)",
        `{${Array.from({ length: 300 }, (_, i) => `"k${i}":${i}`).join(",")},"k250":0}`,
        J.DuplicateKey,
      ],
      [
        "duplicate of an early key right after the name table is built",
        `{${Array.from({ length: 17 }, (_, i) => `"k${i}":${i}`).join(",")},"k0":0}`,
        J.DuplicateKey,
      ],
      ["duplicate key spelled with an escape", `{"alg":"RS256","\\u0061lg":"none"}`, J.DuplicateKey],
      ["duplicate nested key", `{"a":{"b":1,"b":2}}`, J.DuplicateKey],
      ["trailing data", `{"a":1}x`, J.TrailingData],
      ["two values", `{} {}`, J.TrailingData],
      ["trailing comma in object", `{"a":1,}`, J.UnexpectedCharacter],
      ["trailing comma in array", `[1,]`, J.UnexpectedCharacter],
      ["single quotes", `{'a':1}`, J.UnexpectedCharacter],
      ["unquoted key", `{a:1}`, J.UnexpectedCharacter],
      ["comment", `{"a":1 /* c */}`, J.UnexpectedCharacter],
      ["NaN", `{"exp":NaN}`, J.UnexpectedCharacter],
      ["Infinity", `[Infinity]`, J.UnexpectedCharacter],
      ["leading zero", `[01]`, J.InvalidNumber],
      ["plus sign", `[+1]`, J.UnexpectedCharacter],
      ["bare dot", `[1.]`, J.InvalidNumber],
      ["leading dot", `[.5]`, J.UnexpectedCharacter],
      ["exponent without digits", `[1e]`, J.InvalidNumber],
      ["minus alone", `[-]`, J.InvalidNumber],
      ["hex number", `[0x10]`, J.UnexpectedCharacter],
      ["truncated literal", `tru`, J.UnexpectedEnd],
      ["misspelled literal", `nul1`, J.UnexpectedCharacter],
      ["unterminated string", `{"a":"b`, J.UnexpectedEnd],
      ["unterminated object", `{"a":1`, J.UnexpectedEnd],
      ["bad escape \\x", `["\\x41"]`, J.InvalidEscape],
      ["bad escape \\u with non-hex", `["\\u00G1"]`, J.InvalidEscape],
      ["short \\u escape", `["\\u12"]`, J.InvalidEscape],
      ["lone high surrogate", `["\\uD800"]`, J.LoneSurrogate],
      ["lone high surrogate then text", `["\\uD800abcdef"]`, J.LoneSurrogate],
      ["lone low surrogate", `["\\uDC00"]`, J.LoneSurrogate],
      ["high surrogate + non-surrogate escape", `["\\uD800\\u0041"]`, J.LoneSurrogate],
      ["raw control character", `["a\u0001b"]`, J.ControlCharacter],
      ["raw newline in string", `["a\nb"]`, J.ControlCharacter],
      ["invalid UTF-8 byte", new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]), J.InvalidUtf8],
      ["overlong UTF-8 '/'", new Uint8Array([0x5b, 0x22, 0xc0, 0xaf, 0x22, 0x5d]), J.InvalidUtf8],
      ["UTF-8 encoded surrogate", new Uint8Array([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), J.InvalidUtf8],
      ["UTF-8 above U+10FFFF", new Uint8Array([0x5b, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x5d]), J.InvalidUtf8],
      ["truncated UTF-8 sequence", new Uint8Array([0x5b, 0x22, 0xe2, 0x98, 0x22, 0x5d]), J.InvalidUtf8],
      ["UTF-8 at end of input", new Uint8Array([0x22, 0xe2, 0x98]), J.InvalidUtf8],
      ["byte order mark", new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), J.UnexpectedCharacter],
      ["NUL after value", new Uint8Array([0x7b, 0x7d, 0x00]), J.TrailingData],
    ];
    for (const [name, input, code] of invalid) {
      it(name, () => {
        expect(parse(input)).toBe(code);
      });
    }
  });

  describe("limits", () => {
    it("depth: exactly the limit passes, one more is TooDeep", () => {
      expect(parse("[".repeat(16) + "]".repeat(16))).toBe(J.None);
      expect(parse("[".repeat(17) + "]".repeat(17))).toBe(J.TooDeep);
      expect(parse(`{"a":`.repeat(17) + "1" + "}".repeat(17))).toBe(J.TooDeep);
    });
    it("depth is hard-capped at 64 whatever the caller asks, so 100000 brackets cannot overflow the stack", () => {
      expect(parse("[".repeat(64) + "]".repeat(64), 1 << 20, 1000)).toBe(J.None);
      expect(parse("[".repeat(65) + "]".repeat(65), 1 << 20, 1000)).toBe(J.TooDeep);
      expect(parse("[".repeat(100000), 1 << 20, 1 << 20)).toBe(J.TooDeep);
    });
    it("total size", () => {
      const text = `{"a":"${"x".repeat(100)}"}`;
      expect(parse(text, text.length)).toBe(J.None);
      expect(parse(text, text.length - 1)).toBe(J.TooLarge);
    });
    it("number of values", () => {
      expect(parse(`[1,2,3]`, 100, 16, 4)).toBe(J.None);
      expect(parse(`[1,2,3,4]`, 100, 16, 4)).toBe(J.TooManyValues);
    });
    it("long strings that need the slow path grow the scratch buffer correctly", () => {
      const s = "é".repeat(5000) + "\\n" + "😀".repeat(3000);
      expect(parse(`["${s}"]`, 1 << 20)).toBe(J.None);
      expect(JSON.parse(canonical())).toEqual(JSON.parse(`["${s}"]`));
    });
  });

  describe("JSON differential and robustness (fast-check)", () => {
    it("every JSON.stringify output is accepted and read back equal", () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
          const text = JSON.stringify(v);
          expect(parse(text, 1 << 20)).toBe(J.None);
          expect(JSON.parse(canonical())).toEqual(JSON.parse(text));
        }),
        { numRuns: 300 },
      );
    });
    it("random text never traps, and whatever we accept JSON.parse accepts identically", () => {
      const near = fc.string({
        unit: fc.constantFrom(...'{}[]":,0123456789-+.eE tfnrulase\\u\u00e9\ud800'.split("")),
        maxLength: 40,
      });
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 60 }), near, fc.json()), (text) => {
          const err = parse(text);
          if (err === J.None) {
            expect(JSON.parse(canonical())).toEqual(JSON.parse(text));
          }
        }),
        { numRuns: 800 },
      );
    });
    it("random bytes never trap", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
          const err = parse(bytes);
          expect(err).toBeGreaterThanOrEqual(0);
          expect(err).toBeLessThanOrEqual(12);
        }),
        { numRuns: 400 },
      );
    });
  });

  it("reports where the text went wrong", () => {
    expect(parse(`{"a":1,}`)).toBe(J.UnexpectedCharacter);
    expect(f.offset()).toBe(7);
    expect(parse(`{"rules": [`)).toBe(J.UnexpectedEnd);
    expect(f.offset()).toBe(11);
  });
});
