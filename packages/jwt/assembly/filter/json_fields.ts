// SPDX-License-Identifier: Apache-2.0
// Typed reads of configuration JSON that remember every error with the path of the bad field, so a
// refused configuration names all there is to fix at once ("providers.auth0.audiences[1]: ...").
import { JsonKind, JsonValue } from "@getwild/json/assembly";

/** How many configuration errors one refusal lists. */
const MAX_REPORTED: i32 = 20;

export class Fields {
  /** Every problem found, in reading order; "" when none. Joined with "; " on one log line. */
  error: string = "";
  private count: i32 = 0;

  get ok(): bool {
    return this.error.length == 0;
  }

  fail(path: string, why: string): void {
    const line = path + ": " + why;
    if (this.error.includes(line)) return;
    this.count++;
    // A bounded list: a hostile or generated config must not grow the log line without limit.
    if (this.count <= MAX_REPORTED) this.error = this.error.length == 0 ? line : this.error + "; " + line;
    else if (this.count == MAX_REPORTED + 1) this.error += "; (more errors not listed)";
  }

  /** Refuses members not in `known` (typos would otherwise be silently ignored). */
  only(obj: JsonValue, path: string, known: Array<string>): void {
    if (obj.kind != JsonKind.Object) return;
    for (let i = 0; i < obj.length; i++) {
      const n = obj.nameAt(i);
      if (!known.includes(n)) this.fail(path + (path.length > 0 ? "." : "") + n, "unknown field");
    }
  }

  object(obj: JsonValue, name: string, path: string): JsonValue | null {
    const v = obj.get(name);
    if (v === null) return null;
    if (v.kind != JsonKind.Object) {
      this.fail(path, "must be an object");
      return null;
    }
    return v;
  }

  string(obj: JsonValue, name: string, path: string, fallback: string, nonEmpty: bool = false): string {
    const v = obj.get(name);
    if (v === null) return fallback;
    if (v.kind != JsonKind.String) {
      this.fail(path, "must be a string");
      return fallback;
    }
    if (nonEmpty && v.text.length == 0) this.fail(path, "must not be empty");
    return v.text;
  }

  bool(obj: JsonValue, name: string, path: string, fallback: bool): bool {
    const v = obj.get(name);
    if (v === null) return fallback;
    if (v.kind != JsonKind.Bool) {
      this.fail(path, "must be true or false");
      return fallback;
    }
    return v.flag;
  }

  /** A non-negative integer within [min, max]. */
  integer(obj: JsonValue, name: string, path: string, fallback: i64, min: i64, max: i64): i64 {
    const v = obj.get(name);
    if (v === null) return fallback;
    const text = v.text;
    let ok = v.kind == JsonKind.Number && text.length > 0 && text.length <= 15;
    let n: i64 = 0;
    for (let i = 0; ok && i < text.length; i++) {
      const d = <i32>text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) ok = false;
      else n = n * 10 + d;
    }
    if (!ok || n < min || n > max) {
      this.fail(path, "must be an integer from " + min.toString() + " to " + max.toString());
      return fallback;
    }
    return n;
  }

  /** An array of strings; a lone string counts as a one-element array when `single` is true. */
  strings(obj: JsonValue, name: string, path: string, single: bool = false): Array<string> {
    const out = new Array<string>();
    const v = obj.get(name);
    if (v === null) return out;
    if (single && v.kind == JsonKind.String) {
      out.push(v.text);
      return out;
    }
    if (v.kind != JsonKind.Array) {
      this.fail(path, "must be an array of strings");
      return out;
    }
    for (let i = 0; i < v.length; i++) {
      const item = v.at(i)!;
      if (item.kind != JsonKind.String || item.text.length == 0) {
        this.fail(path + "[" + i.toString() + "]", "must be a non-empty string");
        continue;
      }
      out.push(item.text);
    }
    return out;
  }

  /** An array of objects. */
  objects(obj: JsonValue, name: string, path: string): Array<JsonValue> {
    const out = new Array<JsonValue>();
    const v = obj.get(name);
    if (v === null) return out;
    if (v.kind != JsonKind.Array) {
      this.fail(path, "must be an array");
      return out;
    }
    for (let i = 0; i < v.length; i++) {
      const item = v.at(i)!;
      if (item.kind != JsonKind.Object) this.fail(path + "[" + i.toString() + "]", "must be an object");
      else out.push(item);
    }
    return out;
  }
}
