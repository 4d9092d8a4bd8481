// SPDX-License-Identifier: Apache-2.0
// schema/http-call.schema.json against the filter's own configure-time validation: valid
// configurations (envoy.yaml's and wasmplugin.yaml's included) are accepted by both ajv and the
// compiled filter, invalid ones refused by both.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { createHost } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = JSON.parse(readFileSync(join(root, "schema", "http-call.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true }).compile(schema);

/** The filter's verdict: null when configure accepts it, else the refusal it logs. */
async function filterVerdict(config: unknown): Promise<string | null> {
  const refusals: string[] = [];
  const onLog = (r: { message: string }) => {
    if (r.message.includes("bad configuration")) refusals.push(r.message);
  };
  try {
    await createHost({
      wasm: join(root, "build", "filter.wasm"),
      rootId: "http-call",
      clusters: ["httpbin"],
      pluginConfig: JSON.stringify(config),
      onLog,
      onLogLevel: "error",
    });
    return null;
  } catch {
    return refusals[0] ?? "refused (no log line)";
  }
}

/** The configuration envoy.yaml passes (its one-line StringValue). */
function envoyConfiguration(): unknown {
  const line = readFileSync(join(root, "envoy.yaml"), "utf8")
    .split("\n")
    .find((l) => l.trim().startsWith("value: '{"))!;
  return JSON.parse(line.trim().slice("value: '".length, -1));
}

const valid: [string, unknown][] = [
  ["envoy.yaml's configuration", envoyConfiguration()],
  [
    "wasmplugin.yaml's pluginConfig",
    { cluster: "outbound|80||httpbin.org", authority: "httpbin.org", timeout_ms: 5000 },
  ],
  ["an empty object (every default)", {}],
  ["a $schema reference and the largest timeout", { $schema: "./schema/http-call.schema.json", timeout_ms: 60000 }],
];

const invalid: [string, unknown][] = [
  ["not an object", [1]],
  ["an unknown field (typo)", { clustr: "httpbin" }],
  ["a $schema that is not a string", { $schema: 1 }],
  ["an empty cluster", { cluster: "" }],
  ["an authority that is a number", { authority: 5 }],
  ["a timeout of 0", { timeout_ms: 0 }],
  ["a fractional timeout", { timeout_ms: 1.5 }],
  ["a timeout over a minute", { timeout_ms: 60001 }],
  ["a timeout as a string", { timeout_ms: "5000" }],
];

describe("schema/http-call.schema.json and the http-call filter agree", () => {
  it.each(valid)("both accept %s", async (_name, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(await filterVerdict(config)).toBeNull();
  });

  it.each(invalid)("both refuse %s", async (_name, config) => {
    expect(validate(config)).toBe(false);
    expect(await filterVerdict(config)).toMatch(/http-call: bad configuration: /);
  });

  it("names the unknown field", async () => {
    expect(await filterVerdict({ clustr: "httpbin" })).toContain("clustr: unknown field");
  });
});
