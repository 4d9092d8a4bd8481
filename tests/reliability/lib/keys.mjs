// SPDX-License-Identifier: Apache-2.0
// Signing keys for the suites (RSA-2048, P-256, Ed25519, a 32-byte HMAC secret), token minting with
// node:crypto, and the oracle: does any configured key really sign this token? The keys are fixed
// (keys/keys-a.json and keys-b.json, test keys generated once with freshKeys), so every machine runs
// the same documents: the soak's memory bound once passed or failed with the random draw of a key
// (the JWKS text's length moved the user_auth heap across an allocator step).
import {
  generateKeyPairSync,
  createPrivateKey,
  createPublicKey,
  createHmac,
  randomBytes,
  sign,
  verify,
  timingSafeEqual,
} from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDir } from "./build.mjs";

export const ISSUER = "https://issuer.example";
export const AUDIENCE = "reliability";
/** The algorithms the user filter allows, one key each. */
export const ALGS = ["RS256", "ES256", "EdDSA", "HS256"];

function freshKeys(prefix) {
  const jwk = (k) => k.export({ format: "jwk" });
  return {
    RS256: { kid: `${prefix}rsa`, private: jwk(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey) },
    ES256: { kid: `${prefix}ec`, private: jwk(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey) },
    EdDSA: { kid: `${prefix}ed`, private: jwk(generateKeyPairSync("ed25519").privateKey) },
    HS256: { kid: `${prefix}hs`, private: { kty: "oct", k: randomBytes(32).toString("base64url") } },
  };
}

const fixedKeysDir = join(dirname(fileURLToPath(import.meta.url)), "..", "keys");

/**
 * A named key generation ("a" = configured at start, "b" = the rotated set): the fixed test keys,
 * or (for another name) fresh ones cached on disk.
 */
export function keySet(name = "a") {
  const fixed = join(fixedKeysDir, `keys-${name}.json`);
  if (existsSync(fixed)) return JSON.parse(readFileSync(fixed, "utf8"));
  const file = join(buildDir, `keys-${name}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const keys = freshKeys(`${name}-`);
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys));
  return keys;
}

function publicJwk(alg, entry) {
  if (alg === "HS256") return { kty: "oct", kid: entry.kid, alg, k: entry.private.k };
  const pub = createPublicKey({ key: entry.private, format: "jwk" }).export({ format: "jwk" });
  return { ...pub, kid: entry.kid, alg, use: "sig" };
}

/** The JWKS text a filter is configured with (public keys; the HMAC secret as an oct key). */
export function jwksText(keys, algs = ALGS) {
  return JSON.stringify({ keys: algs.map((alg) => publicJwk(alg, keys[alg])) });
}

function signBytes(alg, entry, data) {
  if (alg === "HS256") return createHmac("sha256", Buffer.from(entry.private.k, "base64url")).update(data).digest();
  const key = createPrivateKey({ key: entry.private, format: "jwk" });
  if (alg === "RS256") return sign("sha256", data, key);
  if (alg === "ES256") return sign("sha256", data, { key, dsaEncoding: "ieee-p1363" });
  return sign(null, data, key);
}

const b64 = (x) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

/** A compact JWS with the given claims merged over valid defaults (iss, aud, sub, exp in an hour). */
export function mint(keys, alg, nowSeconds, claims = {}, header = {}) {
  const entry = keys[alg];
  const h = b64({ alg, kid: entry.kid, typ: "JWT", ...header });
  const p = b64({ iss: ISSUER, aud: AUDIENCE, sub: "user-1", iat: nowSeconds, exp: nowSeconds + 3600, ...claims });
  const input = `${h}.${p}`;
  return `${input}.${signBytes(alg, entry, Buffer.from(input, "ascii")).toString("base64url")}`;
}

/** Signs arbitrary header/payload segments as given (for tokens whose JSON is hostile but signed). */
export function signSegments(keys, alg, headerSegment, payloadSegment) {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${signBytes(alg, keys[alg], Buffer.from(input, "latin1")).toString("base64url")}`;
}

function verifies(alg, entry, data, signature) {
  try {
    if (alg === "HS256") {
      const mac = signBytes(alg, entry, data);
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    const key = createPublicKey({ key: entry.private, format: "jwk" });
    if (alg === "RS256") return verify("sha256", data, key, signature);
    if (alg === "ES256") return verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}

/**
 * The oracle: true only if some key of `keySets` signs the token's first two segments under the
 * algorithm its header names. Independent of the wasm (node:crypto, lenient decoding).
 */
export function validlySigned(token, keySets) {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  let alg;
  try {
    alg = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8")).alg;
  } catch {
    return false;
  }
  if (!ALGS.includes(alg)) return false;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`, "latin1");
  const signature = Buffer.from(parts[2], "base64url");
  return keySets.some((keys) => verifies(alg, keys[alg], data, signature));
}
