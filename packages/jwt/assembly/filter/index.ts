// SPDX-License-Identifier: Apache-2.0
// @getwild/jwt/assembly/filter: the ready JwtAuthn filter, its configuration model and the JWKS cache.
export { JwtAuthnRoot, registerJwtAuthn } from "./root";
export { JwtAuthnStream, AllowedHook } from "./stream";
export { FilterState } from "./state";
export { Waiters, Parked } from "./waiters";
export { parseFilterConfig, ConfigResult } from "./config";
export { FilterConfig, Provider, Requirement, RequirementKind, Rule, HeaderLocation, ClaimHeader } from "./model";
export { TokenCache, VerifiedToken } from "./token_cache";
export { JwksSource, JwksListener, KeysState, RemoteJwksConfig } from "../cache/jwks_source";
export { firebase } from "./firebase";
export {
  applyFirebase,
  firebaseJwks,
  FIREBASE_JWKS_AUTHORITY,
  FIREBASE_JWKS_PATH,
  FIREBASE_JWKS_CLUSTER,
} from "../presets/firebase";
