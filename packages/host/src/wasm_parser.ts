// SPDX-License-Identifier: Apache-2.0
// Minimal wasm binary reader for the type, import, function and export sections, so import/export signatures can be checked without V8 flags.

export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "funcref" | "externref";

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export type ExternKind = "function" | "table" | "memory" | "global" | "tag";

export interface ParsedImport {
  module: string;
  name: string;
  kind: ExternKind;
  /** Signature for function imports. */
  type?: FuncType;
  /** Limits in pages for memory imports (32-bit memories). */
  limits?: { min: number; max?: number; shared: boolean };
}

export interface ParsedExport {
  name: string;
  kind: ExternKind;
  index: number;
  /** Signature for function exports (imported functions come first in the index space). */
  type?: FuncType;
}

export interface ParsedModule {
  types: FuncType[];
  imports: ParsedImport[];
  exports: ParsedExport[];
}

/** Thrown for any malformed or unsupported byte sequence; the message says where. */
export class WasmParseError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
    this.name = "WasmParseError";
  }
}

const VAL_TYPES: Record<number, ValType> = {
  0x7f: "i32",
  0x7e: "i64",
  0x7d: "f32",
  0x7c: "f64",
  0x7b: "v128",
  0x70: "funcref",
  0x6f: "externref",
};

const EXTERN_KINDS: ExternKind[] = ["function", "table", "memory", "global", "tag"];

/** A bounds-checked cursor; every read fails with WasmParseError instead of reading past `end`. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    public end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new WasmParseError("unexpected end of section", this.pos);
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 of at most 32 bits (5 bytes, last byte ≤ 0x0f). */
  u32(): number {
    let result = 0;
    for (let i = 0; i < 5; i++) {
      const b = this.byte();
      if (i === 4 && b > 0x0f) throw new WasmParseError("u32 LEB128 overflow", this.pos - 1);
      result += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    throw new WasmParseError("u32 LEB128 too long", this.pos);
  }

  /** Skips an unsigned LEB128 of up to 64 bits (memory64 limits). */
  skipU64(): void {
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    throw new WasmParseError("u64 LEB128 too long", this.pos);
  }

  name(): string {
    const len = this.u32();
    if (len > this.end - this.pos) throw new WasmParseError("name longer than section", this.pos);
    const slice = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(slice);
    } catch {
      throw new WasmParseError("name is not valid UTF-8", this.pos - len);
    }
  }

  valType(): ValType {
    const at = this.pos;
    const t = VAL_TYPES[this.byte()];
    if (!t) throw new WasmParseError("unsupported value type", at);
    return t;
  }

  /** Reads limits; returns them for 32-bit memories and tables, null for memory64 (skipped). */
  limits(memory: boolean): { min: number; max?: number; shared: boolean } | null {
    const flags = this.byte();
    if (flags > (memory ? 0x07 : 0x01)) throw new WasmParseError("bad limits flags", this.pos - 1);
    const shared = (flags & 0x02) !== 0;
    if ((flags & 0x04) !== 0) {
      this.skipU64();
      if (flags & 0x01) this.skipU64();
      return null;
    }
    const min = this.u32();
    return flags & 0x01 ? { min, max: this.u32(), shared } : { min, shared };
  }
}

function readTypeSection(r: Reader): FuncType[] {
  const count = r.u32();
  const types: FuncType[] = [];
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    if (r.byte() !== 0x60) throw new WasmParseError("unsupported type form (only func types)", at);
    const params: ValType[] = [];
    for (let n = r.u32(), j = 0; j < n; j++) params.push(r.valType());
    const results: ValType[] = [];
    for (let n = r.u32(), j = 0; j < n; j++) results.push(r.valType());
    types.push({ params, results });
  }
  return types;
}

function typeAt(types: FuncType[], index: number, at: number): FuncType {
  const t = types[index];
  if (!t) throw new WasmParseError(`type index ${index} out of range`, at);
  return t;
}

/**
 * Parses the sections a proxy-wasm host needs to link a module. Unknown and custom sections are
 * skipped by size; anything malformed in the sections read throws WasmParseError.
 */
export function parseWasm(bytes: Uint8Array): ParsedModule {
  if (bytes.length < 8) throw new WasmParseError("module shorter than the header", 0);
  const magic = bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) throw new WasmParseError("bad magic number", 0);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new WasmParseError("unsupported binary version", 4);
  }
  let types: FuncType[] = [];
  const imports: ParsedImport[] = [];
  const functionTypeIndices: number[] = [];
  const rawExports: { name: string; kind: ExternKind; index: number }[] = [];
  const top = new Reader(bytes, 8, bytes.length);
  while (top.pos < top.end) {
    const id = top.byte();
    const size = top.u32();
    const start = top.pos;
    if (size > top.end - start) throw new WasmParseError(`section ${id} larger than the module`, start);
    const r = new Reader(bytes, start, start + size);
    switch (id) {
      case 1:
        types = readTypeSection(r);
        break;
      case 2:
        for (let n = r.u32(), i = 0; i < n; i++) {
          const module = r.name();
          const name = r.name();
          const kindAt = r.pos;
          const kind = EXTERN_KINDS[r.byte()];
          if (!kind) throw new WasmParseError("unknown import kind", kindAt);
          if (kind === "function") {
            const at = r.pos;
            const typeIndex = r.u32();
            imports.push({ module, name, kind, type: typeAt(types, typeIndex, at) });
            functionTypeIndices.push(typeIndex);
            continue;
          }
          if (kind === "table") {
            r.valType();
            r.limits(false);
          } else if (kind === "memory") {
            const limits = r.limits(true);
            if (limits) {
              imports.push({ module, name, kind, limits });
              continue;
            }
          } else if (kind === "global") {
            r.valType();
            r.byte();
          } else {
            r.byte();
            r.u32();
          }
          imports.push({ module, name, kind });
        }
        break;
      case 3:
        for (let n = r.u32(), i = 0; i < n; i++) functionTypeIndices.push(r.u32());
        break;
      case 7:
        for (let n = r.u32(), i = 0; i < n; i++) {
          const name = r.name();
          const kindAt = r.pos;
          const kind = EXTERN_KINDS[r.byte()];
          if (!kind) throw new WasmParseError("unknown export kind", kindAt);
          rawExports.push({ name, kind, index: r.u32() });
        }
        break;
      default:
        r.pos = r.end;
    }
    if (r.pos !== r.end) throw new WasmParseError(`section ${id} size mismatch`, r.pos);
    top.pos = start + size;
  }
  const exports: ParsedExport[] = rawExports.map((e) => {
    if (e.kind !== "function") return e;
    const typeIndex = functionTypeIndices[e.index];
    if (typeIndex === undefined) throw new WasmParseError(`export ${e.name}: function index out of range`, 0);
    return { ...e, type: typeAt(types, typeIndex, 0) };
  });
  return { types, imports, exports };
}

/** Formats a signature the way cpp-host prints it: "i32 i32 -> i32", "void" for no values. */
export function formatSignature(t: FuncType): string {
  const side = (v: ValType[]) => (v.length === 0 ? "void" : v.join(" "));
  return `${side(t.params)} -> ${side(t.results)}`;
}

export function sameSignature(a: FuncType, b: FuncType): boolean {
  return (
    a.params.length === b.params.length &&
    a.results.length === b.results.length &&
    a.params.every((p, i) => p === b.params[i]) &&
    a.results.every((p, i) => p === b.results[i])
  );
}
