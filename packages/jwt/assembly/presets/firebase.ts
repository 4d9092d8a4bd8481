// SPDX-License-Identifier: Apache-2.0
// Firebase Authentication ID tokens: their verification rules and Google's securetoken keys (the
// JWKS form of the x509 map the Firebase docs name). A preset is data for the layers below the
// filter (JOSE options, a remote JWKS source): it imports nothing from filter/, which builds its
// Provider from it (filter/firebase.ts) and reads it for the `firebase` configuration field.
import { ALG_BIT_RS256 } from "../jose/jwt/algorithms";
import { VerifyOptions } from "../jose/jwt/options";
import { RemoteJwksConfig } from "../cache/jwks_source";

export const FIREBASE_JWKS_AUTHORITY = "www.googleapis.com";
export const FIREBASE_JWKS_PATH = "/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com";
/** Cluster name the examples' envoy.yaml defines for www.googleapis.com:443 over TLS. */
export const FIREBASE_JWKS_CLUSTER = "googleapis";
export const FIREBASE_ISSUER_PREFIX = "https://securetoken.google.com/";
/** Firebase's own limit on `sub` (the uid). */
export const FIREBASE_MAX_UID_LENGTH: i32 = 128;

/** The remote JWKS settings of Google's securetoken keys, honouring their Cache-Control. */
export function firebaseJwks(cluster: string = FIREBASE_JWKS_CLUSTER): RemoteJwksConfig {
  const c = new RemoteJwksConfig();
  c.cluster = cluster;
  c.authority = FIREBASE_JWKS_AUTHORITY;
  c.path = FIREBASE_JWKS_PATH;
  return c;
}

/**
 * Applies Firebase's ID token rules to `o`: RS256 only, `kid` required, `iss` and `aud` from the
 * project id, `exp` required, `sub` of 1..128 characters, `iat` and `auth_time` not in the future.
 */
export function applyFirebase(o: VerifyOptions, projectId: string): VerifyOptions {
  o.algorithms = ALG_BIT_RS256;
  o.requireKid = true;
  o.issuers = [FIREBASE_ISSUER_PREFIX + projectId];
  o.audiences = [projectId];
  o.requireExpiration = true;
  o.requireIssuedAt = true;
  o.requireSubject = true;
  o.subjectMaxLength = FIREBASE_MAX_UID_LENGTH;
  o.checkAuthTime = true;
  return o;
}
