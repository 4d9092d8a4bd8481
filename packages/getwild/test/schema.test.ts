// SPDX-License-Identifier: Apache-2.0
// schema/responder.schema.json against the responder's own configure-time validation: valid
// configurations are accepted by both ajv and the compiled responder, invalid ones refused by both,
// and the schema lists exactly the fields the configuration reader knows.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { configureVerdict } from "@getwild/host";
import { builds } from "./paths.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = JSON.parse(readFileSync(join(root, "schema", "responder.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true }).compile(schema);
const wasm = builds("responder")[0]!.wasm;

/** The responder's verdict: null when configure accepts it, else the refusal it logs. */
const filterVerdict = (config: unknown) =>
  configureVerdict({ wasm, rootId: "responder", pluginConfig: JSON.stringify(config) });

const rule = (extra: object) => ({ rules: [{ status: 200, ...extra }] });

const valid: [string, unknown][] = [
  ["no rules", { rules: [] }],
  ["a $schema reference", { $schema: "./node_modules/@getwild/getwild/schema/responder.schema.json", rules: [] }],
  [
    "the Get Wild 418",
    {
      rules: [
        {
          match: { method: ["GET", "HEAD"] },
          status: 418,
          headers: { "x-powered-by": "getwild", link: ["<a>", "<b>"] },
          body: "art\n",
          details: "getwild_teapot",
        },
      ],
    },
  ],
  [
    "every match kind",
    rule({
      match: {
        method: "POST",
        path: "/a",
        prefix: "/",
        headers: { "x-debug": true, "x-skip": false, ":authority": "api.example.com" },
        any: [{ path: "/x" }, { not: { prefix: "/y" } }],
        not: { headers: { cookie: true } },
      },
    }),
  ],
  ["a gRPC status and a tab in a header value", rule({ grpc_status: 16, headers: { "x-a": "1\t2" } })],
];

const invalid: [string, unknown][] = [
  ["missing rules", {}],
  ["an unknown top-level field", { rules: [], rule: [] }],
  ["a $schema that is not a string", { $schema: true, rules: [] }],
  ["rules not an array", { rules: {} }],
  ["a rule without status", { rules: [{ body: "x" }] }],
  ["a status below 200", { rules: [{ status: 199 }] }],
  ["a status above 599", { rules: [{ status: 600 }] }],
  ["a status as a string", { rules: [{ status: "418" }] }],
  ["an unknown rule field", rule({ stauts: 418 })],
  ["a header name with a space", rule({ headers: { "bad name": "x" } })],
  ["a pseudo-header in a reply", rule({ headers: { ":status": "200" } })],
  ["content-length in a reply", rule({ headers: { "Content-Length": "3" } })],
  ["a header value with CR LF", rule({ headers: { "x-a": "1\r\nx-b: 2" } })],
  ["a header value that is a number", rule({ headers: { "x-a": 1 } })],
  ["a body that is not a string", rule({ body: 5 })],
  ["a grpc_status of 17", rule({ grpc_status: 17 })],
  ["details null", rule({ details: null })],
  ["a match that is a string", rule({ match: "/x" })],
  ["an unknown match field", rule({ match: { pathprefix: "/x" } })],
  ["an empty method list", rule({ match: { method: [] } })],
  ["a method with a space", rule({ match: { method: "GE T" } })],
  ["a path without a slash", rule({ match: { path: "teapot" } })],
  ["a path with a query", rule({ match: { path: "/t?x=1" } })],
  ["a header condition that is a number", rule({ match: { headers: { "x-a": 1 } } })],
  ["a wrong nested any", rule({ match: { any: [{ path: "/a" }, { path: 3 }] } })],
  ["a wrong nested not", rule({ match: { not: { color: "red" } } })],
];

describe("schema/responder.schema.json and the responder agree", () => {
  it.each(valid)("both accept %s", async (_name, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(await filterVerdict(config)).toBeNull();
  });

  it.each(invalid)("both refuse %s", async (_name, config) => {
    expect(validate(config)).toBe(false);
    expect(await filterVerdict(config)).toMatch(/configuration refused: /);
  });

  it("lists exactly the fields the configuration reader knows", () => {
    const source = readFileSync(join(root, "assembly", "config.ts"), "utf8");
    const known = (name: string) =>
      [...new RegExp(`const ${name}: string\\[\\] = \\[([^\\]]*)\\]`).exec(source)![1]!.matchAll(/"([^"]+)"/g)]
        .map((m) => m[1])
        .sort();
    const keys = (o: { properties: object }) => Object.keys(o.properties).sort();
    expect(keys(schema)).toEqual(known("TOP_FIELDS"));
    expect(keys(schema.definitions.rule)).toEqual(known("RULE_FIELDS"));
    expect(keys(schema.definitions.match)).toEqual(known("MATCH_FIELDS"));
  });
});
