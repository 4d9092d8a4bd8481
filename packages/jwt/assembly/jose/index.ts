// SPDX-License-Identifier: Apache-2.0
// @getwild/jwt JOSE layer (host-free; imports nothing from @getwild/core): strict encodings, JWS (verifyJws) and
// JWT (verifyJwt) verification, JWK/JWKS parsing, algorithms.
// The crypto primitives stay importable from "@getwild/jwt/assembly/jose/crypto/..." for direct use.

export {
  Base64Error,
  Base64UrlResult,
  base64UrlDecode,
  base64UrlDecodeBytes,
  base64UrlDecodeRange,
  base64UrlEncode,
  base64UrlEncodeBytes,
  base64UrlDecodedLength,
  base64UrlEncodedLength,
} from "./encoding/base64url";
export {
  JsonError,
  JsonKind,
  JsonLimits,
  JsonResult,
  JsonValue,
  jsonErrorMessage,
  parseJson,
  parseJsonText,
} from "@getwild/json/assembly";
export { NumericDate, NumericDateError, numericDateOf, MAX_NUMERIC_DATE } from "./encoding/json_number";
export { JwtError, JWT_ERROR_COUNT, jwtErrorMessage, jwtErrorName, jwtErrorReason } from "./jwt/errors";
export {
  Alg,
  ALG_COUNT,
  ALG_NONE,
  ALG_UNKNOWN,
  AlgFamily,
  KeyType,
  COMPILED_ALGS,
  ALG_BIT_RS256,
  ALG_BIT_RS384,
  ALG_BIT_RS512,
  ALG_BIT_PS256,
  ALG_BIT_PS384,
  ALG_BIT_PS512,
  ALG_BIT_ES256,
  ALG_BIT_ES384,
  ALG_BIT_ES512,
  ALG_BIT_HS256,
  ALG_BIT_HS384,
  ALG_BIT_HS512,
  ALG_BIT_EDDSA,
  ALGS_ALL,
  ALGS_ASYMMETRIC,
  ALGS_ECDSA,
  ALGS_HMAC,
  ALGS_RSA,
  ALGS_RSA_PKCS1,
  ALGS_RSA_PSS,
  CURVE_NONE,
  CURVE_P256,
  CURVE_P384,
  CURVE_P521,
  CURVE_ED25519,
  algFromName,
  algName,
  algFamily,
  algHash,
  algKeyType,
  algCurve,
  algCompiled,
  algBit,
  algsOfFamily,
  algsWithHash,
  algsWithKeyType,
  algsWithCurve,
  keyTypeFromName,
  curveFromName,
} from "./jwt/algorithms";
export { keyFitsAlg, verifySignature } from "./jwt/signature";
export { CompactJws, JwsLimits, JwsResult, parseCompactJws } from "./jwt/jws";
export { HeaderCheck, checkHeader, typAccepted } from "./jwt/header";
export { ClaimsCheck, checkClaims, parseClaimsSet } from "./jwt/claims";
export {
  ClaimOp,
  ClaimRequirement,
  JwsVerifyOptions,
  MatchKind,
  StringMatcher,
  VerifyOptions,
  MAX_CLOCK_SKEW_SECONDS,
  validateJwsVerifyOptions,
  validateVerifyOptions,
} from "./jwt/options";
export { Jwk, JwkOptions, JwkResult, JwkSkip, MAX_KID_LENGTH, parseJwk } from "./jwks/jwk";
export { JwksError, JwksOptions, JwksResult, KeySet, jwksErrorMessage, parseJwks, parseSingleJwk } from "./jwks/jwks";
export { nextCandidate } from "./jwks/select";
export { JwsVerifyResult, verifyJws, verifyJwsBytes, verifyJwsWithKey, verifyParsedJws } from "./verify_jws";
export { VerifyResult, verifyJwt, verifyJwtBytes } from "./verify";
export { asciiBytes } from "./encoding/ascii";
export { ThumbprintError, ThumbprintResult, jwkThumbprint, thumbprintInput } from "./jwks/thumbprint";
export {
  DpopError,
  DPOP_ERROR_COUNT,
  dpopErrorName,
  dpopErrorMessage,
  dpopErrorIsTokenFault,
  DpopOptions,
  DPOP_DEFAULT_ALGS,
  DPOP_MAX_WINDOW_SECONDS,
  normalizeHttpUri,
  requestUri,
  DpopRequest,
  DpopResult,
  verifyDpopProof,
  accessTokenHash,
  confirmationJkt,
} from "./dpop/index";
