// SPDX-License-Identifier: Apache-2.0
// The JwtAuthn filter's debug build with assertions kept on (--debug, no --noAssert; built by the
// global setup through @getwild/host's buildFilter): release builds strip every `assert`, so this is
// where a broken internal invariant shows, as a trap, on the paths a representative run takes:
// inline and remote keys, valid, expired, forged, malformed and hostile tokens, a refused
// configuration, and the verified-token cache.
import { describe, it, expect, beforeAll } from "vitest";
import fc from "fast-check";
import { validateModule } from "@getwild/host";
import { readFileSync } from "node:fs";
import { rsaKey, jwks, mint, load, get, T0, refusedConfigLog, type SigningKey } from "./filter_helpers";
import { buildFilter } from "./filter_build.mjs";

const ISS = "https://issuer.example.com";
let key: SigningKey;
let other: SigningKey;
let debugWasm: string;

beforeAll(async () => {
  [key, other] = await Promise.all([rsaKey("k1"), rsaKey("k2")]);
  debugWasm = await buildFilter("jwt_authn", true);
});

const inline = () => ({
  providers: { main: { issuer: ISS, audiences: ["api"], local_jwks: jwks(key) } },
  rules: [{ match: { prefix: "/public" } }, { match: { prefix: "/" }, requires: { provider_name: "main" } }],
});
const debugHost = (config: unknown, extra: Record<string, unknown> = {}) => load(config, { wasm: debugWasm, ...extra });

describe("JwtAuthn, debug build with assertions on", () => {
  it("is the debug build: a name section (readable backtraces) and more code than the release build", async () => {
    const debug = readFileSync(debugWasm);
    const release = readFileSync(await buildFilter("jwt_authn"));
    expect(validateModule(debug).errors).toEqual([]);
    const names = (bytes: Buffer) => WebAssembly.Module.customSections(new WebAssembly.Module(bytes), "name").length;
    expect([names(debug), names(release)]).toEqual([1, 0]);
    expect(debug.length).toBeGreaterThan(release.length);
  });

  it("passes a valid token, strips it, and serves the second request from the verified-token cache", async () => {
    const host = await debugHost(inline());
    const token = await mint(key, { iss: ISS, aud: "api", sub: "u1" });
    for (let i = 0; i < 2; i++) {
      const res = await host.request(get("/data", { authorization: `Bearer ${token}` }), { status: 200, body: "ok" });
      expect(res.status).toBe(200);
      expect(res.upstreamRequest?.headers.has("authorization")).toBe(false);
    }
    expect(host.metric("jwt_authn.allowed")).toBe(2);
    expect(host.failures).toEqual([]);
  });

  it("answers missing, expired, wrong-audience and forged tokens with 401, without a trap", async () => {
    const host = await debugHost(inline());
    const tokens = [
      null,
      await mint(key, { iss: ISS, aud: "api", exp: T0 - 3600, iat: T0 - 7200 }),
      await mint(key, { iss: ISS, aud: "other" }),
      await mint(other, { iss: ISS, aud: "api" }, { kid: "k1" }),
    ];
    const statuses: number[] = [];
    for (const token of tokens) {
      const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
      statuses.push((await host.request(get("/data", headers), { status: 200 })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect((await host.request(get("/public/x"), { status: 200 })).status).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("refuses hostile Authorization values with 401 and never trips an assertion", async () => {
    const host = await debugHost(inline());
    const segment = fc.stringMatching(/^[A-Za-z0-9_=+/.-]{0,40}$/);
    const token = fc.oneof(
      fc.string({ maxLength: 200 }).filter((s) => !/[\r\n\0]/.test(s)),
      fc.tuple(segment, segment, segment).map((parts) => parts.join(".")),
      fc
        .uint8Array({ maxLength: 120 })
        .map(
          (b) =>
            `${Buffer.from('{"alg":"RS256","kid":"k1"}').toString("base64url")}.${Buffer.from(b).toString("base64url")}.AA`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const res = await host.request(get("/data", { authorization: `Bearer ${t}` }), { status: 200 });
        expect(res.status).toBe(401);
      }),
      { numRuns: 150 },
    );
    expect(host.failures).toEqual([]);
  });

  it("fetches a remote JWKS over a callout and verifies with it", async () => {
    const config = {
      providers: {
        idp: {
          issuer: ISS,
          remote_jwks: {
            cluster: "idp",
            authority: "idp.example.com",
            path: "/.well-known/jwks.json",
            timeout_ms: 2000,
          },
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "idp" } }],
    };
    const host = await debugHost(config);
    host.advance(50);
    const [call] = host.pendingCalls();
    expect(call?.headers.get(":path")).toBe("/.well-known/jwks.json");
    call!.respond({ status: 200, headers: { "cache-control": "max-age=600" }, body: jwks(key) });
    const res = await host.request(get("/data", { authorization: `Bearer ${await mint(key, { iss: ISS })}` }), {
      status: 200,
    });
    expect(res.status).toBe(200);
    expect(host.failures).toEqual([]);
  });

  it("refuses a bad configuration at configure time, naming the field", async () => {
    const bad = { providers: { p: { issuer: ISS, local_jwks: jwks(key), clock_skew_seconds: 900 } } };
    expect(await refusedConfigLog(bad, { wasm: debugWasm })).toContain(
      "configuration refused: providers.p.clock_skew_seconds:",
    );
  });
});
