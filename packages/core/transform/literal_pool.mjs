// SPDX-License-Identifier: Apache-2.0
// AssemblyScript compiler transform: the string literals of our sources are stored as UTF-8
// bytes and turned into strings on first use.
//
// Why: asc stores every string literal as its own static object (a 20-byte header plus UTF-16
// text), which binaryen's memory packing then splits into two data segments. In a JWT filter that
// was a third of the module: hundreds of configuration messages, field names and log texts, almost
// all ASCII, most of them needed only when a configuration is refused. Here each distinct literal
// becomes a small generated function owning a static record [cache slot: u16][length: 1 or 2
// bytes][UTF-8 bytes], unaligned, so a literal costs its UTF-8 bytes plus three (four from 128
// bytes on), and one it only dead code uses costs nothing (the function is never compiled). The
// slots (one word per distinct literal) start as zeros, which memory packing leaves out of the
// module: they cost memory, not module bytes.
//
// What changes at run time: the first use of a literal decodes it (one allocation), pins the string
// (the slot's pointer is invisible to the collector) and keeps it in the slot, so later uses
// return the same string. Strings compare by value in AssemblyScript; nothing observes the
// difference but that first allocation.
//
// Left as they are (they must stay compile-time constants, or cannot be stored as UTF-8): decorator
// arguments, import/export paths, arguments of compile-time builtins, operands compared with
// `typeof`, elements of `@lazy` global arrays other than string tables (asc 0.28 miscompiles those
// with calls inside; string tables get a generated builder function instead), literals outside our
// sources (the standard library) and in core's abort handler (it must not allocate), the empty
// string, literals holding a lone surrogate, literals over 32,767 UTF-8 bytes and any literal past
// the 65,536th distinct one.
// `GETWILD_LITERAL_POOL=0` in the environment turns it off.
import { ASTBuilder, LiteralKind, Node, NodeKind, Token } from "assemblyscript";

const POOL_PATH = "~lib/getwild_literal_pool.ts";
const POOL_FUNCTION = "__getwild_literal";
const MAX_BYTES = 0x7fff; // two length bytes hold 15 bits
const MAX_SLOTS = 0x10000; // a record names its cache slot in 16 bits
const STRING_ARRAY_TYPES = new Set(["StaticArray<string>", "Array<string>", "string[]"]);
const COMPILE_TIME_CALLS = new Set([
  "isDefined",
  "isConstant",
  "ERROR",
  "WARNING",
  "INFO",
  "offsetof",
  "nameof",
  "idof",
]);

/**
 * Core's abort handler keeps static literals: it runs when the heap may be exhausted or broken and
 * must not allocate, which a pooled literal's first use does.
 */
const ABORT_SOURCE = /(^|\/)assembly\/abort\.ts$/;

/** Sources we own: user files (not `~lib/`) and getwild packages; never the standard library. */
export function isPooledSource(normalizedPath) {
  if (ABORT_SOURCE.test(normalizedPath)) return false;
  return !normalizedPath.startsWith("~lib/") || normalizedPath.startsWith("~lib/@getwild/");
}

function isStringLiteral(node) {
  return node instanceof Node && node.kind === NodeKind.Literal && node.literalKind === LiteralKind.String;
}

function hasLoneSurrogate(text) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** Whether the string literals directly under `node` must stay compile-time constants. */
function keepsLiterals(node) {
  switch (node.kind) {
    case NodeKind.Decorator:
    case NodeKind.Import:
    case NodeKind.Export:
    case NodeKind.ExportImport:
    case NodeKind.ExportDefault:
    case NodeKind.ImportDeclaration:
    case NodeKind.ExportMember:
      return true;
    case NodeKind.Call: {
      const callee = node.expression;
      return callee.kind === NodeKind.Identifier && COMPILE_TIME_CALLS.has(callee.text);
    }
    case NodeKind.Binary:
      return isTypeof(node.left) || isTypeof(node.right);
  }
  return false;
}

/** A top-level `@lazy` variable statement. */
function isLazyGlobal(node) {
  if (node.kind !== NodeKind.Variable) return false;
  const decorators = node.decorators ?? [];
  return decorators.some((d) => d.name.kind === NodeKind.Identifier && d.name.text === "lazy");
}

function isArrayLiteral(node) {
  return node.kind === NodeKind.Literal && node.literalKind === LiteralKind.Array;
}

function isTypeof(node) {
  return node.kind === NodeKind.UnaryPrefix && node.operator === Token.TypeOf;
}

export default class LiteralPool {
  afterParse(parser) {
    if (process.env.GETWILD_LITERAL_POOL === "0") return;
    const slots = new Map(); // text -> index in texts, one generated function each
    const texts = [];
    const visited = new Set();
    const slotOf = (text) => {
      let slot = slots.get(text);
      if (slot === undefined) {
        slot = texts.length;
        slots.set(text, slot);
        texts.push(text);
      }
      return slot;
    };
    const replacement = (literal) => {
      const text = literal.value;
      if (!canPool(text) || (!slots.has(text) && texts.length >= MAX_SLOTS)) return null;
      const range = literal.range;
      const callee = Node.createIdentifierExpression(literalFunction(slotOf(text)), range);
      return Node.createCallExpression(callee, null, [], range);
    };
    const arrays = []; // source text of each generated `@lazy` array builder
    // asc 0.28 compiles a `@lazy` global array of non-constant elements with locals it never
    // declares (an invalid module). A string table (`@lazy const T: StaticArray<string> = [...]`)
    // is therefore built by a generated function, which walks one static block of records.
    const lazyStringTable = (declaration) => {
      const init = declaration.initializer;
      if (!init || !isArrayLiteral(init) || !declaration.type) return false;
      if (!STRING_ARRAY_TYPES.has(ASTBuilder.build(declaration.type))) return false;
      const texts = init.elementExpressions.map((e) => (e && isStringLiteral(e) ? e.value : null));
      if (!texts.every((t) => t !== null && (t === "" || canPool(t)))) return false;
      const name = `${POOL_FUNCTION}_table_${arrays.length}`;
      arrays.push(tableSource(name, ASTBuilder.build(declaration.type), texts));
      declaration.initializer = Node.createCallExpression(
        Node.createIdentifierExpression(name, init.range),
        null,
        [],
        init.range,
      );
      return true;
    };
    const visit = (node, inLazyGlobal) => {
      if (visited.has(node)) return;
      visited.add(node);
      if (keepsLiterals(node)) return;
      if (node.kind === NodeKind.VariableDeclaration && inLazyGlobal && lazyStringTable(node)) return;
      // Other `@lazy` global arrays (not string tables) keep their static literals, see above.
      if (inLazyGlobal && isArrayLiteral(node)) return;
      const below = node.kind === NodeKind.Source ? isLazyGlobal : () => inLazyGlobal;
      for (const key of Object.keys(node)) {
        if (key === "range") continue;
        const value = node[key];
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item = value[i];
            if (!(item instanceof Node)) continue;
            if (isStringLiteral(item)) {
              const call = replacement(item);
              if (call) value[i] = call;
            } else visit(item, below(item));
          }
        } else if (value instanceof Node) {
          if (isStringLiteral(value)) {
            const call = replacement(value);
            if (call) node[key] = call;
          } else visit(value, below(value));
        }
      }
    };
    for (const source of parser.sources) {
      if (isPooledSource(source.normalizedPath)) visit(source, false);
    }
    if (texts.length === 0 && arrays.length === 0) return;
    parser.parseFile(poolSource(texts) + arrays.join("\n") + "\n", POOL_PATH, false);
  }

  /**
   * asc emits one data segment per static object or record, about 6 bytes of segment header each,
   * and binaryen's memory packing only splits segments (at runs of zeros), never joins them. Joining
   * neighbours here, before asc optimizes, lets memory packing choose every split itself.
   */
  afterCompile(module) {
    if (process.env.GETWILD_LITERAL_POOL === "0") return;
    joinDataSegments(module);
  }
}

/** Joins active data segments less than 16 bytes apart (the gap filled with zeros). */
export function joinDataSegments(module) {
  const segments = [];
  for (let i = 0; i < module.getNumDataSegments(); i++) {
    const info = module.getDataSegmentInfo(module.getDataSegmentByIndex(i));
    if (info.passive || typeof info.offset !== "number") return;
    segments.push({ offset: info.offset, data: new Uint8Array(info.data) });
  }
  if (segments.length < 2) return;
  segments.sort((a, b) => a.offset - b.offset);
  const joined = [segments[0]];
  for (const segment of segments.slice(1)) {
    const last = joined[joined.length - 1];
    const end = last.offset + last.data.length;
    if (segment.offset < end) return; // overlapping: leave asc's layout alone
    if (segment.offset - end >= 16) {
      joined.push(segment);
      continue;
    }
    const data = new Uint8Array(segment.offset + segment.data.length - last.offset);
    data.set(last.data);
    data.set(segment.data, segment.offset - last.offset);
    last.data = data;
  }
  const memory = module.getMemoryInfo();
  module.setMemory(
    memory.initial,
    memory.max ?? -1,
    null,
    joined.map((s) => ({ offset: module.i32.const(s.offset), data: s.data, passive: false })),
    memory.shared,
    memory.is64,
    "0",
  );
}

/**
 * The length prefix of a record: one byte below 128, else two (seven low bits with the high bit
 * set, then the rest), so short literals, nearly all of them, pay one byte.
 */
function lengthPrefix(length) {
  return length < 0x80 ? [length] : [0x80 | (length & 0x7f), length >>> 7];
}

/** UTF-8 record of a pooled literal: [cache slot: u16][length: 1 or 2 bytes][UTF-8 bytes]. */
function record(text, slot) {
  const encoded = Buffer.from(text, "utf8");
  return [slot & 0xff, slot >>> 8, ...lengthPrefix(encoded.length), ...encoded];
}

/** UTF-8 record of a table entry: [length: 1 or 2 bytes][UTF-8 bytes] (the table keeps the string). */
function tableRecord(text) {
  const encoded = Buffer.from(text, "utf8");
  return [...lengthPrefix(encoded.length), ...encoded];
}

function isAscii(text) {
  return Buffer.byteLength(text, "utf8") === text.length;
}

/**
 * A builder for a string table: its records in one static block, read in order into a new array
 * of `type`, so an entry costs its record and no code. The array keeps its strings: no cache slot.
 */
function tableSource(name, type, texts) {
  const block = texts.flatMap(tableRecord);
  const reader = texts.every(isAscii) ? `${POOL_FUNCTION}_entry` : `${POOL_FUNCTION}_entry_utf8`;
  const array = type === "StaticArray<string>" ? "StaticArray<string>" : "Array<string>";
  return `// @ts-ignore: decorator
@global export function ${name}(): ${type} {
  const table = new ${array}(${texts.length});
  ${POOL_FUNCTION}_cursor = memory.data<u8>([${block.join(",")}], 1);
  for (let i = 0; i < ${texts.length}; i++) unchecked((table[i] = ${reader}()));
  return table;
}`;
}

function canPool(text) {
  return text.length > 0 && !hasLoneSurrogate(text) && Buffer.byteLength(text, "utf8") <= MAX_BYTES;
}

function literalFunction(slot) {
  return `${POOL_FUNCTION}_${slot}`;
}

/**
 * The library file: one function per distinct literal, each owning a static record (see `record`),
 * so a literal no compiled code uses leaves nothing in the module. The strings themselves are kept
 * in a block of cache slots, one word per distinct literal, zero at start: memory packing leaves
 * zeros out of the module, so the slots cost memory, not module bytes. ASCII records (the usual
 * case) are widened by a loop; only a live non-ASCII literal pulls in the UTF-8 decoder.
 */
export function poolSource(texts) {
  const functions = texts.map((text, slot) => {
    const reader = isAscii(text) ? POOL_FUNCTION : `${POOL_FUNCTION}_utf8`;
    return `// @ts-ignore: decorator
@global export function ${literalFunction(slot)}(): string {
  return ${reader}(memory.data<u8>([${record(text, slot).join(",")}], 1));
}`;
  });
  return `// Generated by @getwild/core/transform/literal_pool.mjs for this build.

// @ts-ignore: decorator
@lazy const ${POOL_FUNCTION}_slots: usize = memory.data(${Math.max(texts.length, 1) * 4}, 4);

/** A new string of the \`length\` ASCII bytes at \`at\`. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_ascii(at: usize, length: usize): string {
  const s = changetype<usize>(__new(length << 1, idof<String>()));
  for (let i: usize = 0; i < length; i++) store<u16>(s + (i << 1), load<u8>(at + i));
  return changetype<string>(s);
}

/** Where the next table entry record starts (see \`tableSource\`). */
let ${POOL_FUNCTION}_cursor: usize = 0;

/** The length prefix of the table entry at the cursor; moves the cursor past the entry. */
function ${POOL_FUNCTION}_entry_length(): usize {
  let at = ${POOL_FUNCTION}_cursor;
  let length = <usize>load<u8>(at++);
  if (length & 0x80) length = (length & 0x7f) | (<usize>load<u8>(at++) << 7);
  ${POOL_FUNCTION}_cursor = at + length;
  return length;
}

/** The ASCII table entry at the cursor, as a new string; moves the cursor past it. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_entry(): string {
  const length = ${POOL_FUNCTION}_entry_length();
  return ${POOL_FUNCTION}_ascii(${POOL_FUNCTION}_cursor - length, length);
}

/** The same for an entry with non-ASCII characters. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_entry_utf8(): string {
  const length = ${POOL_FUNCTION}_entry_length();
  return String.UTF8.decodeUnsafe(${POOL_FUNCTION}_cursor - length, length);
}

/** The cache slot a literal record names. */
// @ts-ignore: decorator
@inline function ${POOL_FUNCTION}_slot(record: usize): usize {
  return ${POOL_FUNCTION}_slots + ((<usize>load<u16>(record)) << 2);
}

/** The UTF-8 length of a literal record: its one- or two-byte prefix after the slot. */
// @ts-ignore: decorator
@inline function ${POOL_FUNCTION}_length(record: usize): usize {
  const first = <usize>load<u8>(record, 2);
  return first < 0x80 ? first : (first & 0x7f) | (<usize>load<u8>(record, 3) << 7);
}

/**
 * The string of an ASCII literal record: decoded on first use, pinned (the slot is invisible to
 * the collector) and kept in the record's cache slot, so later uses return the same string.
 */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}(record: usize): string {
  const slot = ${POOL_FUNCTION}_slot(record);
  let s = load<usize>(slot);
  if (!s) {
    const length = ${POOL_FUNCTION}_length(record);
    s = changetype<usize>(${POOL_FUNCTION}_ascii(record + 3 + <usize>(length >= 0x80), length));
    store<usize>(slot, __pin(s));
  }
  return changetype<string>(s);
}

/** The same for a literal with non-ASCII characters. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_utf8(record: usize): string {
  const slot = ${POOL_FUNCTION}_slot(record);
  let s = load<usize>(slot);
  if (!s) {
    const length = ${POOL_FUNCTION}_length(record);
    s = changetype<usize>(String.UTF8.decodeUnsafe(record + 3 + <usize>(length >= 0x80), length));
    store<usize>(slot, __pin(s));
  }
  return changetype<string>(s);
}

${functions.join("\n")}
`;
}
