// SPDX-License-Identifier: Apache-2.0
// The host-side header map: Envoy's ordering (pseudo-headers first), lower-cased keys, setCopy and byte size.
import { describe, expect, it } from "vitest";
import { HeaderMap } from "../src/index.js";

describe("HeaderMap", () => {
  it("keeps pseudo-headers in front, like Envoy's header map", () => {
    const h = new HeaderMap([
      ["x-a", "1"],
      [":path", "/"],
      ["X-B", "2"],
      [":method", "GET"],
    ]);
    expect(h.pairs()).toEqual([
      [":path", "/"],
      [":method", "GET"],
      ["x-a", "1"],
      ["x-b", "2"],
    ]);
    h.set(":authority", "host");
    expect(h.pairs().map(([k]) => k)).toEqual([":path", ":method", ":authority", "x-a", "x-b"]);
  });

  it("replaces the first value and drops the others on set, removes all on remove", () => {
    const h = new HeaderMap([
      ["a", "1"],
      ["b", "x"],
      ["a", "2"],
    ]);
    h.set("A", "3");
    expect(h.pairs()).toEqual([
      ["a", "3"],
      ["b", "x"],
    ]);
    h.add("a", "4");
    h.remove("a");
    expect(h.pairs()).toEqual([["b", "x"]]);
  });

  it("counts bytes of keys and values (UTF-8)", () => {
    expect(
      new HeaderMap([
        ["k", "é"],
        [":status", "200"],
      ]).byteSize,
    ).toBe(1 + 2 + 7 + 3);
  });
});
