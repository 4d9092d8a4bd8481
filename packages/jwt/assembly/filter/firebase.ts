// SPDX-License-Identifier: Apache-2.0
// firebase(projectId): a complete JwtAuthn provider for Firebase Authentication ID tokens, made
// from the Firebase preset (presets/firebase.ts), which knows nothing of providers.
import { JwksSource } from "../cache/jwks_source";
import { applyFirebase, firebaseJwks, FIREBASE_JWKS_CLUSTER } from "../presets/firebase";
import { Provider, HeaderLocation } from "./model";

/** A provider named "firebase", token from `Authorization: Bearer`, keys fetched through `cluster`. */
export function firebase(projectId: string, cluster: string = FIREBASE_JWKS_CLUSTER): Provider {
  const p = new Provider();
  p.name = "firebase";
  p.source = JwksSource.fetched(firebaseJwks(cluster));
  p.fromHeaders = [new HeaderLocation("authorization", "Bearer ")];
  applyFirebase(p.options, projectId);
  return p;
}
