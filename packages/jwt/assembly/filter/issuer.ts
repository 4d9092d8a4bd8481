// SPDX-License-Identifier: Apache-2.0
// The issuer a token claims, read without verifying it, only to tell that a token is not meant for
// a provider (another provider's token in a shared header): such a token needs neither this
// provider's keys nor a wait for them nor a refetch for its unknown kid. It never decides that a
// token is accepted.
import { JsonKind } from "@getwild/json/assembly";
import { parseCompactJws } from "../jose/jwt/jws";
import { parseClaimsSet } from "../jose/jwt/claims";
import { asciiBytes } from "../jose/encoding/ascii";
import { Provider } from "./model";

/** True when `token` names an `iss` and the provider checks issuers and that one is not among them. */
export function issuedElsewhere(p: Provider, token: string): bool {
  const issuers = p.options.issuers;
  if (issuers.length == 0) return false;
  const bytes = asciiBytes(token);
  if (bytes === null || bytes.length > p.options.limits.maxTokenBytes) return false;
  const jws = parseCompactJws(bytes, p.options.limits).jws;
  if (jws === null) return false;
  const claims = parseClaimsSet(jws.payloadBytes, p.options.limits).value;
  if (claims === null) return false;
  const iss = claims.get("iss");
  return iss !== null && iss.kind == JsonKind.String && !issuers.includes(iss.text);
}
