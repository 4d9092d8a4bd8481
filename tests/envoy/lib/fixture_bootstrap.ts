// SPDX-License-Identifier: Apache-2.0
// A bootstrap for a fixture filter (not an example): one loopback listener on a free port, the wasm
// filter (V8, local file) in front of the router, and one cluster `backend` for the route. Only what
// the fixture tests vary is a parameter.
import type { Bootstrap, Endpoint } from "./bootstrap";

export type FailurePolicy = "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";

export interface FixtureBootstrapOptions {
  /** Absolute path of the .wasm. */
  wasm: string;
  rootId: string;
  /** Where the route goes. */
  backend: Endpoint;
  /** Omitted: Envoy's default (FAIL_CLOSED). */
  failurePolicy?: FailurePolicy;
  /** Plugin configuration (a StringValue); empty when omitted. */
  configuration?: string;
  /**
   * Write one access-log line per request to Envoy's stdout (so into its captured log):
   * `access: STATUS DETAILS` (Envoy's %RESPONSE_CODE% and %RESPONSE_CODE_DETAILS%).
   */
  accessLog?: boolean;
  /** Extra clusters a filter may call (name -> endpoint, plain HTTP/1.1). */
  clusters?: Record<string, Endpoint>;
  /** Further clusters as written (from staticCluster), for those one endpoint does not describe. */
  moreClusters?: Record<string, unknown>[];
}

/** Matches the access-log lines `accessLog` writes: [, status, details]. */
export const ACCESS_LINE = /^access: (\d+) (\S+)$/;

const ACCESS_LOG = {
  name: "envoy.access_loggers.stdout",
  typed_config: {
    "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
    log_format: { text_format_source: { inline_string: "access: %RESPONSE_CODE% %RESPONSE_CODE_DETAILS%\n" } },
  },
};

/** A STATIC plain-HTTP cluster over `endpoints` (none: a cluster with no host), with `extra` fields. */
export function staticCluster(
  name: string,
  endpoints: Endpoint[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    connect_timeout: "1s",
    type: "STATIC",
    load_assignment: {
      cluster_name: name,
      endpoints: [
        {
          lb_endpoints: endpoints.map((e) => ({
            endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } },
          })),
        },
      ],
    },
    ...extra,
  };
}

export function fixtureBootstrap(options: FixtureBootstrapOptions): Bootstrap {
  const wasm: Record<string, unknown> = {
    name: options.rootId,
    root_id: options.rootId,
    configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: options.configuration ?? "" },
    vm_config: { vm_id: options.rootId, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: options.wasm } } },
  };
  if (options.failurePolicy !== undefined) wasm.failure_policy = options.failurePolicy;
  return {
    static_resources: {
      listeners: [
        {
          name: "main",
          address: { socket_address: { address: "127.0.0.1", port_value: 0 } },
          filter_chains: [
            {
              filters: [
                {
                  name: "envoy.filters.network.http_connection_manager",
                  typed_config: {
                    "@type":
                      "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    stat_prefix: "ingress_http",
                    ...(options.accessLog ? { access_log: [ACCESS_LOG] } : {}),
                    route_config: {
                      name: "local_route",
                      virtual_hosts: [
                        {
                          name: "all",
                          domains: ["*"],
                          routes: [{ match: { prefix: "/" }, route: { cluster: "backend" } }],
                        },
                      ],
                    },
                    http_filters: [
                      {
                        name: "envoy.filters.http.wasm",
                        typed_config: {
                          "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                          config: wasm,
                        },
                      },
                      {
                        name: "envoy.filters.http.router",
                        typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        staticCluster("backend", [options.backend]),
        ...Object.entries(options.clusters ?? {}).map(([name, endpoint]) => staticCluster(name, [endpoint])),
        ...(options.moreClusters ?? []),
      ],
    },
  };
}
