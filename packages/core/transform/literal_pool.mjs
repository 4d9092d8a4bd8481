// SPDX-License-Identifier: Apache-2.0
// AssemblyScript compiler transform: the string literals of our sources are stored as coded
// bytes and turned into strings on first use.
//
// Why: asc stores every string literal as its own static object (a 20-byte header plus UTF-16
// text), which binaryen's memory packing then splits into two data segments. In a JWT filter that
// was a third of the module: hundreds of configuration messages, field names and log texts, almost
// all ASCII, most of them needed only when a configuration is refused. Here each distinct literal
// becomes a small generated function owning a static record [cache slot: u16][length: 1 or 2
// bytes][text], unaligned. ASCII text (nearly all of it) is coded with a dictionary of the pieces
// that recur across the build's literals (literal_dictionary.mjs: one byte per piece); other text is
// UTF-8. A literal costs its coded bytes plus three (four from 128 on), and one only dead code uses
// costs nothing (the function is never compiled). The slots (one word per distinct literal) start
// as zeros, which memory packing leaves out of the module: they cost memory, not module bytes.
//
// What changes at run time: the first use of a literal decodes it (one allocation), pins the string
// (the slot's pointer is invisible to the collector) and keeps it in the slot, so later uses
// return the same string. Strings compare by value in AssemblyScript; nothing observes the
// difference but that first allocation.
//
// Left as they are (they must stay compile-time constants, cannot be stored as UTF-8, or must stay
// findable as text): decorator arguments, import/export paths, arguments of compile-time builtins,
// operands compared with `typeof`, root ids (see rootIdLiterals), elements of `@lazy` global arrays
// other than string tables (asc 0.28 miscompiles those with calls inside; string tables get a
// generated builder function instead), literals outside our sources (the standard library) and in
// core's abort handler (it must not allocate), the empty string, literals holding a lone
// surrogate, literals over 32,767 UTF-8 bytes and any literal past the 65,536th distinct one.
// `GETWILD_LITERAL_POOL=0` in the environment turns it off.
import { ASTBuilder, LiteralKind, Node, NodeKind, Token } from "assemblyscript";
import { buildDictionary, encodeWithDictionary } from "./literal_dictionary.mjs";

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

/**
 * Functions that take a root id: name -> position of their parameter named `rootId` (core's
 * `registerRootContext`, @getwild/jwt's `registerJwtAuthn`, a filter's own helper), from the
 * top-level function declarations of every parsed source.
 */
function rootIdParameters(sources) {
  const found = new Map();
  for (const source of sources) {
    for (const statement of source.statements) {
      if (statement.kind !== NodeKind.FunctionDeclaration) continue;
      const index = statement.signature.parameters.findIndex((p) => p.name.text === "rootId");
      if (index >= 0) found.set(statement.name.text, index);
    }
  }
  return found;
}

/**
 * The root id literals directly under `node`: the `rootId` argument of a call to a function that
 * takes one, or a `rootId` parameter's default. Those stay static strings, because `getwild
 * check`/`serve` find a module's root ids by scanning its data for text (@getwild/host
 * root_ids.ts), which a coded record would hide.
 */
function rootIdLiterals(node, takesRootId) {
  if (node.kind === NodeKind.Parameter) return node.name.text === "rootId" ? [node.initializer] : [];
  if (node.kind !== NodeKind.Call || node.expression.kind !== NodeKind.Identifier) return [];
  const index = takesRootId.get(node.expression.text);
  return index === undefined || index >= node.args.length ? [] : [node.args[index]];
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
    const tables = []; // each `@lazy` string table: its builder's name, array type and texts
    // asc 0.28 compiles a `@lazy` global array of non-constant elements with locals it never
    // declares (an invalid module). A string table (`@lazy const T: StaticArray<string> = [...]`)
    // is therefore built by a generated function, which walks one static block of records.
    const lazyStringTable = (declaration) => {
      const init = declaration.initializer;
      if (!init || !isArrayLiteral(init) || !declaration.type) return false;
      if (!STRING_ARRAY_TYPES.has(ASTBuilder.build(declaration.type))) return false;
      const texts = init.elementExpressions.map((e) => (e && isStringLiteral(e) ? e.value : null));
      if (!texts.every((t) => t !== null && (t === "" || canPool(t)))) return false;
      const name = `${POOL_FUNCTION}_table_${tables.length}`;
      tables.push({ name, type: ASTBuilder.build(declaration.type), texts });
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
      const rootIds = rootIdLiterals(node, takesRootId); // they stay static, see rootIdLiterals
      for (const key of Object.keys(node)) {
        if (key === "range") continue;
        const value = node[key];
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const item = value[i];
            if (!(item instanceof Node)) continue;
            if (isStringLiteral(item)) {
              const call = rootIds.includes(item) ? null : replacement(item);
              if (call) value[i] = call;
            } else visit(item, below(item));
          }
        } else if (value instanceof Node) {
          if (isStringLiteral(value)) {
            const call = rootIds.includes(value) ? null : replacement(value);
            if (call) node[key] = call;
          } else visit(value, below(value));
        }
      }
    };
    const takesRootId = rootIdParameters(parser.sources);
    for (const source of parser.sources) {
      if (isPooledSource(source.normalizedPath)) visit(source, false);
    }
    if (texts.length === 0 && tables.length === 0) return;
    const asciiTexts = texts.filter(isAscii);
    for (const table of tables) if (table.texts.every(isAscii)) asciiTexts.push(...table.texts);
    const entries = buildDictionary(asciiTexts);
    const builders = tables.map((t) => tableSource(t.name, t.type, t.texts, entries));
    parser.parseFile(poolSource(texts, entries) + builders.join("\n") + "\n", POOL_PATH, false);
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
 * The length prefix of a text: one byte below 128, else two (seven low bits with the high bit set,
 * then the rest), so short literals, nearly all of them, pay one byte.
 */
function lengthPrefix(length) {
  return length < 0x80 ? [length] : [0x80 | (length & 0x7f), length >>> 7];
}

/**
 * A text as stored: [length prefix][bytes]. ASCII text is coded with the dictionary and its prefix
 * counts characters; other text is UTF-8 and its prefix counts bytes.
 */
function storedText(text, entries) {
  if (!isAscii(text)) {
    const encoded = Buffer.from(text, "utf8");
    return [...lengthPrefix(encoded.length), ...encoded];
  }
  return [...lengthPrefix(text.length), ...encodeWithDictionary(text, entries)];
}

function isAscii(text) {
  return Buffer.byteLength(text, "utf8") === text.length;
}

/** The reader of a stored text: the dictionary decoder for ASCII, the UTF-8 decoder otherwise. */
function textReader(ascii) {
  return ascii ? `${POOL_FUNCTION}_ascii` : `${POOL_FUNCTION}_utf8_text`;
}

/**
 * A builder for a string table: its texts in one static block, read in order into a new array of
 * `type`, so an entry costs its stored text and no code. The array keeps its strings: no cache slot.
 * A table with any non-ASCII entry stores them all as UTF-8.
 */
function tableSource(name, type, texts, entries) {
  const ascii = texts.every(isAscii);
  const block = texts.flatMap((text) => storedText(text, ascii ? entries : []));
  const array = type === "StaticArray<string>" ? "StaticArray<string>" : "Array<string>";
  return `// @ts-ignore: decorator
@global export function ${name}(): ${type} {
  const table = new ${array}(${texts.length});
  ${POOL_FUNCTION}_cursor = memory.data<u8>([${block.join(",")}], 1);
  for (let i = 0; i < ${texts.length}; i++) unchecked((table[i] = ${textReader(ascii)}()));
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
 * The library file: one function per distinct literal, each owning a static record [cache slot:
 * u16][stored text], so a literal no compiled code uses leaves nothing in the module; the
 * dictionary; and the decoders. The strings are kept in a block of cache slots, one word per
 * distinct literal, zero at start: memory packing leaves zeros out of the module, so the slots cost
 * memory, not module bytes. Only a live non-ASCII literal pulls in the UTF-8 decoder.
 */
export function poolSource(texts, entries) {
  const functions = texts.map((text, slot) => {
    const cached = isAscii(text) ? POOL_FUNCTION : `${POOL_FUNCTION}_utf8`;
    const record = [slot & 0xff, slot >>> 8, ...storedText(text, entries)];
    return `// @ts-ignore: decorator
@global export function ${literalFunction(slot)}(): string {
  return ${cached}(memory.data<u8>([${record.join(",")}], 1));
}`;
  });
  const dictionary = entries.flatMap((e) => [e.length, ...Buffer.from(e, "latin1")]);
  return `// Generated by @getwild/core/transform/literal_pool.mjs for this build.

// @ts-ignore: decorator
@lazy const ${POOL_FUNCTION}_slots: usize = memory.data(${Math.max(texts.length, 1) * 4}, 4);

/** The dictionary: [length: u8][ASCII text] per entry, in code order (0x80 is the first). */
// @ts-ignore: decorator
@lazy const ${POOL_FUNCTION}_dictionary: usize = memory.data<u8>([${dictionary.length ? dictionary.join(",") : "0"}], 1);

/** Where the next stored text starts. */
let ${POOL_FUNCTION}_cursor: usize = 0;

/** The length prefix at the cursor; moves the cursor past it. */
function ${POOL_FUNCTION}_prefix(): usize {
  let at = ${POOL_FUNCTION}_cursor;
  let length = <usize>load<u8>(at++);
  if (length & 0x80) length = (length & 0x7f) | (<usize>load<u8>(at++) << 7);
  ${POOL_FUNCTION}_cursor = at;
  return length;
}

/** The dictionary-coded ASCII text at the cursor as a new string; moves the cursor past it. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_ascii(): string {
  const length = ${POOL_FUNCTION}_prefix();
  const s = changetype<usize>(__new(length << 1, idof<String>()));
  const end = s + (length << 1);
  let at = ${POOL_FUNCTION}_cursor;
  let out = s;
  while (out < end) {
    const code = <usize>load<u8>(at++);
    if (code < 0x80) {
      store<u16>(out, code);
      out += 2;
      continue;
    }
    let entry = ${POOL_FUNCTION}_dictionary;
    for (let skip = code & 0x7f; skip; skip--) entry += <usize>load<u8>(entry) + 1;
    const last = entry + <usize>load<u8>(entry);
    // Bounded by the string too: a record never overruns it, and this keeps it so.
    while (entry < last && out < end) {
      store<u16>(out, load<u8>(++entry));
      out += 2;
    }
  }
  ${POOL_FUNCTION}_cursor = at;
  return changetype<string>(s);
}

/** The UTF-8 text at the cursor as a new string; moves the cursor past it. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_utf8_text(): string {
  const length = ${POOL_FUNCTION}_prefix();
  const at = ${POOL_FUNCTION}_cursor;
  ${POOL_FUNCTION}_cursor = at + length;
  return String.UTF8.decodeUnsafe(at, length);
}

/**
 * The string of an ASCII literal record: decoded on first use, pinned (the slot is invisible to
 * the collector) and kept in the record's cache slot, so later uses return the same string.
 */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}(record: usize): string {
  const slot = ${POOL_FUNCTION}_slots + ((<usize>load<u16>(record)) << 2);
  let s = load<usize>(slot);
  if (!s) {
    ${POOL_FUNCTION}_cursor = record + 2;
    s = changetype<usize>(${POOL_FUNCTION}_ascii());
    store<usize>(slot, __pin(s));
  }
  return changetype<string>(s);
}

/** The same for a literal with non-ASCII characters. */
// @ts-ignore: decorator
@global export function ${POOL_FUNCTION}_utf8(record: usize): string {
  const slot = ${POOL_FUNCTION}_slots + ((<usize>load<u16>(record)) << 2);
  let s = load<usize>(slot);
  if (!s) {
    ${POOL_FUNCTION}_cursor = record + 2;
    s = changetype<usize>(${POOL_FUNCTION}_utf8_text());
    store<usize>(slot, __pin(s));
  }
  return changetype<string>(s);
}

${functions.join("\n")}
`;
}
