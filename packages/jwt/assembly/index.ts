// SPDX-License-Identifier: Apache-2.0
// @getwild/jwt has two layers, each its own subpath:
// - "@getwild/jwt/assembly/jose": host-free JOSE (encodings, crypto, JWS/JWT, JWK/JWKS, verifyJwt);
//   it imports nothing from @getwild/core, so it also runs outside a proxy.
// - "@getwild/jwt/assembly/filter": the JwtAuthn filter, the JWKS cache over callouts and presets.
// The package root is the JOSE layer, so `import ... from "@getwild/jwt/assembly"` stays host-free.
export * from "./jose/index";
