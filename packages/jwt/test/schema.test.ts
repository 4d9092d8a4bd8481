// SPDX-License-Identifier: Apache-2.0
// schema/jwt-authn.schema.json against the filter's own configure-time validation: every valid
// configuration here (the examples' plugin-config.json files included) is accepted by both ajv and
// the compiled JwtAuthn filter, every invalid one is refused by both, and the schema lists exactly
// the fields the configuration reader knows (so neither can gain a field the other lacks).
import { describe, it, expect } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { configureVerdict } from "@getwild/host";
import { hostOptions } from "./filter_helpers";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schema = JSON.parse(readFileSync(join(root, "schema", "jwt-authn.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true }).compile(schema);
const example = (name: string) =>
  JSON.parse(readFileSync(join(root, "..", "..", "examples", name, "plugin-config.json"), "utf8"));

/** The filter's verdict: null when configure accepts it, else the refusal it logs. */
const filterVerdict = async (config: unknown) => configureVerdict(await hostOptions(config));

const hmacJwks = JSON.stringify({
  keys: [{ kty: "oct", k: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYnk", alg: "HS256" }],
});
const fb = { firebase: { project_id: "demo-project" } };
const local = { issuer: "https://issuer.example", algorithms: ["HS256"], local_jwks: hmacJwks };
const remote = { remote_jwks: { cluster: "idp", authority: "idp.example", path: "/keys" } };

const valid: [string, unknown][] = [
  ["examples/jwt-authn/plugin-config.json", example("jwt-authn")],
  ["examples/firebase-jwt/plugin-config.json", example("firebase-jwt")],
  ["a local HMAC key set", { providers: { p: local } }],
  ["local_jwks as {inline_string}", { providers: { p: { ...local, local_jwks: { inline_string: hmacJwks } } } }],
  [
    "remote keys by authority and path, every remote option",
    {
      providers: {
        p: {
          remote_jwks: {
            ...remote.remote_jwks,
            timeout_ms: 1,
            min_lifetime_seconds: 5,
            max_lifetime_seconds: 5,
            fallback_lifetime_seconds: 1,
            refresh_before_seconds: 0,
            backoff_base_ms: 10,
            backoff_max_ms: 10,
            unknown_kid_min_interval_ms: 0,
            max_bytes: 256,
            max_keys: 1,
          },
        },
      },
    },
  ],
  [
    "every top-level option, with $schema",
    {
      $schema: "./node_modules/@getwild/jwt/schema/jwt-authn.schema.json",
      providers: { p: fb },
      rules: [
        {
          match: { prefix: "/api/", headers: [{ name: "x-a" }] },
          requires: { requires_all: { requirements: [{ provider_name: "p" }, { allow_missing: {} }] } },
        },
        { match: { path: "/healthz" } },
      ],
      unmatched: { allow_missing_or_failed: {} },
      bypass_cors_preflight: true,
      audience_failure_status: 403,
      failure_body: "empty",
      realm: "api",
      jwks_unavailable: "allow",
      jwt_cache_size: 0,
      jwt_cache_bytes: 4096,
      stat_prefix: "auth",
      tick_ms: 10,
      path_with_escaped_slashes_action: "UNESCAPE_AND_FORWARD",
    },
  ],
  [
    "claims of every kind, token locations and output headers",
    {
      providers: {
        p: {
          ...fb,
          claims: [
            { name: "email_verified", equals: true },
            { name: "tier", one_of: ["gold"] },
            { name: "scope", contains_any: "read" },
            { name: "roles", contains_all: ["a", "b"] },
            { name: "admin", is_true: true },
            { name: "tenant", exists: true },
          ],
          from_headers: [{ name: "x-token" }, { name: "authorization", value_prefix: "Bearer " }],
          from_cookies: ["session"],
          from_params: ["access_token"],
          forward: true,
          forward_payload_header: "x-jwt-payload",
          claim_to_headers: [{ header_name: "x-user", claim_name: "sub" }],
          require_kid: true,
          require_subject: true,
          require_expiration: false,
          clock_skew_seconds: 300,
          max_lifetime_seconds: 3600,
          max_token_bytes: 16,
        },
      },
    },
  ],
  [
    "per-route requirements: requirement_map, route_requirements, requirement_name, provider_and_audiences",
    {
      providers: { p: fb },
      requirement_map: {
        user: { provider_name: "p" },
        billing: { provider_and_audiences: { provider_name: "p", audiences: ["billing"] } },
        open: {},
      },
      route_requirements: { reports: "user", billing: "billing" },
      rules: [{ match: { prefix: "/b/" }, requirement_name: "billing" }],
    },
  ],
  [
    "claims written as filter state for Envoy's RBAC",
    {
      providers: {
        p: {
          ...fb,
          claim_to_filter_state: [
            { claim_name: "groups", key: "wasm.jwt_groups" },
            { claim_name: "sub", key: "wasm.jwt.sub" },
          ],
        },
      },
    },
  ],
  [
    "keys through OIDC discovery, every option",
    {
      providers: {
        p: {
          issuer: "https://login.example.com/t",
          oidc_discovery: {
            cluster: "login",
            jwks_cluster: "keys",
            timeout_ms: 1,
            min_lifetime_seconds: 5,
            max_lifetime_seconds: 5,
            fallback_lifetime_seconds: 1,
            refresh_before_seconds: 0,
            backoff_base_ms: 10,
            backoff_max_ms: 10,
            unknown_kid_min_interval_ms: 0,
            max_bytes: 256,
            max_keys: 1,
          },
        },
      },
    },
  ],
];

const invalid: [string, unknown][] = [
  [
    "route_requirements naming a requirement that is not a string",
    { providers: { p: fb }, requirement_map: { u: {} }, route_requirements: { r: 1 } },
  ],
  [
    "a rule with requires and requirement_name",
    {
      providers: { p: fb },
      requirement_map: { u: {} },
      rules: [{ match: { prefix: "/" }, requires: {}, requirement_name: "u" }],
    },
  ],
  [
    "provider_and_audiences without audiences",
    {
      providers: { p: fb },
      rules: [{ match: { prefix: "/" }, requires: { provider_and_audiences: { provider_name: "p", audiences: [] } } }],
    },
  ],
  [
    "a filter state key without the wasm. prefix",
    { providers: { p: { ...fb, claim_to_filter_state: [{ claim_name: "g", key: "jwt_groups" }] } } },
  ],
  [
    "oidc_discovery without a cluster",
    { providers: { p: { issuer: "https://login.example.com", oidc_discovery: {} } } },
  ],
  [
    "oidc_discovery with an http issuer",
    { providers: { p: { issuer: "http://login.example.com", oidc_discovery: { cluster: "c" } } } },
  ],
  ["oidc_discovery without an issuer", { providers: { p: { oidc_discovery: { cluster: "c" } } } }],
  [
    "oidc_discovery beside remote_jwks",
    { providers: { p: { issuer: "https://login.example.com", oidc_discovery: { cluster: "c" }, ...remote } } },
  ],
  ["no providers", {}],
  ["an empty providers map", { providers: {} }],
  ["an unknown top-level field", { providers: { p: fb }, provider: {} }],
  ["a $schema that is not a string", { $schema: 5, providers: { p: fb } }],
  ["an unknown provider field (typo)", { providers: { p: { ...fb, isuer: "x" } } }],
  ["a provider without keys", { providers: { p: { issuer: "x" } } }],
  ["local and remote keys together", { providers: { p: { ...local, ...remote } } }],
  ["remote keys without a cluster", { providers: { p: { remote_jwks: { authority: "x", path: "/k" } } } }],
  [
    "remote keys by uri and path",
    { providers: { p: { remote_jwks: { cluster: "c", uri: "https://x/k", path: "/k" } } } },
  ],
  ["a remote timeout of 0", { providers: { p: { remote_jwks: { ...remote.remote_jwks, timeout_ms: 0 } } } }],
  [
    "a remote timeout over a minute",
    { providers: { p: { remote_jwks: { ...remote.remote_jwks, timeout_ms: 60001 } } } },
  ],
  ["the none algorithm", { providers: { p: { ...local, algorithms: ["none"] } } }],
  ["an empty algorithm list", { providers: { p: { ...local, algorithms: [] } } }],
  ["a claim with no requirement", { providers: { p: { ...fb, claims: [{ name: "scope" }] } } }],
  ["an unknown claim operator", { providers: { p: { ...fb, claims: [{ name: "scope", matches: "x" }] } } }],
  ["the firebase preset with an issuer", { providers: { p: { ...fb, issuer: "x" } } }],
  ["a firebase project id with upper case", { providers: { p: { firebase: { project_id: "My_Project" } } } }],
  [
    "a pseudo-header as output header",
    { providers: { p: { ...fb, claim_to_headers: [{ header_name: ":path", claim_name: "sub" }] } } },
  ],
  ["a pseudo-header as token header", { providers: { p: { ...fb, from_headers: [{ name: ":authority" }] } } }],
  ["a cookie name with =", { providers: { p: { ...fb, from_cookies: ["a=b"] } } }],
  ["a clock skew over 300 s", { providers: { p: { ...fb, clock_skew_seconds: 301 } } }],
  ["a rule with path and prefix", { providers: { p: fb }, rules: [{ match: { path: "/a", prefix: "/" } }] }],
  ["a rule with no match", { providers: { p: fb }, rules: [{ requires: {} }] }],
  ["a rule path with a .. segment", { providers: { p: fb }, rules: [{ match: { prefix: "/a/../b" } }] }],
  [
    "a requirement with two kinds",
    { providers: { p: fb }, rules: [{ match: { prefix: "/" }, requires: { provider_name: "p", allow_missing: {} } }] },
  ],
  [
    "requires_any with one requirement",
    {
      providers: { p: fb },
      rules: [{ match: { prefix: "/" }, requires: { requires_any: { requirements: [{ provider_name: "p" }] } } }],
    },
  ],
  ["audience_failure_status 402", { providers: { p: fb }, audience_failure_status: 402 }],
  ["failure_body html", { providers: { p: fb }, failure_body: "html" }],
  ["unmatched maybe", { providers: { p: fb }, unmatched: "maybe" }],
  ["a realm with a quote", { providers: { p: fb }, realm: 'a"b' }],
  ["a negative cache size", { providers: { p: fb }, jwt_cache_size: -1 }],
  ["an unknown escaped-slash action", { providers: { p: fb }, path_with_escaped_slashes_action: "KEEP" }],
  ["a tick under 10 ms", { providers: { p: fb }, tick_ms: 9 }],
];

describe("schema/jwt-authn.schema.json and the JwtAuthn filter agree", () => {
  it.each(valid)("both accept %s", async (_name, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(await filterVerdict(config)).toBeNull();
  });

  it.each(invalid)("both refuse %s", async (_name, config) => {
    expect(validate(config)).toBe(false);
    expect(await filterVerdict(config)).toMatch(/configuration refused: /);
  });

  // The filter's own list of each object's fields is what it does not refuse as "unknown field".
  // Candidates: every field-like string literal of the filter's sources (a field is read by its
  // name there) and every field the schema lists; each object is probed with the candidates in
  // small batches (a refusal lists at most 20 problems), on top of a base that keeps the object
  // reachable. So a field the schema lacks, or one the filter does not know, fails this test.
  const filterSources = join(root, "assembly", "filter");
  const literals = new Set(
    readdirSync(filterSources)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(filterSources, f), "utf8").matchAll(/"([$a-z][a-z0-9_]*)"/g)])
      .map((m) => m[1]!),
  );
  const objects: [string, { properties: object }, string, (batch: object) => unknown][] = [
    ["the top level", schema, "", (batch) => ({ ...batch, providers: { p: local } })],
    [
      "a provider",
      schema.definitions.provider,
      "providers.p.",
      (batch) => ({ providers: { p: { ...batch, ...local } } }),
    ],
    [
      "remote_jwks",
      schema.definitions.remote_jwks,
      "providers.p.remote_jwks.",
      (batch) => ({ providers: { p: { remote_jwks: { ...batch, ...remote.remote_jwks } } } }),
    ],
    [
      "a claim requirement",
      schema.definitions.claim,
      "providers.p.claims[0].",
      (batch) => ({ providers: { p: { ...local, claims: [{ ...batch, name: "c", exists: true }] } } }),
    ],
    [
      "oidc_discovery",
      schema.definitions.oidc_discovery,
      "providers.p.oidc_discovery.",
      (batch) => ({
        providers: { p: { issuer: "https://issuer.example", oidc_discovery: { ...batch, cluster: "idp" } } },
      }),
    ],
  ];
  // The filter's plainName check (config.ts) against the schema's pattern for cookie and query
  // parameter names, character by character: every ASCII character and one beyond, between letters.
  it("refuses exactly the cookie and query parameter names the schema refuses", async () => {
    const provider = schema.definitions.provider.properties;
    const disagree: string[] = [];
    for (const field of ["from_cookies", "from_params"]) {
      const pattern = new RegExp(provider[field].items.pattern);
      for (let c = 0; c <= 0x80; c++) {
        const name = "a" + String.fromCharCode(c) + "b";
        const accepted = (await filterVerdict({ providers: { p: { ...local, [field]: [name] } } })) === null;
        if (accepted !== pattern.test(name)) disagree.push(`${field} ${JSON.stringify(name)}`);
      }
    }
    expect(disagree).toEqual([]);
  });

  it.each(objects)("lists exactly the fields the filter accepts in %s", async (_name, definition, path, config) => {
    const listed = Object.keys(definition.properties).sort();
    const candidates = [...new Set([...literals, ...listed])].sort();
    const accepted: string[] = [];
    for (let i = 0; i < candidates.length; i += 8) {
      const batch = candidates.slice(i, i + 8);
      const verdict = (await filterVerdict(config(Object.fromEntries(batch.map((name) => [name, null]))))) ?? "";
      const problems = verdict.replace(/^.*?configuration refused: /, "").split("; ");
      expect(
        problems.some((p) => p.includes("more not listed")),
        verdict,
      ).toBe(false);
      for (const name of batch) if (!problems.includes(`${path}${name}: unknown field`)) accepted.push(name);
    }
    expect(accepted.sort()).toEqual(listed);
  });
});
