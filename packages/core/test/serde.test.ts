// SPDX-License-Identifier: Apache-2.0
// The pairs wire format through the compiled codec: golden bytes both ways, round trips, all 256
// byte values, and every buffer cpp-host's PairsUtil::toPairs rejects (cross-checked against the
// host's independent parser).
import { describe, it, expect, beforeAll } from "vitest";
import { decodePairsBytes, encodePairs as hostEncodePairs, type Host } from "@getwild/host";
import { TARGETS, hostFor, rawVm, type RawVm } from "./harness";

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
const utf8 = (s: string) => new TextEncoder().encode(s);
const u32 = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

type BytePair = [Uint8Array, Uint8Array];

/** The fixture's report layout (not the pairs layout): u32 count, then u32 len + bytes per string. */
function dump(pairs: BytePair[]): Uint8Array {
  return concat(u32(pairs.length), ...pairs.flatMap(([k, v]) => [u32(k.length), k, u32(v.length), v]));
}

function undump(bytes: Uint8Array): BytePair[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: BytePair[] = [];
  let at = 4;
  for (let i = 0; i < view.getUint32(0, true); i++) {
    const kl = view.getUint32(at, true);
    at += 4;
    const k = bytes.slice(at, at + kl);
    at += kl;
    const vl = view.getUint32(at, true);
    at += 4;
    const v = bytes.slice(at, at + vl);
    at += vl;
    out.push([k, v]);
  }
  return out;
}

const textPairs = (pairs: [string, string][]): BytePair[] => pairs.map(([k, v]) => [utf8(k), utf8(v)]);

// Golden vectors, written from the layout in the ABI spec (§ "Serialization of maps"):
// u32 LE count | count × (u32 LE name length, u32 LE value length) | count × (name 00 value 00).
const GOLDEN: { name: string; pairs: [string, string][]; bytes: Uint8Array }[] = [
  { name: "empty map", pairs: [], bytes: hex("00000000") },
  {
    name: "one pair",
    pairs: [["a", "1"]],
    bytes: hex(`01000000
                01000000 01000000
                61 00 31 00`),
  },
  {
    name: "request pseudo-headers and a repeated header",
    pairs: [
      [":method", "GET"],
      [":path", "/x?y=1"],
      ["accept", "a"],
      ["accept", ""],
    ],
    bytes: hex(`04000000
                07000000 03000000
                05000000 06000000
                06000000 01000000
                06000000 00000000
                3a6d6574686f64 00 474554 00
                3a70617468 00 2f783f793d31 00
                616363657074 00 61 00
                616363657074 00 00`),
  },
  {
    name: "empty name and value, multi-byte UTF-8",
    pairs: [
      ["", ""],
      ["k", "é✓"],
    ],
    bytes: hex(`02000000
                00000000 00000000
                01000000 05000000
                00 00
                6b 00 c3a9e29c93 00`),
  },
];

// Buffers cpp-host rejects (PairsUtil::toPairs returns an empty map for all of them).
const MALFORMED: { name: string; bytes: Uint8Array }[] = [
  { name: "1 byte", bytes: hex("01") },
  { name: "3 bytes", bytes: hex("000000") },
  { name: "count but no size table", bytes: hex("01000000") },
  { name: "size table cut short", bytes: hex("01000000 01000000") },
  { name: "count larger than the size table", bytes: hex("02000000 01000000 01000000 61 00 31 00") },
  { name: "name length past the end", bytes: hex("01000000 05000000 01000000 61 00 31 00") },
  { name: "value length past the end", bytes: hex("01000000 01000000 05000000 61 00 31 00") },
  { name: "name not NUL-terminated", bytes: hex("01000000 01000000 01000000 61 01 31 00") },
  { name: "value not NUL-terminated", bytes: hex("01000000 01000000 01000000 61 00 31 01") },
  { name: "last NUL missing", bytes: hex("01000000 01000000 01000000 61 00 31") },
  { name: "trailing byte", bytes: hex("01000000 01000000 01000000 61 00 31 00 00") },
  { name: "trailing byte after empty map", bytes: hex("00000000 00") },
  { name: "name length 0xffffffff (wrap-around)", bytes: hex("01000000 ffffffff 00000000 61 00 00") },
  { name: "value length 0xfffffffe (wrap-around)", bytes: hex("01000000 00000000 feffffff 00 00") },
  { name: "count 0xffffffff", bytes: hex("ffffffff 00000000 00000000 00 00") },
  {
    name: "1025 pairs (over PAIRS_MAX_COUNT)",
    bytes: concat(u32(1025), new Uint8Array(1025 * 8), new Uint8Array(1025 * 2)),
  },
  {
    name: "1 MiB + 1 byte (over PAIRS_MAX_BYTES)",
    bytes: concat(
      u32(1),
      u32(1),
      u32(1048562),
      utf8("a"),
      new Uint8Array(1),
      new Uint8Array(1048562),
      new Uint8Array(1),
    ),
  },
];

/** Deterministic PRNG (xorshift32) so failures are reproducible. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

describe.each(TARGETS)("pairs codec (%s build)", (target) => {
  let host: Host;
  let vm: RawVm;

  beforeAll(async () => {
    host = await hostFor("serde", target);
    vm = rawVm(host);
  });

  /** Runs a fixture function over input bytes; returns the result block or null (rejected). */
  function run(fn: string, input: Uint8Array, ...extra: number[]): Uint8Array | null {
    const ptr = vm.write(input);
    const out = vm.call(fn, ptr, input.length, ...extra);
    vm.free(ptr);
    if (out === 0) return null;
    const bytes = vm.readBlock(out);
    vm.free(out);
    return bytes;
  }
  const count = (input: Uint8Array) => {
    const ptr = vm.write(input);
    const n = vm.call("test_count", ptr, input.length) | 0;
    vm.free(ptr);
    return n;
  };

  for (const g of GOLDEN) {
    it(`encodes ${g.name} to the golden bytes`, () => {
      expect(run("test_encode_bytes", dump(textPairs(g.pairs)))).toEqual(g.bytes);
      expect(run("test_encode_text", dump(textPairs(g.pairs)), 0)).toEqual(g.bytes);
      // The host's encoder is an independent implementation of the same layout (it writes an
      // empty map as 0 bytes, which parsers read as empty too).
      if (g.pairs.length > 0) expect(hostEncodePairs(g.pairs)).toEqual(g.bytes);
    });

    it(`parses the golden bytes of ${g.name}`, () => {
      expect(count(g.bytes)).toBe(g.pairs.length);
      expect(undump(run("test_decode_bytes", g.bytes)!)).toEqual(textPairs(g.pairs));
      expect(undump(run("test_decode_text", g.bytes)!)).toEqual(textPairs(g.pairs));
    });
  }

  it("parses a 0-byte buffer (the host's empty map) as no pairs", () => {
    expect(count(new Uint8Array(0))).toBe(0);
    expect(undump(run("test_decode_bytes", new Uint8Array(0))!)).toEqual([]);
  });

  it("lower-cases ASCII names on request (what Envoy does to header names), and only ASCII", () => {
    const out = run(
      "test_encode_text",
      dump(
        textPairs([
          ["X-Mixed-CASE", "Value-Kept"],
          ["ÄB", "v"],
        ]),
      ),
      1,
    )!;
    expect(decodePairsBytes(out)!.map(([k, v]) => [new TextDecoder().decode(k), new TextDecoder().decode(v)])).toEqual([
      ["x-mixed-case", "Value-Kept"],
      ["Äb", "v"],
    ]);
  });

  it("keeps all 256 byte values exactly, in names and values", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const reversed = all.slice().reverse();
    const pairs: BytePair[] = [
      [all, reversed],
      [reversed, all],
    ];
    const expected = concat(
      u32(2),
      u32(256),
      u32(256),
      u32(256),
      u32(256),
      all,
      hex("00"),
      reversed,
      hex("00"),
      reversed,
      hex("00"),
      all,
      hex("00"),
    );
    const encoded = run("test_encode_bytes", dump(pairs))!;
    expect(encoded).toEqual(expected);
    expect(hostEncodePairs(pairs)).toEqual(expected);
    expect(undump(run("test_decode_bytes", encoded)!)).toEqual(pairs);
  });

  it("accepts the limits exactly: 1024 pairs and a 1 MiB buffer", () => {
    const many = concat(u32(1024), new Uint8Array(1024 * 8), new Uint8Array(1024 * 2));
    expect(count(many)).toBe(1024);
    const big = concat(
      u32(1),
      u32(1),
      u32(1048561),
      utf8("a"),
      new Uint8Array(1),
      new Uint8Array(1048561),
      new Uint8Array(1),
    );
    expect(big.length).toBe(1048576);
    expect(count(big)).toBe(1);
    expect(decodePairsBytes(big)).not.toBeNull();
  });

  for (const m of MALFORMED) {
    it(`rejects ${m.name} (as cpp-host does), without trapping`, () => {
      expect(decodePairsBytes(m.bytes)).toBeNull(); // the host's parser agrees it is malformed
      expect(count(m.bytes)).toBe(-1);
      expect(run("test_decode_bytes", m.bytes)).toBeNull();
      expect(run("test_decode_text", m.bytes)).toBeNull();
      expect(host.isFailed()).toBe(false);
    });
  }

  it("round-trips random maps, text and bytes", () => {
    const next = rng(0x5eed);
    const randomBytes = (max: number) => Uint8Array.from({ length: next(max) }, () => next(256));
    const randomText = (max: number) =>
      Array.from({ length: next(max) }, () => ["a", "Z", "-", ":", "é", "✓", "😀", " "][next(8)]).join("");
    for (let i = 0; i < 150; i++) {
      const pairs: BytePair[] = Array.from({ length: next(12) }, () => [randomBytes(20), randomBytes(40)]);
      const encoded = run("test_encode_bytes", dump(pairs))!;
      expect(encoded).toEqual(pairs.length ? hostEncodePairs(pairs) : u32(0));
      expect(undump(run("test_decode_bytes", encoded)!)).toEqual(pairs);
      const texts = textPairs(
        Array.from({ length: next(8) }, () => [randomText(10), randomText(20)] as [string, string]),
      );
      const encodedText = run("test_encode_text", dump(texts), 0)!;
      expect(undump(run("test_decode_text", encodedText)!)).toEqual(texts);
    }
  });

  it("accepts and rejects exactly what the host's cpp-host-equivalent parser does, on mutated buffers", () => {
    const next = rng(0xc0ffee);
    for (let i = 0; i < 400; i++) {
      const pairs: BytePair[] = Array.from({ length: 1 + next(4) }, () => [
        Uint8Array.from({ length: next(6) }, () => 1 + next(255)),
        Uint8Array.from({ length: next(6) }, () => 1 + next(255)),
      ]);
      let bytes = hostEncodePairs(pairs);
      switch (next(4)) {
        case 0:
          bytes = bytes.slice(0, next(bytes.length));
          break; // truncate
        case 1:
          bytes = concat(bytes, Uint8Array.of(next(256)));
          break; // append
        case 2: {
          bytes = bytes.slice();
          bytes[next(bytes.length)] = next(256);
          break;
        } // flip a byte
        default: {
          bytes = bytes.slice();
          bytes[next(Math.min(bytes.length, 4 + 8 * pairs.length))] ^= 1 << next(8);
        } // tweak a length
      }
      const reference = bytes.length === 0 ? [] : decodePairsBytes(bytes);
      const ours = run("test_decode_bytes", bytes);
      if (reference === null) {
        expect(ours, `case ${i}`).toBeNull();
      } else {
        expect(ours, `case ${i}`).not.toBeNull();
        expect(undump(ours!)).toEqual(reference.map(([k, v]) => [k.slice(), v.slice()]));
      }
    }
    expect(host.isFailed()).toBe(false);
  });
});
