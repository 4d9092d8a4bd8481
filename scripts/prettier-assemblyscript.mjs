// SPDX-License-Identifier: Apache-2.0
// A Prettier plugin for AssemblyScript (.prettierrc.json applies it to every .ts file): TypeScript's
// syntax plus decorators on functions, top-level constants and `declare function` (`@inline`, `@lazy`,
// `@unsafe`, `@external("env", "x")`), which every TypeScript parser refuses ("Decorators are not valid
// here"; Biome and Prettier stop there, dprint's TypeScript plugin silently drops them). Before
// parsing, each decorator that starts a line becomes a block comment `/*@@inline*/`; Prettier keeps a
// comment where it was, and this printer writes such a comment back as the decorator. Everything else
// is Prettier's own TypeScript parser and printer, except that a number written `5.` (an f64 in
// AssemblyScript, where `5` is an i32) keeps a fractional part, and a cast right of `<<` is left
// unparenthesized (see castAfterShift). scripts/prettier-assemblyscript.test.mjs checks all three.
import { parsers as typescriptParsers } from "prettier/plugins/typescript";
import { printers as estreePrinters } from "prettier/plugins/estree";

/** A decorator at the start of a line: `@name` or `@name(arguments without parentheses)`. */
const DECORATOR = /^([ \t]*)@([A-Za-z_][A-Za-z0-9_]*(?:\([^()\n]*\))?)(?=[ \t\r\n])/gm;
const MARK = "@@";

const estree = estreePrinters.estree;

export const parsers = {
  assemblyscript: {
    ...typescriptParsers.typescript,
    astFormat: "estree-assemblyscript",
    preprocess: (text, options) => {
      const base = typescriptParsers.typescript.preprocess
        ? typescriptParsers.typescript.preprocess(text, options)
        : text;
      return base.replace(DECORATOR, (_, indent, decorator) => `${indent}/*${MARK}${decorator}*/`);
    },
  },
};

/** `5.` is an f64 in AssemblyScript and `5` an i32: Prettier would drop the dot, so write `5.0`. */
const TRAILING_DOT = /^[0-9]+\.$/;

/**
 * A cast right of `<<` (`x << <u32>(y)`): Prettier would parenthesize it, and `x << (<u32>(y))` is
 * misread by TypeScript's parser (the `<<` is split into type arguments), so Prettier's own output
 * would not parse again. Written without the parentheses, as the cast binds tighter anyway.
 */
function castAfterShift(path) {
  const { node, parent } = path;
  return (
    node?.type === "TSTypeAssertion" &&
    parent?.type === "BinaryExpression" &&
    parent.operator === "<<" &&
    parent.right === node
  );
}

function withoutParentheses(doc) {
  return Array.isArray(doc) && doc.length === 3 && doc[0] === "(" && doc[2] === ")" ? doc[1] : doc;
}

export const printers = {
  "estree-assemblyscript": {
    ...estree,
    print(path, options, print, args) {
      const node = path.node;
      if (node && node.type === "Literal" && typeof node.value === "number" && TRAILING_DOT.test(node.raw))
        return `${node.raw}0`;
      const doc = estree.print(path, options, print, args);
      return castAfterShift(path) ? withoutParentheses(doc) : doc;
    },
    printComment(path, options) {
      const comment = path.node;
      if (comment.type === "Block" || comment.type === "CommentBlock") {
        if (comment.value.startsWith(MARK)) return `@${comment.value.slice(MARK.length)}`;
      }
      return estree.printComment(path, options);
    },
  },
};

export const languages = [];
