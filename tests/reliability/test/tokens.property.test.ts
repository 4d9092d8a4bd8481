// SPDX-License-Identifier: Apache-2.0
// Issue 12, classes 3 and 4, as a differential property through the compiled JwtAuthn: what the
// filter verifies is what an upstream reads. The upstream's readers are standard parsers, not the
// filter's code: WHATWG URLSearchParams for the query (also on the query split at `;`, as some
// parsers do) and the `cookie` package (npm, pinned) for the Cookie header (also on pairs split at
// `,`, as RFC 2965-era parsers do), and a model of PHP's name mangling (`access.token` is
// `access_token` to $_GET), read at every occurrence (first, last, any). For any mix of valid, forged,
// percent-encoded, empty and junk tokens under plain and encoded names: a request that passes
// carried no other token than the verified one, and reaches the upstream with none left; a request
// whose readers disagree is refused with 400.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { parse as parseCookie } from "cookie";
import { createHost, VirtualClock } from "@getwild/host";
// @ts-expect-error plain ESM helper
import { wasmPath } from "../lib/build.mjs";
// @ts-expect-error plain ESM helper
import { START_SECONDS as NOW } from "../lib/filters.mjs";
// @ts-expect-error plain ESM helper
import { jwksText, keySet, mint } from "../lib/keys.mjs";

const KEYS = keySet("a");
const config = JSON.stringify({
  providers: {
    main: {
      issuer: "iss",
      algorithms: ["HS256"],
      local_jwks: jwksText(KEYS, ["HS256"]),
      from_params: ["access_token"],
      from_cookies: ["session"],
      claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
    },
  },
  rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
});
const encodeAll = (s: string) =>
  [...s].map((c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")).join("");

/** Every value an upstream's parsers read for the token's names, in order. */
function upstreamReads(query: string, cookieHeader: string | undefined): string[] {
  // WHATWG splits on & only; some upstream parsers split on ; as well (Python's before 3.9.2).
  const fromQuery = [
    ...new URLSearchParams(query).getAll("access_token"),
    ...new URLSearchParams(query.replaceAll(";", "&")).getAll("access_token"),
  ];
  // The cookie package keeps the first of a repeated name, so each pair is read on its own to see
  // every occurrence (an upstream reading the last one sees that one); surrounding quotes are
  // dropped as RFC 6265 parsers such as Go's do.
  // RFC 2965-era parsers split on "," too: read both ways.
  const pairs = (cookieHeader ?? "").split(";");
  const fromCookies = [...pairs, ...pairs.flatMap((p) => p.split(","))]
    .map((pair) => parseCookie(pair).session)
    .filter((v): v is string => v !== undefined)
    .map((v) => v.replace(/^"(.*)"$/, "$1"));
  return [...fromQuery, ...fromCookies, ...phpReads(query, cookieHeader)].filter((v) => v.length > 0);
}

/**
 * PHP's $_GET / $_COOKIE, modelled from its documented name mangling: a name is decoded (`+` is a
 * space), leading spaces go, `.` and space become `_` up to the first `[`; `name[...]` is an array
 * of `name` (it replaces a string of that name), an unmatched `[` becomes `_` and the rest stays.
 * The last value of a variable wins, so every value under a name folding to the token's is read.
 */
function phpVariable(raw: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return raw;
  }
  name = name.replace(/^ +/, "");
  const bracket = name.indexOf("[");
  const head = (bracket < 0 ? name : name.slice(0, bracket)).replace(/[ .]/g, "_");
  if (bracket < 0) return head;
  return name.indexOf("]", bracket + 1) >= 0 ? head : head + "_" + name.slice(bracket + 1);
}
function phpReads(query: string, cookieHeader: string | undefined): string[] {
  const values: string[] = [];
  // Query values decode `+` as a space; cookie values lose surrounding quotes, as the other readers'.
  const take = (pair: string, variable: string, isCookie: boolean) => {
    const eq = pair.indexOf("=");
    if (eq < 0 || phpVariable(pair.slice(0, eq)) !== variable) return;
    const v = pair.slice(eq + 1);
    let value: string;
    try {
      value = decodeURIComponent(isCookie ? v : v.replaceAll("+", " "));
    } catch {
      value = v;
    }
    values.push(isCookie ? value.replace(/^"(.*)"$/, "$1") : value);
  };
  for (const pair of query.split("&")) take(pair, "access_token", false);
  for (const pair of (cookieHeader ?? "").split(";")) take(pair.trim(), "session", true);
  return values;
}

describe("the token the filter verifies is the token an upstream reads (differential property)", () => {
  let valid: string, forged: string;
  beforeAll(() => {
    valid = mint(KEYS, "HS256", NOW - 10, { iss: "iss", sub: "alice" });
    // Another secret under the configured kid: a bad signature, not an unknown key.
    forged = mint(keySet("b"), "HS256", NOW - 10, { iss: "iss", sub: "mallory" }, { kid: KEYS.HS256.kid });
  });

  it("queries and cookies with repeated, encoded and forged tokens", async () => {
    const host = await createHost({
      wasm: wasmPath("jwt_authn"),
      rootId: "jwt_authn",
      pluginConfig: config,
      canary: false,
      clock: new VirtualClock(NOW * 1000),
    });
    const value = () =>
      fc.constantFrom(
        valid,
        forged,
        valid.replaceAll(".", "%2E"),
        encodeAll(valid),
        forged.replaceAll(".", "%2e"),
        "",
        "junk",
        `${valid}x`,
        `"${valid}"`,
      );
    const paramName = fc.constantFrom(
      "access_token",
      "access_token",
      "access%5Ftoken",
      "%61ccess_token",
      encodeAll("access_token"),
      "access+token",
      "Access_token",
      "x",
      "access.token",
      "access%20token",
      "access[token",
      "access_token[]",
      "access[x]token",
    );
    const cookieName = fc.constantFrom(
      "session",
      "session",
      " session",
      "sess%69on",
      "Session",
      "other",
      "session[]",
      "session[",
      "session.",
    );
    const arb = fc.record({
      params: fc.array(fc.tuple(paramName, value(), fc.boolean(), fc.constantFrom("&", "&", ";")), { maxLength: 4 }),
      cookies: fc.option(
        fc.tuple(
          fc.array(fc.tuple(cookieName, value()), { minLength: 1, maxLength: 4 }),
          fc.constantFrom("; ", ";", ", "),
        ),
        { nil: undefined },
      ),
    });
    const outcomes = { passed: 0, conflict: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(arb, async ({ params, cookies }) => {
        const query = params.map(([n, v, eq, sep], i) => (i === 0 ? "" : sep) + (eq ? `${n}=${v}` : n)).join("");
        const cookieHeader =
          cookies === undefined ? undefined : cookies[0].map(([n, v]) => `${n}=${v}`).join(cookies[1]);
        const reads = upstreamReads(query, cookieHeader);
        const headers: Record<string, string> = cookieHeader === undefined ? {} : { cookie: cookieHeader };
        const res = await host.request(
          { method: "GET", path: `/r${query ? "?" + query : ""}`, authority: "api.example", headers },
          { status: 200 },
        );
        expect(host.failures).toEqual([]);
        const what = JSON.stringify({ query, cookieHeader });
        if (new Set(reads).size > 1) expect(res.status, what).toBe(400);
        if (res.status === 200) {
          outcomes.passed++;
          // Every reader saw the verified token or nothing, and the upstream gets no token at all.
          for (const r of reads) expect(r, what).toBe(valid);
          expect(res.upstreamRequest!.headers.get("x-sub")).toBe("alice");
          const path = res.upstreamRequest!.headers.get(":path")!;
          const cookieUp = res.upstreamRequest!.headers.get("cookie") ?? undefined;
          expect(upstreamReads(path.includes("?") ? path.slice(path.indexOf("?") + 1) : "", cookieUp), what).toEqual(
            [],
          );
        } else if (res.status === 400) {
          outcomes.conflict++;
          expect(JSON.parse(res.bodyText).reason, what).toBe("multiple_tokens");
        } else {
          outcomes.refused++;
          expect(res.status, what).toBe(401);
          expect(res.upstreamRequest, what).toBeNull();
          // A lone valid token that every reader agrees on is never refused.
          expect(reads.length > 0 && reads.every((r) => r === valid), what).toBe(false);
        }
      }),
      { numRuns: 600, seed: 20261203 },
    );
    expect(outcomes.passed).toBeGreaterThan(30);
    expect(outcomes.conflict).toBeGreaterThan(30);
    expect(outcomes.refused).toBeGreaterThan(30);
  });
});
