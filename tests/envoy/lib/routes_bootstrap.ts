// SPDX-License-Identifier: Apache-2.0
// A bootstrap for the per-route tests (routes, rbac, oidc): the jwt-authn example's .wasm with a
// configuration of the test's own, in front of Envoy's RBAC filter and the router, and routes the
// test names (each may carry an RBACPerRoute). Built on fixture_bootstrap.ts; what differs from the
// example's envoy.yaml is the point of these tests (route names, RBAC), so it is written here.
import { join } from "node:path";
import type { Bootstrap, Endpoint } from "./bootstrap";
import { exampleDir } from "./bootstrap";
import { fixtureBootstrap, staticCluster } from "./fixture_bootstrap";

/** The jwt-authn example's root_id (examples/jwt-authn/assembly/filter.ts). */
export const JWT_ROOT_ID = "jwt-authn";

export interface TestRoute {
  /** Envoy's route name (what the filter reads as `xds.route_name`); unnamed when absent. */
  name?: string;
  prefix: string;
  /** RBAC rules for this route only (RBACPerRoute); the chain's RBAC filter has none of its own. */
  rbac?: Record<string, unknown>;
}

export interface RoutesBootstrapOptions {
  configuration: unknown;
  backend: Endpoint;
  routes: TestRoute[];
  /** Clusters the filter calls (name -> endpoint), plain HTTP. */
  clusters?: Record<string, Endpoint>;
  /** Clusters the filter calls over TLS, verifying the server's certificate for `sni` against `caFile`. */
  tlsClusters?: Record<string, { endpoint: Endpoint; sni: string; caFile: string }>;
  /** The connection manager's normalize_path and merge_slashes (Envoy's default: off). */
  normalizePath?: boolean;
  /** Default: the jwt-authn example's release build. */
  wasm?: string;
}

const RBAC = "envoy.filters.http.rbac";

/** An ALLOW policy whose one principal is the filter state `key` matching `stringMatch` (RBAC's StringMatcher). */
export function allowFilterState(key: string, stringMatch: Record<string, unknown>): Record<string, unknown> {
  return {
    action: "ALLOW",
    policies: {
      claims: { permissions: [{ any: true }], principals: [{ filter_state: { key, string_match: stringMatch } }] },
    },
  };
}

export function routesBootstrap(options: RoutesBootstrapOptions): Bootstrap {
  const bootstrap = fixtureBootstrap({
    wasm: options.wasm ?? join(exampleDir("jwt-authn"), "build", "filter.wasm"),
    rootId: JWT_ROOT_ID,
    backend: options.backend,
    failurePolicy: "FAIL_CLOSED",
    configuration: JSON.stringify(options.configuration),
    clusters: options.clusters,
    moreClusters: Object.entries(options.tlsClusters ?? {}).map(([name, tls]) =>
      staticCluster(name, [tls.endpoint], {
        transport_socket: {
          name: "envoy.transport_sockets.tls",
          typed_config: {
            "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
            sni: tls.sni,
            common_tls_context: {
              validation_context: {
                trusted_ca: { filename: tls.caFile },
                match_typed_subject_alt_names: [{ san_type: "DNS", matcher: { exact: tls.sni } }],
              },
            },
          },
        },
      }),
    ),
  });
  const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  if (options.normalizePath) {
    hcm.normalize_path = true;
    hcm.merge_slashes = true;
  }
  hcm.route_config.virtual_hosts[0].routes = options.routes.map((r) => ({
    ...(r.name !== undefined ? { name: r.name } : {}),
    match: { prefix: r.prefix },
    route: { cluster: "backend" },
    ...(r.rbac !== undefined
      ? {
          typed_per_filter_config: {
            [RBAC]: {
              "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBACPerRoute",
              rbac: { rules: r.rbac },
            },
          },
        }
      : {}),
  }));
  // The wasm filter first, then RBAC (no rules of its own: only routes with an RBACPerRoute are
  // checked), then the router.
  const filters = hcm.http_filters as Array<Record<string, unknown>>;
  filters.splice(1, 0, {
    name: RBAC,
    typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC" },
  });
  return bootstrap;
}
