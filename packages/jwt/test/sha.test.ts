// SPDX-License-Identifier: Apache-2.0
// SHA-256/384/512 through the compiled wasm against node:crypto: fixed sizes around block edges,
// random messages and random streaming chunkings (including the "top up a partial block" path).
import { describe, it, expect, beforeAll } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { loadFixture, type Fixture } from "./wasm";

interface HashExports {
  digest(alg: number, msg: number): number;
  digestChunked(alg: number, msg: number, chunks: number): number;
}

const ALGS = [
  { id: 0, node: "sha256", len: 32, block: 64 },
  { id: 1, node: "sha384", len: 48, block: 128 },
  { id: 2, node: "sha512", len: 64, block: 128 },
] as const;

let fx: Fixture<HashExports>;
beforeAll(() => {
  fx = loadFixture<HashExports>("hash");
});

function wasmDigest(alg: number, msg: Uint8Array): Buffer {
  const out = Buffer.from(fx.read(fx.exports.digest(alg, fx.bytes(msg))));
  fx.release();
  return out;
}

function wasmChunked(alg: number, msg: Uint8Array, sizes: number[]): Buffer {
  const chunks = new Uint8Array(new Uint32Array(sizes).buffer);
  const out = Buffer.from(fx.read(fx.exports.digestChunked(alg, fx.bytes(msg), fx.bytes(chunks))));
  fx.release();
  return out;
}

/** Deterministic PRNG so a failing chunking can be reproduced from the printed seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(ALGS)("$node", ({ id, node, len, block }) => {
  const ref = (m: Uint8Array) => createHash(node).update(m).digest();

  it("matches node:crypto for every length from 0 to 3 blocks + 1", () => {
    for (let n = 0; n <= 3 * block + 1; n++) {
      const m = randomBytes(n);
      const got = wasmDigest(id, m);
      expect(got.length).toBe(len);
      expect(got.toString("hex"), `length ${n}`).toBe(ref(m).toString("hex"));
    }
  });

  it("known answer for 'abc' and the empty string (FIPS 180-4 examples)", () => {
    // The expectations come from node:crypto, which implements the same published examples.
    for (const s of ["", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmjklmnklmnolmnopmnopqnopq"]) {
      const m = Buffer.from(s);
      expect(wasmDigest(id, m).toString("hex")).toBe(ref(m).toString("hex"));
    }
  });

  it("large random messages", () => {
    for (const n of [1000, 4096, 65537, 1 << 20]) {
      const m = randomBytes(n);
      expect(wasmDigest(id, m).toString("hex")).toBe(ref(m).toString("hex"));
    }
  });

  it("streaming: partial block then a larger piece (as-sha256 re-compression bug class)", () => {
    const m = randomBytes(110 + 3 * block);
    const want = ref(m).toString("hex");
    for (const sizes of [
      [10, 100],
      [1, block],
      [block - 1, 2],
      [block + 1, block - 1],
      [0, 0, 5, 0],
    ]) {
      const out = wasmChunked(id, m, sizes);
      expect(out.subarray(0, len).toString("hex"), `chunks ${sizes}`).toBe(want);
      expect(out.subarray(len).toString("hex"), `reuse after finish, chunks ${sizes}`).toBe(want);
    }
  });

  it("streaming with 300 random chunkings equals the one-shot digest", () => {
    const seed = (Date.now() ^ id) >>> 0;
    const rnd = prng(seed);
    for (let t = 0; t < 300; t++) {
      const n = Math.floor(rnd() * 5 * block);
      const m = randomBytes(n);
      const sizes: number[] = [];
      let left = n;
      while (left > 0) {
        // Mostly small, sometimes a block or more, sometimes empty.
        const r = rnd();
        const take = r < 0.1 ? 0 : r < 0.7 ? Math.floor(rnd() * 20) : Math.floor(rnd() * 3 * block);
        sizes.push(take);
        left -= take;
      }
      const out = wasmChunked(id, m, sizes);
      const want = ref(m).toString("hex");
      expect(out.subarray(0, len).toString("hex"), `seed ${seed} case ${t} chunks ${sizes}`).toBe(want);
      expect(out.subarray(len).toString("hex"), `seed ${seed} case ${t} second use`).toBe(want);
    }
  });
});

describe("unknown hash alg", () => {
  it("gives an empty digest, no trap", () => {
    for (const alg of [-1, 3, 255, 0x7fffffff]) expect(wasmDigest(alg, Buffer.from("x")).length).toBe(0);
  });
});
