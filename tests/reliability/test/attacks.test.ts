// SPDX-License-Identifier: Apache-2.0
// The attack catalogue, one named case per attack, through every token-verifying filter (the
// user-built filter, JwtAuthn, examples/firebase-jwt, examples/jwt-authn): each is refused with
// 401/403, reaches no upstream, and traps nothing. SECURITY.md points at these names.
import { describe, it, expect, beforeAll } from "vitest";
import { createHmac, createPublicKey } from "node:crypto";
// @ts-expect-error plain ESM helpers
import { startFilter, START_SECONDS, TOKEN_CLAIMS } from "../lib/filters.mjs";
// @ts-expect-error plain ESM helpers
import { keySet, mint, signSegments } from "../lib/keys.mjs";

const A = keySet("a");
const B = keySet("b");
const b64 = (x: unknown) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");
const FILTERS = ["user_auth", "jwt_authn", "firebase-jwt", "jwt-authn"];

/** Builds the attack tokens for a filter whose valid tokens carry `claims`. */
function attacks(claims: Record<string, unknown>): [string, string][] {
  const now = START_SECONDS;
  const body = {
    iss: "https://issuer.example",
    aud: "reliability",
    sub: "attacker",
    iat: now,
    exp: now + 3600,
    ...claims,
  };
  const valid = mint(A, "RS256", now, claims);
  const [h, p, s] = valid.split(".");
  const rsaPem = createPublicKey({ key: A.RS256.private, format: "jwk" }).export({
    type: "spki",
    format: "pem",
  }) as string;
  const hsWith = (secret: string | Buffer, header: Record<string, unknown>) => {
    const input = `${b64(header)}.${b64(body)}`;
    return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
  };
  return [
    ["alg none, no signature", `${b64({ alg: "none", kid: A.RS256.kid })}.${b64(body)}.`],
    ["alg none with the original signature", `${b64({ alg: "none", kid: A.RS256.kid })}.${b64(body)}.${s}`],
    ["alg spelled None", `${b64({ alg: "None", kid: A.RS256.kid })}.${b64(body)}.${s}`],
    ["HS256 keyed with the RSA public key (PEM)", hsWith(rsaPem, { alg: "HS256", kid: A.RS256.kid })],
    [
      "HS256 keyed with the RSA modulus",
      hsWith(Buffer.from(A.RS256.private.n, "base64url"), { alg: "HS256", kid: A.RS256.kid }),
    ],
    ["signature stripped", `${h}.${p}.`],
    ["payload changed, signature kept", `${h}.${b64({ ...body, sub: "admin" })}.${s}`],
    ["signed by another key under the configured kid", mint(B, "RS256", now, claims, { kid: A.RS256.kid })],
    ["signed by another key, kid omitted", mint(B, "RS256", now, claims, { kid: undefined })],
    [
      "attacker key embedded as jwk header",
      mint(B, "RS256", now, claims, {
        jwk: createPublicKey({ key: B.RS256.private, format: "jwk" }).export({ format: "jwk" }),
      }),
    ],
    [
      "attacker key by jku/x5u URL",
      mint(B, "RS256", now, claims, { jku: "https://evil.example/jwks", x5u: "https://evil.example/cert" }),
    ],
    ["crit extension", mint(A, "RS256", now, claims, { crit: ["exp"], exp: 1 })],
    ["kid path traversal", mint(B, "RS256", now, claims, { kid: "../../../../dev/null" })],
    ["kid of 100 KB", mint(B, "RS256", now, claims, { kid: "k".repeat(100_000) })],
    [
      "duplicate alg member in the header",
      signSegments(B, "RS256", b64(`{"alg":"RS256","kid":"${A.RS256.kid}","alg":"none"}`), b64(body)),
    ],
    ["header nested 10,000 deep", `${b64(`{"alg":"RS256","x":${"[".repeat(10000)}${"]".repeat(10000)}}`)}.${p}.${s}`],
    [
      "header with invalid UTF-8",
      `${Buffer.concat([Buffer.from('{"alg":"RS256","kid":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]).toString("base64url")}.${p}.${s}`,
    ],
    ["padded base64url", `${h}==.${p}.${s}`],
    ["standard base64 alphabet", `${h}.${p}.${Buffer.from(s, "base64url").toString("base64")}`],
    ["token of 1 MB", `${h}.${p}${"A".repeat(1 << 20)}.${s}`],
    ["four segments", `${valid}.${s}`],
    ["expired", mint(A, "RS256", now - 7200, { ...claims, exp: now - 3600, auth_time: now - 7200 })],
    ["not yet valid", mint(A, "RS256", now, { ...claims, nbf: now + 3600 })],
    ["issued in the future", mint(A, "RS256", now + 3600, { ...claims, auth_time: now })],
    ["wrong issuer", mint(A, "RS256", now, { ...claims, iss: "https://evil.example" })],
    ["wrong audience", mint(A, "RS256", now, { ...claims, aud: "someone-else" })],
  ];
}

for (const name of FILTERS) {
  describe(`attacks refused by ${name}`, () => {
    let host: Awaited<ReturnType<typeof startFilter>>;
    const claims = TOKEN_CLAIMS[name];
    beforeAll(async () => {
      host = await startFilter(name);
      // control: the valid token passes, so the refusals below are about the attack
      const ok = await host.request(
        { path: "/api", headers: { authorization: `Bearer ${mint(A, "RS256", START_SECONDS, claims)}` } },
        { status: 200 },
      );
      expect(ok.status).toBe(200);
    });
    it.each(attacks(claims))("%s", async (_attack, token) => {
      const r = await host.request({ path: "/api", headers: { authorization: `Bearer ${token}` } }, { status: 200 });
      expect([401, 403]).toContain(r.status);
      expect(r.upstreamRequest).toBeNull();
      expect(host.failures).toEqual([]);
    });
  });
}

describe("identity headers cannot be spoofed by the client", () => {
  it("user_auth: x-jwt-sub is replaced by the verified subject", async () => {
    const host = await startFilter("user_auth");
    const r = await host.request(
      {
        path: "/api",
        headers: {
          authorization: `Bearer ${mint(A, "ES256", START_SECONDS, { sub: "alice" })}`,
          "x-jwt-sub": ["admin", "root"],
        },
      },
      { status: 200 },
    );
    expect(r.upstreamRequest?.headers.getAll("x-jwt-sub")).toEqual(["alice"]);
  });

  it("jwt-authn: x-user-id and x-jwt-payload sent by the client are dropped on a route that needs no token", async () => {
    const host = await startFilter("jwt-authn");
    const r = await host.request(
      {
        path: "/public/x",
        headers: { "x-user-id": "admin", "x-jwt-payload": b64({ sub: "admin" }), "x-caller": "billing" },
      },
      { status: 200 },
    );
    expect(r.status).toBe(200);
    for (const h of ["x-user-id", "x-jwt-payload", "x-caller"]) expect(r.upstreamRequest?.headers.has(h)).toBe(false);
  });
});
