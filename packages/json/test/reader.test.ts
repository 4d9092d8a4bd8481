// SPDX-License-Identifier: Apache-2.0
// The configuration reader (ConfigReader) through the compiled fixture's sample configuration:
// values and fallbacks, each read's wording with its path, every error collected in reading order,
// the bound of 20, the document-level errors, and random documents never trap.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadFixture, targets } from "./wasm.js";

describe.each(targets)("ConfigReader (%s build)", (target) => {
  const f = loadFixture(target);
  const read = (config: unknown) => f.readSample(typeof config === "string" ? config : JSON.stringify(config));
  /** The listed errors of a refusal, in order. */
  const errors = (config: unknown) => read(config).split("; ");

  it("reads every kind of field, and falls back when a field is absent", () => {
    expect(read({ name: "svc" })).toBe("ok name=svc enabled=true port=8080 mode=deny tags= items= list=-1");
    expect(
      read({
        $schema: "./x.json",
        name: "api",
        enabled: false,
        port: 65535,
        mode: "allow",
        tags: ["a", "b"],
        items: [{ id: "x" }, { id: "y", weight: -5 }],
        nested: { list: [0, 9] },
      }),
    ).toBe("ok name=api enabled=false port=65535 mode=allow tags=a,b items=x:1,y:-5 list=2");
    expect(read({ name: "a", tags: "lone" })).toBe(
      "ok name=a enabled=true port=8080 mode=deny tags=lone items= list=-1",
    );
  });

  it.each([
    ["an unknown field", { name: "a", nmae: "b" }, "nmae: unknown field"],
    ["a missing required field", {}, "name: is required"],
    ["a string of the wrong kind", { name: 5 }, "name: must be a string, got a number"],
    ["an empty string", { name: "" }, "name: must not be empty"],
    ["a string too long", { name: "abcdefghi" }, "name: must be 1 to 8 characters long, got 9"],
    ["a boolean of the wrong kind", { name: "a", enabled: "yes" }, "enabled: must be true or false, got a string"],
    ["null for a boolean", { name: "a", enabled: null }, "enabled: must be true or false, got null"],
    ["an integer below the range", { name: "a", port: 0 }, "port: must be an integer from 1 to 65535, got 0"],
    ["an integer above the range", { name: "a", port: 65536 }, "port: must be an integer from 1 to 65535, got 65536"],
    ["a negative integer", { name: "a", port: -1 }, "port: must be an integer from 1 to 65535, got -1"],
    ["an integer with a fraction", '{"name":"a","port":80.0}', "port: must be an integer from 1 to 65535, got 80.0"],
    ["an integer with an exponent", '{"name":"a","port":8e1}', "port: must be an integer from 1 to 65535, got 8e1"],
    [
      "a huge integer",
      '{"name":"a","port":123456789012345678901234567890}',
      "port: must be an integer from 1 to 65535, got 123456789012345678901234567890",
    ],
    [
      "a 2^32 + 80 integer (no wrap-around)",
      '{"name":"a","port":4294967376}',
      "port: must be an integer from 1 to 65535, got 4294967376",
    ],
    ["an integer as a string", { name: "a", port: "80" }, "port: must be an integer from 1 to 65535, got a string"],
    ["a string outside the choices", { name: "a", mode: "maybe" }, 'mode: must be one of "deny", "allow", got "maybe"'],
    ["a choice of the wrong kind", { name: "a", mode: true }, 'mode: must be one of "deny", "allow", got a boolean'],
    ["strings of the wrong kind", { name: "a", tags: { a: 1 } }, "tags: must be an array of strings, got an object"],
    ["a string list with a number", { name: "a", tags: ["a", 2] }, "tags[1]: must be a string, got a number"],
    ["a string list with an empty string", { name: "a", tags: ["", "b"] }, "tags[0]: must not be empty"],
    ["objects of the wrong kind", { name: "a", items: "x" }, "items: must be an array, got a string"],
    [
      "an object list with an array",
      { name: "a", items: [{ id: "x" }, []] },
      "items[1]: must be an object, got an array",
    ],
    ["a nested unknown field", { name: "a", items: [{ id: "x", wieght: 1 }] }, "items[0].wieght: unknown field"],
    ["a nested missing field", { name: "a", items: [{ weight: 1 }] }, "items[0].id: is required"],
    [
      "a nested integer",
      { name: "a", items: [{ id: "x", weight: 11 }] },
      "items[0].weight: must be an integer from -5 to 10, got 11",
    ],
    ["an object of the wrong kind", { name: "a", nested: [] }, "nested: must be an object, got an array"],
    ["an object's unknown field", { name: "a", nested: { lsit: [] } }, "nested.lsit: unknown field"],
    ["an array of the wrong kind", { name: "a", nested: { list: {} } }, "nested.list: must be an array, got an object"],
    [
      "an element read as a value",
      { name: "a", nested: { list: [1, "2"] } },
      "nested.list[1]: must be an integer from 0 to 9, got a string",
    ],
    ["the filter's own check", { name: "aB" }, "name: must be lower-case"],
  ])("refuses %s, naming the field", (_name, config, expected) => {
    expect(read(config)).toBe(expected);
    expect(f.errorCount()).toBe(1);
  });

  it("refuses a document that is not a JSON object, or not JSON", () => {
    expect(read("[1]")).toBe("configuration: must be a JSON object, got an array");
    expect(read('"x"')).toBe("configuration: must be a JSON object, got a string");
    expect(read("")).toBe("configuration: invalid JSON: ends early at byte 0");
    expect(read('{"name": "a",}')).toBe("configuration: invalid JSON: unexpected character at byte 13");
    expect(read('{"name": "a", "name": "b"}')).toBe("configuration: invalid JSON: duplicate member name at byte 14");
    expect(read('{"name": "a"} x')).toBe("configuration: invalid JSON: data after the value at byte 14");
  });

  it("lists every error in one line, in reading order, each with its path", () => {
    const listed = errors({
      nmae: "x",
      name: "Ab",
      port: 0,
      mode: "on",
      tags: [1],
      items: [{ weight: 99 }, 7],
      nested: { list: [10] },
    });
    expect(listed).toEqual([
      "nmae: unknown field",
      "name: must be lower-case",
      "port: must be an integer from 1 to 65535, got 0",
      'mode: must be one of "deny", "allow", got "on"',
      "tags[0]: must be a string, got a number",
      "items[1]: must be an object, got a number",
      "items[0].id: is required",
      "items[0].weight: must be an integer from -5 to 10, got 99",
      "nested.list[0]: must be an integer from 0 to 9, got 10",
    ]);
    expect(f.errorCount()).toBe(listed.length);
  });

  it("lists a check repeated at once only once", () => {
    expect(read({ name: "ABC" })).toBe("name: must be lower-case");
    expect(f.errorCount()).toBe(1);
  });

  it("lists at most 20 errors and counts the rest", () => {
    const items = Array.from({ length: 30 }, () => ({ id: "x", weight: 50 }));
    const listed = errors({ name: "a", items });
    expect(listed.length).toBe(21);
    for (let i = 0; i < 20; i++) expect(listed[i]).toBe(`items[${i}].weight: must be an integer from -5 to 10, got 50`);
    expect(listed[20]).toBe("(10 more not listed)");
    expect(f.errorCount()).toBe(30);
  });

  it("never traps on random documents, and reports an error exactly when it refuses", () => {
    const member = fc.constantFrom(
      "$schema",
      "name",
      "enabled",
      "port",
      "mode",
      "tags",
      "items",
      "nested",
      "list",
      "id",
      "weight",
      "x",
    );
    const doc = fc.dictionary(member, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });
    fc.assert(
      fc.property(
        fc.oneof(
          doc.map((d) => JSON.stringify(d)),
          fc.json(),
          fc.string({ maxLength: 40 }),
        ),
        (text) => {
          const verdict = f.readSample(text);
          if (verdict.startsWith("ok ")) expect(f.errorCount()).toBe(0);
          else {
            expect(f.errorCount()).toBeGreaterThan(0);
            expect(verdict.split("; ")[0]).toMatch(/: \S/);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
