// SPDX-License-Identifier: Apache-2.0
// The firebase(projectId) preset through the compiled JwtAuthn filter: Google's securetoken JWKS
// fetched from the googleapis cluster with Cache-Control honoured, and Firebase's ID token rules
// (RS256 only, kid required, iss/aud from the project, sub 1..128, auth_time not in the future).
// Also: the canary VM never starts the fetch, and a client that leaves while waiting is forgotten.
import { describe, it, expect, beforeAll } from "vitest";
import { SignJWT } from "jose";
import { createHost, VirtualClock } from "@getwild/host";
import { rsaKey, jwks, mint, load, T0, type SigningKey } from "./filter_helpers";
import { buildFilter } from "./filter_build.mjs";

const PROJECT = "demo-project";
const ISS = `https://securetoken.google.com/${PROJECT}`;
const CONFIG = {
  providers: {
    firebase: {
      firebase: { project_id: PROJECT },
      claim_to_headers: [{ header_name: "x-firebase-uid", claim_name: "sub" }],
    },
  },
  rules: [{ match: { prefix: "/" }, requires: { provider_name: "firebase" } }],
};
let key: SigningKey;
beforeAll(async () => {
  key = await rsaKey("fb-1");
});

function idToken(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) {
  return mint(key, { iss: ISS, aud: PROJECT, sub: "uid-123", auth_time: T0 - 100, ...claims }, header);
}

async function ready(extra = {}) {
  const host = await load(CONFIG, { clusters: ["googleapis"], ...extra });
  host.advance(50);
  const call = host.pendingCalls()[0]!;
  call.respond({
    status: 200,
    headers: { "cache-control": "public, max-age=21600, must-revalidate, no-transform" },
    body: jwks(key),
  });
  return { host, call };
}

const req = (token?: string) => ({
  method: "GET",
  path: "/me",
  headers: { ":authority": "app.example.com", ...(token ? { authorization: `Bearer ${token}` } : {}) },
});

describe("firebase preset", () => {
  it("fetches Google's securetoken JWKS through the googleapis cluster and honours its max-age", async () => {
    const { host, call } = await ready();
    expect(call.cluster).toBe("googleapis");
    expect(call.headers.get(":authority")).toBe("www.googleapis.com");
    expect(call.headers.get(":path")).toBe("/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com");
    host.advance(21_600_000 - 61_000);
    expect(host.pendingCalls()).toHaveLength(0);
    host.advance(2000);
    expect(host.pendingCalls()).toHaveLength(1);
  });

  it("accepts a valid ID token and passes the uid on", async () => {
    const { host } = await ready();
    const res = await host.request(req(await idToken()), { status: 200 });
    expect(res.status).toBe(200);
    expect(res.upstreamRequest?.headers.get("x-firebase-uid")).toBe("uid-123");
  });

  it.each([
    ["another project's audience", { aud: "other-project" }, {}, "audience_not_allowed"],
    ["another issuer", { iss: "https://securetoken.google.com/other-project" }, {}, "issuer_not_allowed"],
    ["an empty sub", { sub: "" }, {}, "subject_not_allowed"],
    ["a 129-character sub", { sub: "u".repeat(129) }, {}, "subject_not_allowed"],
    ["auth_time in the future", { auth_time: T0 + 3600 }, {}, "issued_in_future"],
    ["iat in the future", { iat: T0 + 3600 }, {}, "issued_in_future"],
    ["RS384", {}, { alg: "RS384" }, "alg_not_allowed"],
  ])("refuses %s", async (_name, claims, header, reason) => {
    const { host } = await ready();
    const res = await host.request(req(await idToken(claims, header)), { status: 200 });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.bodyText).reason).toBe(reason);
  });

  it("accepts a 128-character sub", async () => {
    const { host } = await ready();
    expect((await host.request(req(await idToken({ sub: "u".repeat(128) })), { status: 200 })).status).toBe(200);
  });

  it("requires a kid (a custom token passed by mistake has none)", async () => {
    const { host } = await ready();
    const noKid = await new SignJWT({
      iss: ISS,
      aud: PROJECT,
      sub: "u",
      iat: T0 - 10,
      exp: T0 + 3600,
      auth_time: T0 - 10,
    })
      .setProtectedHeader({ alg: "RS256" })
      .sign(key.privateKey);
    const res = await host.request(req(noKid), { status: 200 });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.bodyText).reason).toBe("kid_required");
  });

  it("with Envoy's canary VM, only the workers fetch (the canary is gone before its first tick)", async () => {
    const host = await load(CONFIG, { clusters: ["googleapis"], canary: true, workers: 2 });
    host.advance(50);
    expect(host.pendingCalls()).toHaveLength(1);
    expect(host.pendingCalls()[0]!.worker).toBeGreaterThanOrEqual(0);
  });

  it("forgets a waiting request whose client went away, and answers the others", async () => {
    const host = await load(CONFIG, { clusters: ["googleapis"] });
    const token = await idToken();
    const gone = host.newHttpStream();
    expect(
      gone.sendRequestHeaders(
        { ":method": "GET", ":path": "/", ":authority": "a", authorization: `Bearer ${token}` },
        { endOfStream: true },
      ),
    ).toBe("Pause");
    const stays = host.newHttpStream();
    stays.sendRequestHeaders(
      { ":method": "GET", ":path": "/", ":authority": "a", authorization: `Bearer ${token}` },
      { endOfStream: true },
    );
    gone.complete();
    host.pendingCalls()[0]!.respond({ status: 200, body: jwks(key) });
    expect(stays.upstreamRequest.complete).toBe(true);
    expect(host.failures).toEqual([]);
  });

  it("works when built in code: FilterConfig.single(firebase(projectId))", async () => {
    const host = await createHost({
      wasm: await buildFilter("firebase_code"),
      rootId: "firebase_code",
      canary: false,
      clusters: ["googleapis"],
      clock: new VirtualClock(T0 * 1000),
    });
    host.advance(50);
    const call = host.pendingCalls()[0]!;
    expect(`${call.cluster} ${call.headers.get(":authority")}${call.headers.get(":path")}`).toBe(
      "googleapis www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com",
    );
    call.respond({ status: 200, body: jwks(key) });
    expect((await host.request(req(await idToken()), { status: 200 })).status).toBe(200);
    expect((await host.request(req(await idToken({ aud: "x" })), { status: 200 })).status).toBe(401);
    expect((await host.request(req(), { status: 200 })).status).toBe(401);
  });
});
