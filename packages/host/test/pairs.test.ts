// SPDX-License-Identifier: Apache-2.0
// The pairs wire format: golden bytes, round trips and every rejection rule of cpp-host's PairsUtil::toPairs.
import { describe, expect, it } from "vitest";
import { encodePairs, decodePairs, PAIRS_MAX_COUNT } from "../src/index.js";

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const ascii = (s: string) => [...Buffer.from(s, "latin1")];

describe("pairs codec", () => {
  it("encodes the spec's example with the real byte values", () => {
    // {"a": "1", "bc": "23"}: count, sizes, then NUL-terminated strings.
    const golden = [...u32(2), ...u32(1), ...u32(1), ...u32(2), ...u32(2), ...ascii("a\u00001\u0000bc\u000023\u0000")];
    expect([
      ...encodePairs([
        ["a", "1"],
        ["bc", "23"],
      ]),
    ]).toEqual(golden);
    expect(decodePairs(new Uint8Array(golden))).toEqual([
      ["a", "1"],
      ["bc", "23"],
    ]);
  });

  it("encodes an empty map as zero bytes and decodes a zero count as empty", () => {
    expect(encodePairs([]).length).toBe(0);
    expect(decodePairs(new Uint8Array(u32(0)))).toEqual([]);
  });

  it("round-trips repeated keys, empty values and UTF-8", () => {
    const pairs: [string, string][] = [
      ["set-cookie", "a=1"],
      ["set-cookie", "b=2"],
      ["x-empty", ""],
      ["x-ü", "é"],
    ];
    expect(decodePairs(encodePairs(pairs))).toEqual(pairs);
  });

  it("rejects what cpp-host rejects (the whole map counts as empty)", () => {
    const good = [...encodePairs([["k", "v"]])];
    expect(decodePairs(new Uint8Array([1, 0, 0]))).toBeNull(); // shorter than the count
    expect(decodePairs(new Uint8Array([...good, 0]))).toBeNull(); // trailing byte
    expect(decodePairs(new Uint8Array(good.slice(0, -1)))).toBeNull(); // value not NUL-terminated (truncated)
    const noNul = good.slice();
    noNul[noNul.length - 1] = 0x41;
    expect(decodePairs(new Uint8Array(noNul))).toBeNull();
    expect(decodePairs(new Uint8Array([...u32(PAIRS_MAX_COUNT + 1), ...new Array(8 * 1025).fill(0)]))).toBeNull();
    expect(decodePairs(new Uint8Array([...u32(3), ...u32(0)]))).toBeNull(); // sizes table cut short
    expect(decodePairs(new Uint8Array(1024 * 1024 + 1))).toBeNull(); // over 1 MiB
  });

  it("never throws on random bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const len = (i * 31) % 64;
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = (i * 131 + j * 17) & (j < 4 ? 0x03 : 0xff);
      const r = decodePairs(b);
      if (r !== null && r.length > 0) expect(decodePairs(encodePairs(r))).toEqual(r);
    }
  });
});
