// SPDX-License-Identifier: Apache-2.0
// The configuration reader every filter of the project uses: typed reads of a parsed JSON document
// by field, each read knowing the path of its field ("providers.main.audiences[1]"), and every
// problem collected in one wording, "<path>: <what is wrong>".
//
// Why collect rather than stop at the first error: when Envoy (or Istio) refuses a configuration
// the operator sees one log line, and a line that lists everything to fix saves a round trip per
// mistake. Why bounded: a hostile or generated configuration must not grow that line without limit.
// Reads never trap and always return a usable value (the fallback when the field is wrong), so a
// filter reads its whole configuration and then looks at `ok` once.
import { JsonKind, JsonValue } from "./json_value";
import { JsonLimits, parseJson, jsonErrorMessage } from "./json";

/** How many errors one refusal lists; further ones are counted, not listed. */
export const MAX_CONFIG_ERRORS: i32 = 20;

/** The path of member `name` of the object at `parent` ("" is the document itself). */
export function memberPath(parent: string, name: string): string {
  return parent.length == 0 ? name : parent + "." + name;
}

/** The path of element `index` of the array at `parent`. */
export function itemPath(parent: string, index: i32): string {
  return parent + "[" + index.toString() + "]";
}

/** What a value is, for "got ..." in messages. */
export function kindName(value: JsonValue): string {
  switch (value.kind) {
    case JsonKind.Null:
      return "null";
    case JsonKind.Bool:
      return "a boolean";
    case JsonKind.Number:
      return "a number";
    case JsonKind.String:
      return "a string";
    case JsonKind.Array:
      return "an array";
    default:
      return "an object";
  }
}

/**
 * Strings read without a length bound get this one (longer than any JSON text the reader accepts).
 * Callers pass it to `string` explicitly so no optional-argument trampoline is compiled for them.
 */
export const ANY_LENGTH: i32 = i32.MAX_VALUE;

export class ConfigReader {
  /** The listed errors joined with "; " (a string, not an array: the join costs module bytes). */
  private text: string = "";
  private last: string = "";
  private count: i32 = 0;

  /** True while no error has been found. */
  get ok(): bool {
    return this.count == 0;
  }

  /** How many errors were found, listed or not. */
  get errorCount(): i32 {
    return this.count;
  }

  /** Every error on one line, joined with "; " ("" when none), ending with a count of those not listed. */
  get error(): string {
    const unlisted = this.count - MAX_CONFIG_ERRORS;
    return unlisted > 0 ? this.text + "; (" + unlisted.toString() + " more not listed)" : this.text;
  }

  /**
   * Records that the field at `path` is wrong: `why` says how, in words that complete
   * "<path>: ..." ("must be a string, got a number"). The document itself ("" path) is called
   * "configuration". An error repeated at once (a check inside a loop) is listed once.
   */
  fail(path: string, why: string): void {
    const line = (path.length == 0 ? "configuration" : path) + ": " + why;
    if (line == this.last) return;
    this.last = line;
    this.count++;
    if (this.count == 1) this.text = line;
    else if (this.count <= MAX_CONFIG_ERRORS) this.text += "; " + line;
  }

  /** Parses `bytes` as the configuration document, which must be a JSON object; null (and an error) otherwise. */
  document(bytes: Uint8Array, limits: JsonLimits): JsonValue | null {
    const parsed = parseJson(bytes, limits);
    const root = parsed.value;
    if (!parsed.ok || root === null) {
      this.fail("", "invalid JSON: " + jsonErrorMessage(parsed.error) + " at byte " + parsed.offset.toString());
      return null;
    }
    if (!root.isObject) {
      this.fail("", "must be a JSON object, got " + kindName(root));
      return null;
    }
    return root;
  }

  /** Same as document, for a configuration given as text. */
  documentText(text: string, limits: JsonLimits): JsonValue | null {
    return this.document(Uint8Array.wrap(String.UTF8.encode(text)), limits);
  }

  // ---- Members of an object: `obj` is the object, `path` its path, `name` the member. An absent
  // member is no error (it yields the fallback); `required` says when it must be there.

  /** Refuses members of `obj` not in `known` (a typo would otherwise be silently ignored). */
  only(obj: JsonValue, path: string, known: Array<string>): void {
    if (!obj.isObject) return;
    for (let i = 0, n = obj.length; i < n; i++) {
      const name = obj.nameAt(i);
      if (!known.includes(name)) this.fail(memberPath(path, name), "unknown field");
    }
  }

  /** Member `name`, or null with the error "is required" when absent. */
  required(obj: JsonValue, path: string, name: string): JsonValue | null {
    const v = obj.get(name);
    if (v === null) this.fail(memberPath(path, name), "is required");
    return v;
  }

  /** Member `name` as an object whose own members are all in `known` (any members when `known` is null). */
  object(obj: JsonValue, path: string, name: string, known: Array<string> | null = null): JsonValue | null {
    const v = obj.get(name);
    if (v === null) return null;
    return this.objectValue(v, memberPath(path, name), known) ? v : null;
  }

  /** Member `name` as an array (its elements unchecked). */
  array(obj: JsonValue, path: string, name: string): JsonValue | null {
    const v = obj.get(name);
    if (v === null) return null;
    return this.arrayValue(v, memberPath(path, name)) ? v : null;
  }

  /** Member `name` as a string of `minLength` to `maxLength` characters; `fallback` when absent or wrong. */
  string(
    obj: JsonValue,
    path: string,
    name: string,
    fallback: string,
    minLength: i32 = 0,
    maxLength: i32 = ANY_LENGTH,
  ): string {
    const v = obj.get(name);
    if (v === null) return fallback;
    const s = this.stringValue(v, memberPath(path, name), minLength, maxLength);
    return s === null ? fallback : s;
  }

  /**
   * Member `name` as a non-empty string; "" when absent or wrong. The same as
   * `string(obj, path, name, "", 1)`, the most common read, in a call that costs fewer module bytes.
   */
  nonEmpty(obj: JsonValue, path: string, name: string): string {
    return this.string(obj, path, name, "", 1, ANY_LENGTH);
  }

  /** Member `name` as true or false. */
  bool(obj: JsonValue, path: string, name: string, fallback: bool): bool {
    const v = obj.get(name);
    if (v === null) return fallback;
    if (!v.isBool) {
      this.fail(memberPath(path, name), "must be true or false, got " + kindName(v));
      return fallback;
    }
    return v.flag;
  }

  /**
   * Member `name` as an integer in [min, max], written without fraction or exponent. 32 bits,
   * because every bound a filter needs fits (68 years in seconds) and formatting an i64 for the
   * message would pull ~500 bytes of number printing into every filter.
   */
  integer(obj: JsonValue, path: string, name: string, fallback: i32, min: i32, max: i32): i32 {
    const v = obj.get(name);
    if (v === null) return fallback;
    return this.integerValue(v, memberPath(path, name), fallback, min, max);
  }

  /** Member `name` as one of the strings `choices`. */
  oneOf(obj: JsonValue, path: string, name: string, choices: Array<string>, fallback: string): string {
    const i = this.choice(obj, path, name, choices, -1);
    return i < 0 ? fallback : unchecked(choices[i]);
  }

  /**
   * Member `name` as one of the strings `choices`: its position there, or `fallback` when absent
   * or wrong. The same check as `oneOf`; the caller tests a number, not the text.
   */
  choice(obj: JsonValue, path: string, name: string, choices: Array<string>, fallback: i32): i32 {
    const v = obj.get(name);
    if (v === null) return fallback;
    const i = v.isString ? choices.indexOf(v.text) : -1;
    if (i >= 0) return i;
    const got = v.isString ? '"' + v.text + '"' : kindName(v);
    this.fail(memberPath(path, name), 'must be one of "' + choices.join('", "') + '", got ' + got);
    return fallback;
  }

  /**
   * Member `name` as an array of non-empty strings (the bad elements are left out); with `single`,
   * a lone string counts as a one-element array.
   */
  strings(obj: JsonValue, path: string, name: string, single: bool = false): Array<string> {
    const out = new Array<string>();
    const v = obj.get(name);
    if (v === null) return out;
    const where = memberPath(path, name);
    if (single && v.isString) {
      if (this.stringValue(v, where, 1, ANY_LENGTH) !== null) out.push(v.text);
      return out;
    }
    if (!v.isArray) {
      this.fail(where, "must be an array of strings, got " + kindName(v));
      return out;
    }
    for (let i = 0, n = v.length; i < n; i++) {
      const s = this.stringValue(v.at(i)!, itemPath(where, i), 1, ANY_LENGTH);
      if (s !== null) out.push(s);
    }
    return out;
  }

  /** Member `name` as an array of objects (the elements that are not objects are left out). */
  objects(obj: JsonValue, path: string, name: string): Array<JsonValue> {
    const out = new Array<JsonValue>();
    const v = this.array(obj, path, name);
    if (v === null) return out;
    const where = memberPath(path, name);
    for (let i = 0, n = v.length; i < n; i++) {
      const item = v.at(i)!;
      if (this.objectValue(item, itemPath(where, i), null)) out.push(item);
    }
    return out;
  }

  // ---- A value already in hand, with its own path (array elements, members of map-like objects).

  /** Whether `v` is an object whose members are all in `known` (any members when `known` is null). */
  objectValue(v: JsonValue, path: string, known: Array<string> | null = null): bool {
    if (!v.isObject) {
      this.fail(path, "must be an object, got " + kindName(v));
      return false;
    }
    if (known !== null) this.only(v, path, known);
    return true;
  }

  /** Whether `v` is an array. */
  arrayValue(v: JsonValue, path: string): bool {
    if (v.isArray) return true;
    this.fail(path, "must be an array, got " + kindName(v));
    return false;
  }

  /** `v` as a string of `minLength` to `maxLength` characters, or null (with the error). */
  stringValue(v: JsonValue, path: string, minLength: i32 = 0, maxLength: i32 = ANY_LENGTH): string | null {
    if (!v.isString) {
      this.fail(path, "must be a string, got " + kindName(v));
      return null;
    }
    const n = v.text.length;
    if (n >= minLength && n <= maxLength) return v.text;
    if (n == 0) this.fail(path, "must not be empty");
    else
      this.fail(
        path,
        "must be " + minLength.toString() + " to " + maxLength.toString() + " characters long, got " + n.toString(),
      );
    return null;
  }

  /**
   * `v` as an integer in [min, max] written without fraction or exponent (JSON numbers are already
   * canonical here: no leading zeros, no "+"), or `fallback` (with the error). More than ten
   * digits are out of range at once, so no text can overflow.
   */
  integerValue(v: JsonValue, path: string, fallback: i32, min: i32, max: i32): i32 {
    if (!v.isNumber) return this.failRange(path, min, max, kindName(v), fallback);
    const text = v.text;
    const negative = text.startsWith("-");
    let n: i64 = 0;
    for (let i = negative ? 1 : 0, len = text.length; i < len; i++) {
      const d = <i32>text.charCodeAt(i) - 0x30;
      // A fraction or exponent, or more digits than any i32: not an integer in range.
      if (d < 0 || d > 9 || n >= 10000000000) return this.failRange(path, min, max, text, fallback);
      n = n * 10 + d;
    }
    if (negative) n = -n;
    if (n < <i64>min || n > <i64>max) return this.failRange(path, min, max, text, fallback);
    return <i32>n;
  }

  /** The range error of an integer read (its text built only when a read fails); returns `fallback`. */
  private failRange(path: string, min: i32, max: i32, got: string, fallback: i32): i32 {
    this.fail(path, "must be an integer from " + min.toString() + " to " + max.toString() + ", got " + got);
    return fallback;
  }
}
