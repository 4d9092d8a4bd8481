// SPDX-License-Identifier: Apache-2.0
// Strict base64url through the compiled wasm: RFC 4648 §10 vectors (unpadded), every malformed
// class with its stable error code, and fast-check against Node's codec as the oracle.
import { describe, expect, it, beforeAll } from "vitest";
import fc from "fast-check";
import { loadFixture, type Fixture } from "./wasm";

interface Enc {
  b64Decode(p: number): number;
  b64DecodeText(p: number): number;
  b64LastBytes(): number;
  lastErrorOffset(): number;
  b64Encode(p: number): number;
  b64EncodeText(p: number): number;
}
const E = { None: 0, InvalidLength: 1, InvalidCharacter: 2, Padding: 3, NonCanonical: 4 };

let f: Fixture<Enc>;
beforeAll(() => {
  f = loadFixture<Enc>("jwt_encoding");
});

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
function decode(s: string): { err: number; bytes: Uint8Array; offset: number } {
  const err = f.exports.b64Decode(f.bytes(ascii(s)));
  const bytes = f.read(f.exports.b64LastBytes());
  const offset = f.exports.lastErrorOffset();
  f.release();
  return { err, bytes, offset };
}
function decodeText(s: string): number {
  const p = f.exports.__pin(f.exports.__newString(s));
  const err = f.exports.b64DecodeText(p);
  f.exports.__unpin(p);
  return err;
}
function encode(b: Uint8Array): string {
  const out = Buffer.from(f.read(f.exports.b64Encode(f.bytes(b)))).toString("latin1");
  f.release();
  return out;
}

/** Oracle: canonical unpadded base64url is exactly what Node decodes and re-encodes to itself. */
function strictOracle(s: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return false;
  return Buffer.from(s, "base64url").toString("base64url") === s;
}

describe("base64url RFC 4648 §10 vectors (unpadded, as JOSE writes them)", () => {
  const vectors: [string, string][] = [
    ["", ""],
    ["f", "Zg"],
    ["fo", "Zm8"],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg"],
    ["fooba", "Zm9vYmE"],
    ["foobar", "Zm9vYmFy"],
  ];
  for (const [plain, enc] of vectors) {
    it(`"${plain}" <-> "${enc}"`, () => {
      expect(encode(ascii(plain))).toBe(enc);
      const d = decode(enc);
      expect(d.err).toBe(E.None);
      expect(Buffer.from(d.bytes).toString("latin1")).toBe(plain);
      expect(decodeText(enc)).toBe(E.None);
    });
  }
  it("uses - and _ for 62 and 63 (bytes fb ff bf)", () => {
    expect(encode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe(Buffer.from([0xfb, 0xff, 0xbf]).toString("base64url"));
    expect(Array.from(decode("-_-_").bytes)).toEqual(Array.from(Buffer.from("-_-_", "base64url")));
  });
  it("the string encoder matches the byte encoder", () => {
    const data = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    const p = f.exports.b64EncodeText(f.bytes(data));
    expect(f.exports.__getString(p)).toBe(Buffer.from(data).toString("base64url"));
    f.release();
  });
});

describe("base64url malformed classes each refused with a stable code", () => {
  const cases: [string, string, number, number][] = [
    ["padding ==", "Zg==", E.Padding, 2],
    ["padding =", "Zm8=", E.Padding, 3],
    ["embedded =", "Zm=v", E.Padding, 2],
    ["standard alphabet +", "Zm+v", E.InvalidCharacter, 2],
    ["standard alphabet /", "Zm/v", E.InvalidCharacter, 2],
    ["space", "Zm 9v", E.InvalidCharacter, 2],
    ["newline", "Zm9v\nYmFy", E.InvalidCharacter, 4],
    ["NUL byte", "Zm9\u0000", E.InvalidCharacter, 3],
    ["dot", "Zm9.", E.InvalidCharacter, 3],
    ["high byte", "Zm9\u00e9", E.InvalidCharacter, 3],
    ["length 1 mod 4 (1)", "Z", E.InvalidLength, 1],
    ["length 1 mod 4 (5)", "Zm9vY", E.InvalidLength, 5],
    ["non-canonical 2-char tail", "Zh", E.NonCanonical, 1],
    ["non-canonical 3-char tail", "Zm9", E.NonCanonical, 2],
    ["non-canonical after full groups", "Zm9vYh", E.NonCanonical, 5],
  ];
  for (const [name, input, code, offset] of cases) {
    it(`${name}: ${JSON.stringify(input)}`, () => {
      const d = decode(input);
      expect(d.err).toBe(code);
      expect(d.offset).toBe(offset);
      expect(d.bytes.length).toBe(0);
      // Node's lenient decoder accepts several of these; ours must not.
      expect(strictOracle(input)).toBe(false);
    });
  }
  it("non-ASCII UTF-16 in the string API is an invalid character, not truncated to a byte", () => {
    // U+0141 would become 0x41 ('A') if truncated to its low byte.
    expect(decodeText("Zm9\u0141")).toBe(E.InvalidCharacter);
    expect(decodeText("Zm9\u{1F600}")).not.toBe(E.None);
  });
});

describe("base64url differential (fast-check, Node as oracle)", () => {
  it("encodes random bytes exactly like Buffer base64url and decodes them back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const enc = encode(bytes);
        expect(enc).toBe(Buffer.from(bytes).toString("base64url"));
        const d = decode(enc);
        expect(d.err).toBe(E.None);
        expect(Buffer.from(d.bytes).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
  it("accepts exactly the canonical strings, never traps, on random near-alphabet strings", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\u00e9";
    const arb = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(...alphabet.split("")), maxLength: 40 }),
      fc.string({ unit: fc.constantFrom(..."AZaz09-_QgwA".split("")), maxLength: 40 }),
    );
    fc.assert(
      fc.property(arb, (s) => {
        const expectOk = strictOracle(s);
        const err = decodeText(s);
        expect(err === E.None).toBe(expectOk);
        if (expectOk) {
          const d = decode(s);
          expect(Buffer.from(d.bytes).equals(Buffer.from(s, "base64url"))).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });
  it("random raw bytes as input never trap", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const err = f.exports.b64Decode(f.bytes(bytes));
        f.release();
        expect(err).toBeGreaterThanOrEqual(0);
        expect(err).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });
});
