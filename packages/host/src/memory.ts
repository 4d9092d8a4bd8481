// SPDX-License-Identifier: Apache-2.0
// Bounds-checked access to a guest's linear memory; views are rebuilt whenever memory.grow detaches the old buffer.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class GuestMemory {
  private bytes = new Uint8Array(0);
  private view = new DataView(new ArrayBuffer(0));

  private memory: WebAssembly.Memory | null = null;

  /** Attaches the instance's memory (host functions are built before the instance exists). */
  bind(memory: WebAssembly.Memory): void {
    this.memory = memory;
  }

  /** Current views; a grown memory has a new ArrayBuffer, so compare identity on every access. */
  private refresh(): void {
    const buffer = this.memory ? this.memory.buffer : this.bytes.buffer;
    if (this.bytes.buffer !== buffer) {
      this.bytes = new Uint8Array(buffer);
      this.view = new DataView(buffer);
    }
  }

  get byteLength(): number {
    return this.memory ? this.memory.buffer.byteLength : 0;
  }

  inBounds(ptr: number, len: number): boolean {
    this.refresh();
    return ptr >= 0 && len >= 0 && ptr + len <= this.bytes.length;
  }

  /** A copy of guest bytes, or null when out of bounds. */
  read(ptr: number, len: number): Uint8Array | null {
    if (!this.inBounds(ptr, len)) return null;
    return this.bytes.slice(ptr, ptr + len);
  }

  readString(ptr: number, len: number): string | null {
    const b = this.read(ptr, len);
    return b === null ? null : decoder.decode(b);
  }

  write(ptr: number, data: Uint8Array): boolean {
    if (!this.inBounds(ptr, data.length)) return false;
    this.bytes.set(data, ptr);
    return true;
  }

  writeU32(ptr: number, value: number): boolean {
    if (!this.inBounds(ptr, 4)) return false;
    this.view.setUint32(ptr, value >>> 0, true);
    return true;
  }

  writeU64(ptr: number, value: bigint): boolean {
    if (!this.inBounds(ptr, 8)) return false;
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
    return true;
  }

  readU32(ptr: number): number | null {
    if (!this.inBounds(ptr, 4)) return null;
    return this.view.getUint32(ptr, true);
  }
}

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
