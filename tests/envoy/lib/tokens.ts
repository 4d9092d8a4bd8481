// SPDX-License-Identifier: Apache-2.0
// Signing keys generated in the test and tokens minted with `jose`, for the JWT examples in Envoy.
// Envoy's clock is the real one, so claims are relative to Date.now().
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT, exportJWK, type JWK } from "jose";

export interface SigningKey {
  kid: string;
  alg: "RS256" | "ES256";
  privateKey: KeyObject;
  /** The public key as a JWK with kid, alg and use. */
  jwk: JWK;
}

export async function signingKey(kid: string, alg: "RS256" | "ES256" = "RS256"): Promise<SigningKey> {
  const pair =
    alg === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { kid, alg, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: "sig" } };
}

export function jwksOf(...keys: SigningKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => k.jwk) };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A JWS signed by `key`; `header` overrides the protected header (e.g. another kid). */
export function mint(
  key: SigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

/** The same token with one payload claim changed and the original signature kept. */
export function tamper(token: string, change: Record<string, unknown>): string {
  const [head, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  return [head, Buffer.from(JSON.stringify({ ...claims, ...change })).toString("base64url"), signature].join(".");
}
