// SPDX-License-Identifier: Apache-2.0
// The two Envoy bootstraps of the benchmark.
// - The measured Envoy: one listener per filter chain, each the same HTTP connection manager, the same
//   route and the same cluster "backend"; only the http_filters before the router differ.
// - The upstream Envoy (a separate process, so its CPU is not counted): "backend" answers every
//   request with a fixed 200 from direct_response, and "jwks" serves the JWKS to the filters that
//   fetch their keys (firebase-jwt's preset has no local_jwks).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ISSUER, PROJECT_ID } from "./tokens.mjs";

const hcm = (name, httpFilters, routeAction) => ({
  name: "envoy.filters.network.http_connection_manager",
  typed_config: {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: name,
    codec_type: "AUTO",
    route_config: {
      name: "local_route",
      virtual_hosts: [{ name: "all", domains: ["*"], routes: [{ match: { prefix: "/" }, ...routeAction }] }],
    },
    http_filters: [
      ...httpFilters,
      {
        name: "envoy.filters.http.router",
        typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
      },
    ],
  },
});

const listener = (name, httpFilters, routeAction = { route: { cluster: "backend" } }) => ({
  name,
  address: { socket_address: { address: "127.0.0.1", port_value: 0 } },
  filter_chains: [{ filters: [hcm(name, httpFilters, routeAction)] }],
});

const staticCluster = (name, port) => ({
  name,
  connect_timeout: "2s",
  type: "STATIC",
  load_assignment: {
    cluster_name: name,
    endpoints: [
      { lb_endpoints: [{ endpoint: { address: { socket_address: { address: "127.0.0.1", port_value: port } } } }] },
    ],
  },
});

/** An envoy.filters.http.wasm entry, as the examples' envoy.yaml files write it (V8, fail closed). */
export function wasmFilter({ vmId, rootId, file, configuration }) {
  return {
    name: "envoy.filters.http.wasm",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
      config: {
        name: vmId,
        root_id: rootId,
        configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: configuration },
        failure_policy: "FAIL_CLOSED",
        vm_config: { vm_id: vmId, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: file } } },
      },
    },
  };
}

const CLAIM_HEADERS = [
  { header_name: "x-firebase-uid", claim_name: "sub" },
  { header_name: "x-firebase-sign-in-provider", claim_name: "firebase.sign_in_provider" },
];

/** Envoy's own jwt_authn with what firebase-jwt checks: issuer, audience, RS256 keys, the same claim headers. */
export function nativeJwtAuthn(jwksText) {
  return {
    name: "envoy.filters.http.jwt_authn",
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication",
      providers: {
        firebase: {
          issuer: ISSUER,
          audiences: [PROJECT_ID],
          local_jwks: { inline_string: jwksText },
          claim_to_headers: CLAIM_HEADERS,
          jwt_cache_config: { jwt_cache_size: 100 },
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "firebase" } }],
    },
  };
}

/** examples/jwt-authn's filter configured like the native one: one provider, keys inline (local_jwks). */
export function jwtAuthnConfig(jwksText) {
  return JSON.stringify({
    providers: {
      firebase: {
        issuer: ISSUER,
        audiences: [PROJECT_ID],
        algorithms: ["RS256"],
        local_jwks: jwksText,
        claim_to_headers: CLAIM_HEADERS,
      },
    },
    rules: [{ match: { prefix: "/" }, requires: { provider_name: "firebase" } }],
  });
}

/** The peers read { issuer, audience, jwks }. */
export const peerConfig = (jwks) => JSON.stringify({ issuer: ISSUER, audience: PROJECT_ID, jwks });

export const exampleConfig = (repo, example) =>
  readFileSync(join(repo, "examples", example, "plugin-config.json"), "utf8");

export function upstreamBootstrap(jwksText) {
  return {
    static_resources: {
      listeners: [
        listener("backend", [], { direct_response: { status: 200, body: { inline_string: "upstream" } } }),
        listener("jwks", [], {
          direct_response: { status: 200, body: { inline_string: jwksText } },
          response_headers_to_add: [
            { header: { key: "cache-control", value: "public, max-age=21600" } },
            { header: { key: "content-type", value: "application/json" } },
          ],
        }),
      ],
    },
  };
}

/** `chains`: listener name -> the http filters before the router. */
export function measuredBootstrap(chains, backendPort, jwksPort) {
  return {
    static_resources: {
      listeners: Object.entries(chains).map(([name, filters]) => listener(name, filters)),
      // "googleapis" is the cluster firebase-jwt's preset fetches Google's keys through; here it reaches the stand-in.
      clusters: [staticCluster("backend", backendPort), staticCluster("googleapis", jwksPort)],
    },
  };
}
