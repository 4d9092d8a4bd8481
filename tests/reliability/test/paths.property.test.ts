// SPDX-License-Identifier: Apache-2.0
// Issue 12, class 1, as a property through the compiled JwtAuthn: for any path, the rule the filter
// applies is the rule a normalising upstream would be protected by, and the upstream receives the
// path the rule was chosen for. The model of that upstream is written here independently of the
// filter: unreserved escapes decoded (RFC 3986 §6.2.2.2), dot segments removed by the WHATWG URL
// parser, slashes merged, in Envoy's order (normalize_path, then merge_slashes) and in the other
// order; the filter must either agree with both or refuse the request with 400.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { createHost, VirtualClock } from "@getwild/host";
// @ts-expect-error plain ESM helper
import { wasmPath } from "../lib/build.mjs";
// @ts-expect-error plain ESM helper
import { START_SECONDS as NOW } from "../lib/filters.mjs";
// @ts-expect-error plain ESM helper
import { jwksText, keySet, mint } from "../lib/keys.mjs";

const KEYS = keySet("a");
const JWKS = jwksText(KEYS, ["HS256"]);
/** Rules in order (first match wins); each needs its own provider, which writes `x-rule: <index>`. */
const RULES: Array<{ path?: string; prefix?: string }> = [
  { path: "/healthz" },
  { prefix: "/public/" },
  { prefix: "/admin/x/" },
  { prefix: "/admin/" },
  { prefix: "/api/v1/" },
  { prefix: "/a" },
];
function config(extra: Record<string, unknown> = {}) {
  const providers: Record<string, unknown> = {};
  RULES.forEach((_r, i) => {
    providers[`p${i}`] = {
      issuer: "iss",
      algorithms: ["HS256"],
      local_jwks: JWKS,
      from_headers: [{ name: `x-t-${i}` }],
      claim_to_headers: [{ header_name: "x-rule", claim_name: "rule" }],
    };
  });
  return JSON.stringify({
    providers,
    rules: RULES.map((m, i) => ({ match: m, requires: { provider_name: `p${i}` } })),
    ...extra,
  });
}

// The normalising upstream, independent of the filter's code.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const decodeUnreserved = (p: string) =>
  p.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => {
    const c = String.fromCharCode(parseInt(h, 16));
    return UNRESERVED.test(c) ? c : `%${h.toUpperCase()}`;
  });
const removeDots = (p: string) => new URL(`http://upstream${p}`).pathname;
const merge = (p: string) => p.replace(/\/{2,}/g, "/");
function upstreamView(raw: string, unescapeSlashes: boolean) {
  const cut = raw.split("#")[0]!;
  const q = cut.indexOf("?");
  let path = q < 0 ? cut : cut.slice(0, q);
  const query = q < 0 ? "" : cut.slice(q);
  const malformed = /%(?![0-9A-Fa-f]{2})/.test(path);
  const slashes = /%2f|%5c|\\/i.test(path);
  if (unescapeSlashes) path = path.replace(/%2f|%5c|\\/gi, "/");
  const decoded = decodeUnreserved(path);
  return { malformed, slashes, envoy: merge(removeDots(decoded)), mergeFirst: removeDots(merge(decoded)), query };
}
function ruleFor(path: string): number {
  return RULES.findIndex((r) => (r.path !== undefined ? path === r.path : path.startsWith(r.prefix!)));
}

const SEGMENTS = [
  "admin",
  "x",
  "public",
  "api",
  "v1",
  "healthz",
  "a",
  "b",
  "",
  ".",
  "..",
  "%2e",
  "%2E%2e",
  ".%2e",
  "%2e.",
  "%61dmin",
  "ad%6Din",
  "%41",
  "%7e",
  "~u",
  "a%20b",
  "%3b",
  "%2F",
  "%2f",
  "%5C",
  "\\",
  "%zz",
  "%",
  "%4",
];
const pathArb = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...SEGMENTS), fc.constantFrom("/", "/", "/", "//")), {
      minLength: 0,
      maxLength: 7,
    }),
    fc.constantFrom("", "", "?q=1", "?next=/../admin/", "#frag"),
  )
  .map(([parts, tail]) => "/" + parts.map(([s, sep], i) => (i === 0 ? s : sep + s)).join("") + tail);

describe("rule matching against a normalising upstream (property)", () => {
  let tokens: Record<string, string>;
  beforeAll(() => {
    tokens = {};
    for (let i = 0; i < RULES.length; i++) {
      tokens[`x-t-${i}`] = mint(KEYS, "HS256", NOW - 10, { iss: "iss", rule: String(i) });
    }
  });

  for (const mode of ["REJECT_REQUEST", "UNESCAPE_AND_FORWARD"]) {
    it(`chooses the rule the upstream applies, or answers 400 (${mode})`, async () => {
      const host = await createHost({
        wasm: wasmPath("jwt_authn"),
        rootId: "jwt_authn",
        canary: false,
        clock: new VirtualClock(NOW * 1000),
        pluginConfig: config({ path_with_escaped_slashes_action: mode }),
      });
      const unescape = mode === "UNESCAPE_AND_FORWARD";
      const seen = { agreed: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(pathArb, async (raw) => {
          const view = upstreamView(raw, unescape);
          const res = await host.request(
            { method: "GET", path: raw, authority: "api.example", headers: tokens },
            { status: 200 },
          );
          expect(host.failures).toEqual([]);
          if (res.status === 400) {
            seen.refused++;
            const reason = JSON.parse(res.bodyText).reason;
            // Refused only for a reason the upstream model shows: an encoded slash (when refused), a
            // malformed escape, or two normalising upstreams that would disagree.
            const because = [
              ...(view.slashes && !unescape ? ["path_escaped_slash"] : []),
              ...(view.malformed ? ["path_malformed"] : []),
              ...(view.envoy !== view.mergeFirst ? ["path_ambiguous"] : []),
            ];
            expect(because, raw).toContain(reason);
            return;
          }
          expect(view.malformed || (view.slashes && !unescape), raw).toBe(false);
          expect(view.envoy, raw).toBe(view.mergeFirst);
          const rule = ruleFor(view.envoy);
          if (rule < 0) {
            expect(res.status, raw).toBe(401);
            expect(JSON.parse(res.bodyText).reason).toBe("no_rule_matched");
            return;
          }
          seen.agreed++;
          expect(res.status, raw).toBe(200);
          const upstream = res.upstreamRequest!.headers;
          expect(upstream.get("x-rule"), raw).toBe(String(rule));
          expect(upstream.get(":path"), raw).toBe(view.envoy + view.query);
        }),
        { numRuns: 400, seed: 20261203 },
      );
      // The generator reaches both outcomes, so neither half of the property is vacuous.
      expect(seen.agreed).toBeGreaterThan(50);
      expect(seen.refused).toBeGreaterThan(20);
    });
  }
});
