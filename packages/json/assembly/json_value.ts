// SPDX-License-Identifier: Apache-2.0
// The small JSON DOM produced by the strict reader: one class, kind-tagged, accessors never trap.
//
// One class rather than a hierarchy: no casts at the call sites, no `instanceof` chains, and a
// wrong-kind access simply answers null/false. Objects keep their member values in document
// order in one array, each value carrying its name in `key`; lookups are linear, which is faster than hashing for the 5–30 members of real
// headers, claims and JWKs (the reader has already rejected duplicate names).

export const enum JsonKind {
  Null = 0,
  Bool = 1,
  Number = 2,
  String = 3,
  Array = 4,
  Object = 5,
}

export class JsonValue {
  kind: JsonKind = JsonKind.Null;
  /** Bool value. */
  flag: bool = false;
  /** String value; for a Number, its exact source text (e.g. "1.5e3"). */
  text: string = "";
  /** Array elements, or object member values in document order. */
  items: Array<JsonValue> | null = null;
  /** For an object member's value: the member name (kept on the value, so objects need one array). */
  key: string = "";

  static null(): JsonValue {
    return new JsonValue();
  }
  static bool(b: bool): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Bool;
    v.flag = b;
    return v;
  }
  static number(text: string): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Number;
    v.text = text;
    return v;
  }
  static string(s: string): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.String;
    v.text = s;
    return v;
  }
  static array(items: Array<JsonValue>): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Array;
    v.items = items;
    return v;
  }
  /** An object whose member values carry their names in `key`. */
  static object(values: Array<JsonValue>): JsonValue {
    const v = new JsonValue();
    v.kind = JsonKind.Object;
    v.items = values;
    return v;
  }

  get isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  get isBool(): bool {
    return this.kind == JsonKind.Bool;
  }
  get isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  get isString(): bool {
    return this.kind == JsonKind.String;
  }
  get isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  get isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  /** Elements of an array or members of an object; 0 for scalars. */
  get length(): i32 {
    const items = this.items;
    return items == null ? 0 : items.length;
  }

  /** Array element `i`, or null when out of range or not an array. */
  at(i: i32): JsonValue | null {
    if (this.kind != JsonKind.Array) return null;
    const items = this.items!;
    return i >= 0 && i < items.length ? unchecked(items[i]) : null;
  }

  /** Member name `i` of an object ("" when out of range or not an object). */
  nameAt(i: i32): string {
    if (this.kind != JsonKind.Object) return "";
    const items = this.items!;
    return i >= 0 && i < items.length ? unchecked(items[i]).key : "";
  }

  /** Member value `i` of an object, or null. */
  valueAt(i: i32): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    const items = this.items!;
    return i >= 0 && i < items.length ? unchecked(items[i]) : null;
  }

  /** Whether an object has member `name`. */
  has(name: string): bool {
    return this.get(name) != null;
  }

  /** Member `name` of an object, or null when absent or not an object. */
  get(name: string): JsonValue | null {
    if (this.kind != JsonKind.Object) return null;
    const items = this.items!;
    const n = items.length;
    for (let i = 0; i < n; i++) {
      const item = unchecked(items[i]);
      if (item.key == name) return item;
    }
    return null;
  }

  /**
   * Follows a dotted path ("realm_access.roles") through nested objects; null when nothing
   * matches. Member names may themselves contain dots (Auth0's "https://example.com/roles"): at
   * each level the whole remaining path is tried as a name first, then each dot as a split point.
   */
  getPath(path: string): JsonValue | null {
    return this.getPathFrom(path, 0, 0);
  }

  private getPathFrom(path: string, start: i32, depth: i32): JsonValue | null {
    if (this.kind != JsonKind.Object || depth > 16) return null;
    const rest = start == 0 ? path : path.substring(start);
    const whole = this.get(rest);
    if (whole != null) return whole;
    let dot = path.indexOf(".", start);
    while (dot >= 0) {
      const child = this.get(path.substring(start, dot));
      if (child != null) {
        const found = child.getPathFrom(path, dot + 1, depth + 1);
        if (found != null) return found;
      }
      dot = path.indexOf(".", dot + 1);
    }
    return null;
  }

  /** The string value, or null when this is not a string. */
  asString(): string | null {
    return this.kind == JsonKind.String ? this.text : null;
  }

  /** Member `name` as a string, or null when absent or of another kind. */
  getString(name: string): string | null {
    const v = this.get(name);
    return v == null ? null : v.asString();
  }
}
