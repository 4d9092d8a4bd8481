// SPDX-License-Identifier: Apache-2.0
// Guest memory hand-off with the host: out-param slots, taking ownership of host-allocated blocks,
// and a reusable scratch area for encoding string arguments without allocating managed objects.
//
// The host allocates every returned value with proxy_on_memory_allocate (= heap.alloc, unmanaged)
// and writes pointer and size into the out-params. The SDK copies the bytes into a managed object
// and frees the block at once, so no host block outlives the wrapper that received it. Pointers the
// host hands back are range-checked first: a bad pointer yields an empty value, never a trap.

/** Static out-param slots: host writes u32 pointer/size/id/cas values or a u64 here. */
// @ts-ignore: decorator
@lazy export const OUT_PTR: usize = memory.data(8, 8);
// @ts-ignore: decorator
@lazy export const OUT_SIZE: usize = memory.data(8, 8);
// @ts-ignore: decorator
@lazy export const OUT_WORD: usize = memory.data(8, 8);

/** Zeroes the out-param slots so a host that returns OK without writing reads as "empty". */
// @ts-ignore: decorator
@inline export function clearOut(): void {
  store<u64>(OUT_PTR, 0);
  store<u64>(OUT_SIZE, 0);
  store<u64>(OUT_WORD, 0);
}

// @ts-ignore: decorator
@inline export function outPtr(): usize {
  return <usize>load<u32>(OUT_PTR);
}
// @ts-ignore: decorator
@inline export function outSize(): usize {
  return <usize>load<u32>(OUT_SIZE);
}
// @ts-ignore: decorator
@inline export function outWord(): u32 {
  return load<u32>(OUT_WORD);
}
// @ts-ignore: decorator
@inline export function outWord64(): u64 {
  return load<u64>(OUT_WORD);
}

/** True when [ptr, ptr+size) lies inside linear memory (u64 math: no wrap-around on wasm32). */
export function inMemory(ptr: usize, size: usize): bool {
  return ptr != 0 && <u64>ptr + <u64>size <= (<u64>memory.size()) << 16;
}

/**
 * True when `ptr` looks like a live block of at least `size` bytes from our allocator: inside the
 * heap, 16-byte aligned, and its TLSF header (the u32 before it) says "used" with a large enough
 * size. The same checks TLSF itself asserts before freeing (compiled out with noAssert), so a
 * host that describes a block wrongly yields an empty value instead of a trap or a corrupt heap.
 */
export function isHostBlock(ptr: usize, size: usize): bool {
  if (ptr < __heap_base || (ptr & 15) != 0 || !inMemory(ptr, size)) return false;
  let info = load<u32>(ptr - 4);
  let blockSize = <usize>(info & ~3);
  return (info & 1) == 0 && blockSize >= size && inMemory(ptr, blockSize);
}

/** Frees the block named by the out-params, if it is one of ours. */
export function freeOutBlock(): void {
  let ptr = outPtr();
  if (isHostBlock(ptr, outSize())) heap.free(ptr);
}

/** Copies the host block named by the out-params into a new Uint8Array and frees the block. */
export function takeOutBytes(): Uint8Array {
  let ptr = outPtr();
  let size = outSize();
  if (!isHostBlock(ptr, size)) return new Uint8Array(0); // incl. the host's (0, 0) for "empty"
  if (size == 0) {
    heap.free(ptr);
    return new Uint8Array(0);
  }
  let bytes = new Uint8Array(<i32>size);
  memory.copy(bytes.dataStart, ptr, size);
  heap.free(ptr);
  return bytes;
}

/**
 * `String.UTF8.decodeUnsafe(ptr, size, false)`, with a fast path for ASCII, which header values and
 * tokens almost always are: 4 bytes widened a step instead of one byte a step. Any byte over 0x7f
 * sends the whole text to the standard decoder, so the result is the same for every input.
 */
export function decodeUtf8Unsafe(ptr: usize, size: usize): string {
  const ascii = decodeAsciiUnsafe(ptr, size);
  return ascii !== null ? ascii : String.UTF8.decodeUnsafe(ptr, size, false);
}

/**
 * The bytes `ptr[0..size)` as a string when every one is below 0x80, else null: one pass, 4 bytes
 * widened and checked a step (the string made for a text that turns out not to be ASCII is left to
 * the collector: rare, and cheaper than a second pass over every ASCII text).
 */
export function decodeAsciiUnsafe(ptr: usize, size: usize): string | null {
  const out = changetype<usize>(__new(size << 1, idof<String>()));
  let high: u32 = 0;
  let i: usize = 0;
  for (; i + 4 <= size; i += 4) {
    const x = load<u32>(ptr + i);
    high |= x;
    const w = <u64>x;
    store<u64>(out + (i << 1), (w & 0xff) | ((w & 0xff00) << 8) | ((w & 0xff0000) << 16) | ((w & 0xff000000) << 24));
  }
  for (; i < size; i++) {
    const c = load<u8>(ptr + i);
    high |= c;
    store<u16>(out + (i << 1), c);
  }
  return (high & 0x80808080) == 0 ? changetype<string>(out) : null;
}

/** Decodes the host block named by the out-params as UTF-8 and frees the block. */
export function takeOutString(): string {
  let ptr = outPtr();
  let size = outSize();
  if (!isHostBlock(ptr, size)) return "";
  let text = size == 0 ? "" : decodeUtf8Unsafe(ptr, size);
  heap.free(ptr);
  return text;
}

// ---- Scratch for outgoing arguments ----

/** Requests up to this size reuse one block kept for the VM's lifetime; larger ones are temporary. */
// @ts-ignore: decorator
@inline const SCRATCH_KEEP: usize = 16384;
let scratch: usize = 0;

/**
 * A block of at least `size` bytes for encoding call arguments. Valid until `releaseScratch`; not
 * re-entrant (hostcalls never call back into SDK code that borrows scratch, only the allocator).
 */
export function borrowScratch(size: usize): usize {
  if (size <= SCRATCH_KEEP) {
    if (scratch == 0) scratch = heap.alloc(SCRATCH_KEEP);
    return scratch;
  }
  return heap.alloc(size);
}

/** Gives back a block from `borrowScratch`. */
export function releaseScratch(ptr: usize): void {
  if (ptr != scratch) heap.free(ptr);
}

/** Upper bound of the UTF-8 size of a string (3 bytes per UTF-16 unit; surrogate pairs use 4 for 2). */
// @ts-ignore: decorator
@inline export function maxUtf8Size(text: string): usize {
  return <usize>text.length * 3;
}

/**
 * Writes `text` as UTF-8 at `dst`; returns the number of bytes written. ASCII (header names, most
 * values) goes 4 units a step; from the first block holding a unit over 0x7f on, the standard
 * encoder takes over (the units before it are ASCII, so no surrogate pair is split).
 */
export function writeUtf8(text: string, dst: usize): usize {
  const src = changetype<usize>(text);
  const len = <usize>text.length;
  let i: usize = 0;
  for (; i + 4 <= len; i += 4) {
    const x = load<u64>(src + (i << 1));
    if ((x & 0xff80ff80ff80ff80) != 0) break;
    store<u32>(dst + i, <u32>((x & 0xff) | ((x >> 8) & 0xff00) | ((x >> 16) & 0xff0000) | ((x >> 24) & 0xff000000)));
  }
  if (i == len) return len;
  // Every argument given (errorMode too): no @varargs trampoline in the module.
  return i + String.UTF8.encodeUnsafe(src + (i << 1), <i32>(len - i), dst + i, false, String.UTF8.ErrorMode.WTF8);
}

/** Lower-cases ASCII letters in place (header names: Envoy stores them lower-case). */
export function lowerAsciiInPlace(ptr: usize, size: usize): void {
  for (let i: usize = 0; i < size; i++) {
    let c = load<u8>(ptr + i);
    if (<u32>(c - 0x41) < 26) store<u8>(ptr + i, c | 0x20);
  }
}
