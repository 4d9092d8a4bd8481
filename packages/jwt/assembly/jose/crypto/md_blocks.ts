// SPDX-License-Identifier: Apache-2.0
// The Merkle–Damgård message handling SHA-256 and SHA-512 share (FIPS 180-4 §5.1, §6.2, §6.4): the
// input gathered into blocks, whole blocks compressed straight from the input, and the final
// padding. Generic over the hash class: each hash gets its own copy, compiled with its block size
// and calling its own compress() directly, so there is no virtual call and a build that uses one
// hash holds none of the other's code (the algorithm masks' dead-code elimination depends on it).

/** Hashes `len` bytes at `ptr` into `hash`, whose blocks are `blockLength` bytes; the caller guarantees the range is readable. */
export function absorb<H>(hash: H, ptr: usize, len: i32, blockLength: i32): void {
  if (len <= 0) return;
  hash.totalBytes += <u64>len;
  const block = changetype<usize>(hash.block);
  let offset = 0;
  let fill = hash.blockFill;
  if (fill > 0) {
    // Top up the partial block first; only a full block is compressed, and the bytes just
    // copied are consumed from the input (offset advances by exactly what was copied).
    const take = min(blockLength - fill, len);
    memory.copy(block + <usize>fill, ptr, <usize>take);
    fill += take;
    offset = take;
    if (fill < blockLength) {
      hash.blockFill = fill;
      return;
    }
    hash.compress(block);
    fill = 0;
  }
  while (len - offset >= blockLength) {
    hash.compress(ptr + <usize>offset);
    offset += blockLength;
  }
  const rest = len - offset;
  if (rest > 0) memory.copy(block, ptr + <usize>offset, <usize>rest);
  hash.blockFill = rest;
}

/**
 * Pads the message and compresses what is left: 0x80, zeros, and the length in bits big-endian in
 * the block's last `lengthFieldBytes` (8 for SHA-256, 16 for SHA-512, whose upper 8 stay zero: inputs
 * here never reach 2^64 bytes). The caller then reads the state out and resets.
 */
export function padAndCompress<H>(hash: H, blockLength: i32, lengthFieldBytes: i32): void {
  const block = changetype<usize>(hash.block);
  const bitLength = hash.totalBytes << 3;
  let fill = hash.blockFill;
  store<u8>(block + <usize>fill, 0x80);
  fill++;
  if (fill > blockLength - lengthFieldBytes) {
    memory.fill(block + <usize>fill, 0, <usize>(blockLength - fill));
    hash.compress(block);
    fill = 0;
  }
  memory.fill(block + <usize>fill, 0, <usize>(blockLength - 8 - fill));
  store<u64>(block + <usize>(blockLength - 8), bswap<u64>(bitLength));
  hash.compress(block);
}
