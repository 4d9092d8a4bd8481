// SPDX-License-Identifier: Apache-2.0
// Issue 12, class 5, through the compiled filter: the verified-token cache is bounded in bytes per
// VM (`jwt_cache_bytes`, default 1 MiB) whatever `jwt_cache_size` says, tokens over 4 KiB are not
// cached (as Envoy), and a configuration cannot ask for more cache than a VM can hold.
import { describe, it, expect } from "vitest";
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { load, get, T0, refusedConfigLog } from "./filter_helpers";

const ISS = "https://issuer.example.com";
const SECRET = randomBytes(32);
const JWKS = JSON.stringify({ keys: [{ kty: "oct", k: SECRET.toString("base64url"), kid: "h1", alg: "HS256" }] });
function config(extra: Record<string, unknown> = {}) {
  return {
    providers: { main: { issuer: ISS, algorithms: ["HS256"], local_jwks: JWKS } },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
    ...extra,
  };
}
/** A signed token of about `length` characters (a filler claim makes up the size). */
function token(n: number, length: number): Promise<string> {
  const filler = "x".repeat(Math.max(0, Math.floor(((length - 200) * 3) / 4)));
  return new SignJWT({ iss: ISS, sub: `u${n}`, iat: T0 - 10, exp: T0 + 3600, filler })
    .setProtectedHeader({ alg: "HS256", kid: "h1" })
    .sign(SECRET);
}

async function fill(extra: Record<string, unknown>, count: number) {
  const host = await load(config(extra));
  const start = host.memoryBytes();
  for (let i = 0; i < count; i++) {
    const t = await token(i, 4000);
    expect(t.length).toBeLessThanOrEqual(4096);
    const res = await host.request(get("/a", { authorization: `Bearer ${t}` }), { status: 200 });
    expect(res.status).toBe(200);
  }
  expect(host.failures).toEqual([]);
  return { host, start, end: host.memoryBytes() };
}

describe("verified-token cache memory", () => {
  it("stays within jwt_cache_bytes (default 1 MiB) with a huge jwt_cache_size and many distinct 4 KB tokens", async () => {
    const bounded = await fill({ jwt_cache_size: 100000 }, 1500);
    // The same stream with the byte bound raised shows what an entry bound alone lets the cache keep.
    const loose = await fill({ jwt_cache_size: 100000, jwt_cache_bytes: 128 << 20 }, 1500);
    const mib = (b: number) => b / (1 << 20);
    expect(mib(loose.end - loose.start)).toBeGreaterThan(16);
    expect(mib(bounded.end - bounded.start)).toBeLessThan(6);
  });

  it("does not cache a token over 4 KiB, and caches one just under", async () => {
    const host = await load(config());
    const big = await token(1, 5000);
    expect(big.length).toBeGreaterThan(4096);
    const small = await token(2, 4000);
    for (const t of [big, big, small, small]) {
      expect((await host.request(get("/a", { authorization: `Bearer ${t}` }), { status: 200 })).status).toBe(200);
    }
    expect(host.metric("jwt_authn.jwt_cache_miss")).toBe(3);
    expect(host.metric("jwt_authn.jwt_cache_hit")).toBe(1);
  });

  it("refuses a jwt_cache_bytes larger than a VM can hold, naming the field", async () => {
    expect(await refusedConfigLog(config({ jwt_cache_bytes: 512 << 20 }))).toContain(
      "configuration refused: jwt_cache_bytes: must be an integer from 0 to 268435456",
    );
  });
});
