// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the JwtAuthn host tests: RSA keys and tokens minted with jose, JWKS bodies,
// a host running the compiled filter, requests through it, and the refusal of a bad configuration.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { expect, vi } from "vitest";
import { SignJWT, exportJWK, type JWTPayload } from "jose";
import { createHost, VirtualClock, type HostOptions } from "@getwild/host";
import { buildFilter } from "./filter_build.mjs";

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

export async function rsaKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

export function jwks(...keys: SigningKey[]): string {
  return JSON.stringify({ keys: keys.map((k) => k.publicJwk) });
}

/** Seconds of the virtual clock the host starts with. */
export const T0 = Math.floor(Date.UTC(2026, 10, 25, 12, 0, 0) / 1000);

export async function mint(key: SigningKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const body: JWTPayload = { iat: T0 - 10, exp: T0 + 3600, ...claims };
  return new SignJWT(body).setProtectedHeader({ alg: "RS256", kid: key.kid, ...header }).sign(key.privateKey);
}

/** The host options of the compiled filter with `config`: root jwt_authn, the clock at T0, cluster idp. */
export async function hostOptions(config: unknown, extra: Partial<HostOptions> = {}): Promise<HostOptions> {
  const wasm = await buildFilter();
  return {
    wasm,
    rootId: "jwt_authn",
    pluginConfig: JSON.stringify(config),
    canary: false,
    clock: new VirtualClock(T0 * 1000),
    clusters: ["idp"],
    ...extra,
  };
}

export async function load(config: unknown, extra: Partial<HostOptions> = {}) {
  return createHost(await hostOptions(config, extra));
}

export function get(path: string, headers: Record<string, string> = {}) {
  return { method: "GET", path, headers: { ":authority": "api.example.com", ":scheme": "https", ...headers } };
}

/** The lines the filter logged while refusing `config`: configure must fail (proxy_on_configure returned false). */
async function refusalLines(config: unknown, extra: Partial<HostOptions>): Promise<string[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
    lines.push(String(line));
  });
  try {
    await expect(load(config, { echoLogs: true, ...extra })).rejects.toThrow(/proxy_on_configure returned false/);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** Everything the filter logged while refusing `config`, one line each, for `toContain` on a message. */
export async function refusedConfigLog(config: unknown, extra: Partial<HostOptions> = {}): Promise<string> {
  return (await refusalLines(config, extra)).join("\n");
}

/** What follows "configuration refused: " in the filter's refusal line for `config` (which must be there). */
export async function refusalOf(config: unknown, extra: Partial<HostOptions> = {}): Promise<string> {
  const lines = await refusalLines(config, extra);
  const refusal = lines.find((l) => l.includes("jwt_authn: configuration refused: "));
  expect(refusal, lines.join("\n")).toBeDefined();
  return refusal!.split("configuration refused: ")[1]!;
}

/** The issuer's key with a token of it (sub alice), and a forged token (sub admin) of another key under the same kid. */
export async function validAndForgedTokens(iss: string): Promise<{ key: SigningKey; valid: string; forged: string }> {
  const [key, attacker] = await Promise.all([rsaKey("k1"), rsaKey("k1")]);
  return { key, valid: await mint(key, { iss, sub: "alice" }), forged: await mint(attacker, { iss, sub: "admin" }) };
}
