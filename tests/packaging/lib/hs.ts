// SPDX-License-Identifier: Apache-2.0
// HMAC-signed JWTs for the packaging tests (node:crypto only, so nothing beyond Node is needed).
import { createHmac } from "node:crypto";

export const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

export function hs(alg: "HS256" | "HS384", secret: Buffer, claims: object): string {
  const input = `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  const mac = createHmac(alg === "HS256" ? "sha256" : "sha384", secret)
    .update(input)
    .digest();
  return `${input}.${b64url(mac)}`;
}
