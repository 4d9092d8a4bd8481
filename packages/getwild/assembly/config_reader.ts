// SPDX-License-Identifier: Apache-2.0
// Typed, field-named reads from a parsed JSON configuration: the first problem is kept with its path.
//
// Configuration errors must say exactly which field is wrong ("rules[1].status: ..."), because the
// operator only sees one log line when Envoy refuses the configuration. The reader stops at the
// first error; later reads return neutral values and are ignored.
import { JsonKind, JsonValue } from "@getwild/json/assembly";

export class ConfigError {
  constructor(
    /** Path of the offending field, e.g. `rules[0].headers.x-a` ("" for the whole document). */
    public readonly field: string,
    public readonly message: string,
  ) {}

  toString(): string {
    return this.field.length == 0 ? this.message : this.field + ": " + this.message;
  }
}

export function kindName(value: JsonValue): string {
  switch (value.kind) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return "a boolean";
    case JsonKind.Number: return "a number";
    case JsonKind.String: return "a string";
    case JsonKind.Array: return "an array";
    default: return "an object";
  }
}

export function memberPath(parent: string, name: string): string {
  return parent.length == 0 ? name : parent + "." + name;
}

export function itemPath(parent: string, index: i32): string {
  return parent + "[" + index.toString() + "]";
}

export class ConfigReader {
  error: ConfigError | null = null;

  get failed(): bool {
    return this.error !== null;
  }

  /** Records the first error only; returns false so callers can `return reader.fail(...)`-style chain. */
  fail(field: string, message: string): bool {
    if (this.error === null) this.error = new ConfigError(field, message);
    return false;
  }

  /** Checks `value` is an object whose members are all in `allowed`. */
  object(value: JsonValue, field: string, allowed: string[]): bool {
    if (!value.isObject) return this.fail(field, "expected an object, got " + kindName(value));
    for (let i = 0, n = value.length; i < n; i++) {
      let name = value.nameAt(i);
      if (!allowed.includes(name)) {
        return this.fail(memberPath(field, name), "unknown field (allowed: " + allowed.join(", ") + ")");
      }
    }
    return true;
  }

  /** Checks `value` is an array. */
  array(value: JsonValue, field: string): bool {
    if (!value.isArray) return this.fail(field, "expected an array, got " + kindName(value));
    return true;
  }

  /** The string, or null (with an error) if `value` is not one. */
  string(value: JsonValue, field: string): string | null {
    if (!value.isString) {
      this.fail(field, "expected a string, got " + kindName(value));
      return null;
    }
    return value.text;
  }

  /**
   * An integer in [min, max] written without fraction or exponent; `min - 1` (with an error) otherwise.
   * Digits are accumulated only while within range, so huge numbers cannot overflow.
   */
  integer(value: JsonValue, field: string, min: i32, max: i32): i32 {
    let bad = min - 1;
    if (!value.isNumber) {
      this.fail(field, "expected an integer, got " + kindName(value));
      return bad;
    }
    let text = value.text;
    let negative = text.startsWith("-");
    let n: i64 = 0;
    for (let i = negative ? 1 : 0, len = text.length; i < len; i++) {
      let c = <i32>text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) {
        this.fail(field, "expected an integer, got " + text);
        return bad;
      }
      if (n <= <i64>i32.MAX_VALUE) n = n * 10 + <i64>(c - 0x30);
    }
    if (negative) n = -n;
    if (n < <i64>min || n > <i64>max) {
      this.fail(field, "must be an integer from " + min.toString() + " to " + max.toString() + ", got " + text);
      return bad;
    }
    return <i32>n;
  }
}
