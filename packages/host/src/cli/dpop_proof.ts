// SPDX-License-Identifier: Apache-2.0
// `getwild token --dpop METHOD --curl URL`: a DPoP client (RFC 9449) for trying a provider with
// `dpop` configured: a fresh P-256 client key, the token bound to it (`cnf.jkt`, its RFC 7638
// thumbprint) and one proof for METHOD and URL, printed as a curl line. A proof is single-use and
// short-lived: run the command again for every request.
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";

export interface DpopClientKey {
  privateKey: KeyObject;
  /** The public key as a JWK (kty, crv, x, y). */
  jwk: { kty: string; crv: string; x: string; y: string };
  /** RFC 7638 SHA-256 thumbprint of `jwk`: the token's `cnf.jkt`. */
  jkt: string;
}

const b64u = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function dpopClientKey(): DpopClientKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const exported = publicKey.export({ format: "jwk" });
  const jwk = { kty: "EC", crv: "P-256", x: String(exported.x), y: String(exported.y) };
  // The required members in lexicographic order, no whitespace (RFC 7638 §3.3).
  const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
  return { privateKey, jwk, jkt: b64u(createHash("sha256").update(canonical).digest()) };
}

/** A DPoP proof by `key` for `method` and `url` (query and fragment dropped), bound to `token` (`ath`). */
export function dpopProof(
  key: DpopClientKey,
  method: string,
  url: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const u = new URL(url);
  const htu = `${u.protocol}//${u.host}${u.pathname}`;
  const header = { typ: "dpop+jwt", alg: "ES256", jwk: key.jwk };
  const claims = {
    jti: randomUUID(),
    htm: method,
    htu,
    iat: nowSeconds,
    ath: b64u(createHash("sha256").update(token).digest()),
  };
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const signature = sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${b64u(signature)}`;
}

/** The curl line sending `token` with the DPoP scheme and its proof. */
export function dpopCurl(method: string, url: string, token: string, proof: string): string {
  const verb = method === "GET" ? "" : ` -X ${method}`;
  return `curl -i${verb} -H 'authorization: DPoP ${token}' -H 'dpop: ${proof}' '${url}'`;
}
