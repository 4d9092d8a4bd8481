// SPDX-License-Identifier: Apache-2.0
// firebase-jwt is built with GETWILD_JWT_FEATURES=0 (asconfig.json): no DPoP, mTLS binding, OIDC
// discovery, per-route requirements nor claim_to_filter_state in the module. A configuration that
// asks for one of them must be refused at configure time naming the field (fail closed), and a
// certificate-bound token must be refused, never accepted as an unbound one.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK } from "jose";
import { createHost, VirtualClock } from "@getwild/host";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BUILDS = { release: "build/filter.wasm", debug: "build/filter.debug.wasm" } as const;
const base = JSON.parse(readFileSync(join(root, "plugin-config.json"), "utf8"));
const PROJECT = base.providers.firebase.firebase.project_id as string;
const NOW = Math.floor(Date.UTC(2026, 10, 25, 9, 0, 0) / 1000);
const REFUSAL = ": not compiled into this module (GETWILD_JWT_FEATURES)";

type Config = typeof base;
const withProvider = (extra: Record<string, unknown>) => (c: Config) => Object.assign(c.providers.firebase, extra);

/** Each optional feature's configuration and the field the refusal must name. */
const UNCOMPILED: Array<[string, (c: Config) => void, string]> = [
  ["dpop", withProvider({ dpop: { mode: "required" } }), "providers.firebase.dpop"],
  ["oidc_discovery", withProvider({ oidc_discovery: { cluster: "googleapis" } }), "providers.firebase.oidc_discovery"],
  [
    "claim_to_filter_state",
    withProvider({ claim_to_filter_state: [{ claim_name: "sub", state_key: "uid" }] }),
    "providers.firebase.claim_to_filter_state",
  ],
  ["requirement_map", (c) => (c.requirement_map = { signed_in: { provider_name: "firebase" } }), "requirement_map"],
  ["route_requirements", (c) => (c.route_requirements = { api: { provider_name: "firebase" } }), "route_requirements"],
  [
    "requirement_name",
    (c) => (c.rules[1] = { match: { prefix: "/" }, requirement_name: "signed_in" }),
    "rules[1].requirement_name",
  ],
  [
    "provider_and_audiences",
    (c) => (c.rules[1].requires = { provider_and_audiences: { provider_name: "firebase", audiences: [PROJECT] } }),
    "rules[1].requires.provider_and_audiences",
  ],
];

let privateKey: KeyObject;
let googleJwks: string;
beforeAll(async () => {
  const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
  privateKey = pair.privateKey;
  googleJwks = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: "google-1", alg: "RS256", use: "sig" }],
  });
});

describe.each(Object.entries(BUILDS))("firebase-jwt built without optional features (%s build)", (_target, file) => {
  const wasm = join(root, file);
  async function load(config: Config, log: string[]) {
    return createHost({
      wasm,
      rootId: "firebase-jwt",
      pluginConfig: JSON.stringify(config),
      clusters: ["googleapis"],
      clock: new VirtualClock(NOW * 1000),
      onLog: (r) => log.push(r.message),
    });
  }

  it("loads its own configuration (the refusals below are the features, not the file)", async () => {
    const log: string[] = [];
    await expect(load(structuredClone(base), log)).resolves.toBeDefined();
    expect(log.filter((l) => l.includes(REFUSAL))).toEqual([]);
  });

  it.each(UNCOMPILED)("refuses %s at configure time, naming the field", async (_name, change, field) => {
    const config = structuredClone(base);
    change(config);
    const log: string[] = [];
    await expect(load(config, log)).rejects.toThrow(/proxy_on_configure returned false/);
    const refusal = log.find((l) => l.includes("configuration refused: "));
    expect(refusal, log.join("\n")).toBeDefined();
    expect(refusal).toContain(field + REFUSAL);
  });

  it("refuses a certificate-bound token (cnf x5t#S256): the mTLS check is not compiled in", async () => {
    const host = await load(structuredClone(base), []);
    host.advance(50);
    host
      .pendingCalls()[0]!
      .respond({ status: 200, headers: { "cache-control": "public, max-age=19845" }, body: googleJwks } as never);
    host.advance(1000);
    const token = (claims: Record<string, unknown>) =>
      new SignJWT({
        iss: `https://securetoken.google.com/${PROJECT}`,
        aud: PROJECT,
        sub: "alice-uid",
        auth_time: NOW - 600,
        iat: NOW - 60,
        exp: NOW + 3540,
        ...claims,
      })
        .setProtectedHeader({ alg: "RS256", kid: "google-1", typ: "JWT" })
        .sign(privateKey);
    const get = (t: string) => ({
      method: "GET",
      path: "/profile",
      headers: { ":authority": "app.example.com", authorization: `Bearer ${t}` },
    });
    // The same token without cnf passes: the refusal below is the binding's.
    const plain = await host.request(get(await token({})), { status: 200 });
    expect(plain.status).toBe(200);
    const bound = await host.request(
      get(await token({ cnf: { "x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2" } })),
      { status: 200 },
    );
    expect(bound.status).toBe(401);
    expect(JSON.parse(bound.bodyText).reason).toBe("cnf_unsupported");
    // A DPoP-bound token (cnf jkt) is refused too: without DPoP no provider can check its proof.
    const dpopBound = await host.request(
      get(await token({ cnf: { jkt: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" } })),
      { status: 200 },
    );
    expect(dpopBound.status).toBe(401);
    const body = JSON.parse(dpopBound.bodyText);
    expect(body.reason).toBe("dpop_not_configured");
    expect(body.error).toBe("invalid_token");
    expect(dpopBound.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]*", error="invalid_token"$/);
  });
});
