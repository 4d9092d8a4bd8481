// SPDX-License-Identifier: Apache-2.0
// jwt-authn: the ready JwtAuthn filter from @getwild/jwt, configured only by JSON
// (plugin-config.json): several providers, remote JWKS, rules and claim requirements.
import { RootContext, registerRootContext } from "@getwild/core/assembly";
import { JwtAuthnRoot } from "@getwild/jwt/assembly/filter";
export * from "@getwild/core/assembly/exports";

registerRootContext((id: u32): RootContext => new JwtAuthnRoot(id), "jwt-authn");
