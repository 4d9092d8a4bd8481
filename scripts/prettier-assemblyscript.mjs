// SPDX-License-Identifier: Apache-2.0
// A Prettier plugin for AssemblyScript (.prettierrc.json applies it to every .ts file): TypeScript's
// syntax plus decorators on functions, top-level constants and `declare function` (`@inline`, `@lazy`,
// `@unsafe`, `@external("env", "x")`), which every TypeScript parser refuses ("Decorators are not valid
// here"; Biome and Prettier stop there, dprint's TypeScript plugin silently drops them). Before
// parsing, each decorator that starts a line becomes a block comment `/*@@inline*/`; Prettier keeps a
// comment where it was, and this printer writes such a comment back as the decorator. Everything else
// is Prettier's own TypeScript parser and printer. scripts/prettier-assemblyscript.test.mjs checks it.
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

export const printers = {
  "estree-assemblyscript": {
    ...estree,
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
