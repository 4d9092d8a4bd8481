// SPDX-License-Identifier: Apache-2.0
// Hand-assembles tiny wasm binaries (types, imports, functions, exports, bodies) for validator tests without a compiler.

type V = "i32" | "i64" | "f32" | "f64";
const VT: Record<V, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

export interface Sig {
  params: V[];
  results: V[];
}
export const s = (params: string, results = ""): Sig => ({
  params: params ? (params.split(" ") as V[]) : [],
  results: results ? (results.split(" ") as V[]) : [],
});

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const name = (str: string) => {
  const b = [...new TextEncoder().encode(str)];
  return [...leb(b.length), ...b];
};
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];

export interface ModuleSpec {
  imports?: { module: string; name: string; sig: Sig }[];
  /** Exported functions; each body returns zero values of its result types. */
  funcs?: { export: string; sig: Sig }[];
  memory?: boolean;
}

/** Builds a valid module whose functions return constant zeros; memory is exported as "memory". */
export function buildModule(spec: ModuleSpec): Uint8Array {
  const sigs: Sig[] = [];
  const typeIndex = (sg: Sig) => {
    const key = JSON.stringify(sg);
    let i = sigs.findIndex((x) => JSON.stringify(x) === key);
    if (i < 0) i = sigs.push(sg) - 1;
    return i;
  };
  const imports = (spec.imports ?? []).map((im) => [
    ...name(im.module),
    ...name(im.name),
    0x00,
    ...leb(typeIndex(im.sig)),
  ]);
  const funcs = spec.funcs ?? [];
  const funcTypes = funcs.map((f) => leb(typeIndex(f.sig)));
  const importCount = imports.length;
  const exports = funcs.map((f, i) => [...name(f.export), 0x00, ...leb(importCount + i)]);
  if (spec.memory !== false) exports.push([...name("memory"), 0x02, 0x00]);
  const zero: Record<V, number[]> = {
    i32: [0x41, 0x00],
    i64: [0x42, 0x00],
    f32: [0x43, 0, 0, 0, 0],
    f64: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  };
  const bodies = funcs.map((f) => {
    const code = [0x00, ...f.sig.results.flatMap((r) => zero[r]), 0x0b];
    return [...leb(code.length), ...code];
  });
  const types = sigs.map((sg) => [0x60, ...vec(sg.params.map((p) => [VT[p]])), ...vec(sg.results.map((r) => [VT[r]]))]);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...(imports.length ? section(2, vec(imports)) : []),
    ...section(3, vec(funcTypes)),
    ...(spec.memory !== false ? section(5, vec([[0x00, 0x01]])) : []),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ];
  return new Uint8Array(bytes);
}

/** The smallest loadable proxy-wasm module: marker, allocator, memory. */
export const minimalFuncs = [
  { export: "proxy_abi_version_0_2_1", sig: s("") },
  { export: "proxy_on_memory_allocate", sig: s("i32", "i32") },
];
