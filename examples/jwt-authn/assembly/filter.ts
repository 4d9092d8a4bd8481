// SPDX-License-Identifier: Apache-2.0
// jwt-authn: the ready JwtAuthn filter from @getwild/jwt, configured only by JSON
// (plugin-config.json): several providers, remote JWKS, rules and claim requirements.
import { RootContext, registerRootContext } from "@getwild/core/assembly";
import { JwtAuthnRoot } from "@getwild/jwt/assembly/filter";
// Only the callbacks JwtAuthn's hooks need: request headers, the tick (counters, key refresh) and
// callout replies (JWKS fetches). Envoy skips the others, so a request crosses into the VM three
// times (create, request headers, delete); core's build check refuses a hook left without its callback.
export * from "@getwild/core/assembly/callbacks/required";
export * from "@getwild/core/assembly/callbacks/request_headers";
export * from "@getwild/core/assembly/callbacks/tick";
export * from "@getwild/core/assembly/callbacks/http_call_response";

registerRootContext((id: u32): RootContext => new JwtAuthnRoot(id), "jwt-authn");
