// SPDX-License-Identifier: Apache-2.0
// Keys and Firebase-style ID tokens for the Envoy benchmark: one RSA-2048 signing key (plus a second,
// unused key, as Google's securetoken JWKS always carries two), one token for the warm cases and a
// stream of distinct tokens for the cold ones. Every token is valid for every configuration, so a
// 401 during a run means a configuration is wrong, not that a token is.
import { generateKeyPairSync, sign } from "node:crypto";

export const PROJECT_ID = "my-firebase-project"; // the project examples/firebase-jwt/plugin-config.json names
export const ISSUER = `https://securetoken.google.com/${PROJECT_ID}`;
const KID = "bench-key-1";

const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export function makeKeys() {
  const signing = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spare = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = (key, kid) => ({ ...key.publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" });
  const jwks = { keys: [jwk(signing, KID), jwk(spare, "bench-key-2")] };
  return { privateKey: signing.privateKey, jwks, jwksText: JSON.stringify(jwks) };
}

function signingInput(i, now) {
  const header = b64url({ alg: "RS256", kid: KID, typ: "JWT" });
  const uid = `user${String(i).padStart(7, "0")}aBcDeFgHiJkLmNoPq`;
  const payload = b64url({
    name: "Bench User",
    iss: ISSUER,
    aud: PROJECT_ID,
    auth_time: now - 60,
    user_id: uid,
    sub: uid,
    iat: now - 60,
    exp: now + 3600,
    email: `bench${i}@example.com`,
    email_verified: true,
    firebase: { identities: { email: [`bench${i}@example.com`] }, sign_in_provider: "password" },
  });
  return `${header}.${payload}`;
}

/** `count` distinct tokens (index 0 is the warm one), signed on libuv's thread pool in parallel. */
export async function mintTokens(privateKey, count) {
  const now = Math.floor(Date.now() / 1000);
  const one = (i) =>
    new Promise((resolve, reject) => {
      const input = signingInput(i, now);
      sign("sha256", Buffer.from(input), privateKey, (error, sig) =>
        error ? reject(error) : resolve(`${input}.${sig.toString("base64url")}`),
      );
    });
  const out = [];
  for (let i = 0; i < count; i += 256) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(256, count - i) }, (_, j) => one(i + j)))));
  }
  return out;
}

/** The same token with one signature byte changed: every configuration must refuse it. */
export function tamper(token) {
  const dot = token.lastIndexOf(".");
  const sig = Buffer.from(token.slice(dot + 1), "base64url");
  sig[10] ^= 1;
  return `${token.slice(0, dot)}.${sig.toString("base64url")}`;
}
