// SPDX-License-Identifier: Apache-2.0
// The Envoy bootstrap `getwild serve --envoy` runs: one loopback listener whose HTTP connection manager
// runs the filter, then the router to the upstream; one cluster per `--cluster NAME=URL` (TLS with SNI
// and certificate checks for https://); an access log on stdout as JSON lines that the CLI prints in
// serve's own format. Everything else is Envoy's defaults, so the filter meets Envoy as deployed.
import { isIP } from "node:net";
import { hostnameOf, pathPrefixOf, portOf } from "../url_parts.js";

export interface ServeBootstrapInput {
  /** Absolute path of the filter module. */
  filter: string;
  /** The plugin's `name` (what Envoy prints in "wasm log <name> ..."). */
  pluginName: string;
  rootId: string;
  vmId: string;
  /** Plugin configuration bytes; undefined = no `configuration` (the filter sees size 0). */
  configuration?: Uint8Array;
  failurePolicy: "FAIL_CLOSED" | "FAIL_OPEN" | "FAIL_RELOAD";
  /** Listener port on 127.0.0.1 (0 = Envoy picks; read it back from the admin API). */
  port: number;
  /** Where the route sends requests; its path, when not "/", is put in front of every request path. */
  upstream: URL;
  /** Cluster name -> http:// or https:// URL without a path. */
  clusters: Map<string, URL>;
  /** CA certificates (PEM) that https clusters verify their server against (required when there is one). */
  trustedCaPem?: string;
}

/** The listener's name (for EnvoyProcess.url(name)). */
export const SERVE_LISTENER = "getwild";
/** The cluster requests are routed to; a `--cluster` of this name would clash. */
export const UPSTREAM_CLUSTER = "getwild_upstream";
/** Key every access-log JSON line carries, so the CLI tells them from Envoy's own log. */
export const ACCESS_LOG_MARK = "getwild_access";

/** The access-log fields, as Envoy command operators. */
const ACCESS_LOG_FORMAT = {
  [ACCESS_LOG_MARK]: "1",
  method: "%REQ(:METHOD)%",
  // The path the client sent, before the upstream prefix rewrite.
  path: "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
  status: "%RESPONSE_CODE%",
  details: "%RESPONSE_CODE_DETAILS%",
  duration_ms: "%DURATION%",
};

const TYPE = {
  hcm: "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  wasm: "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
  router: "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router",
  stdoutLog: "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
  tls: "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
  string: "type.googleapis.com/google.protobuf.StringValue",
  bytes: "type.googleapis.com/google.protobuf.BytesValue",
  connectionsMonitor:
    "type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig",
};

/**
 * The configuration as Envoy's `configuration` Any. Envoy hands a StringValue's or a BytesValue's
 * bytes to the filter as they are; a proto string must be UTF-8, so other bytes go as BytesValue.
 */
function configurationAny(bytes: Uint8Array): Record<string, string> {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    return { "@type": TYPE.string, value: text };
  } catch {
    return { "@type": TYPE.bytes, value: Buffer.from(bytes).toString("base64") };
  }
}

/** A cluster with one endpoint at the URL's host and port; https:// gets TLS with SNI and a SAN check. */
export function urlCluster(name: string, url: URL, trustedCaPem: string | undefined): Record<string, unknown> {
  const host = hostnameOf(url);
  const ip = isIP(host) !== 0;
  const cluster: Record<string, unknown> = {
    name,
    // An IP needs no resolver; a name is resolved like Envoy users usually do for a fixed host.
    type: ip ? "STATIC" : "STRICT_DNS",
    dns_lookup_family: "V4_PREFERRED",
    load_assignment: {
      cluster_name: name,
      endpoints: [
        { lb_endpoints: [{ endpoint: { address: { socket_address: { address: host, port_value: portOf(url) } } } }] },
      ],
    },
  };
  if (url.protocol === "https:") {
    if (trustedCaPem === undefined)
      throw new Error(`cluster ${name} is https:// but no CA certificates were given to verify it`);
    // Without a validation context Envoy accepts any certificate, and without a SAN matcher any
    // certificate the CA signed: both are set so the host in the URL is the host verified.
    cluster.transport_socket = {
      name: "envoy.transport_sockets.tls",
      typed_config: {
        "@type": TYPE.tls,
        ...(ip ? {} : { sni: host }),
        common_tls_context: {
          validation_context: {
            trusted_ca: { inline_string: trustedCaPem },
            match_typed_subject_alt_names: [{ san_type: ip ? "IP_ADDRESS" : "DNS", matcher: { exact: host } }],
          },
        },
      },
    };
  }
  return cluster;
}

/** The route to the upstream; a path on the upstream URL becomes a prefix rewrite, as serve prefixes it. */
function upstreamRoute(upstream: URL): Record<string, unknown> {
  const prefix = pathPrefixOf(upstream);
  return prefix === "" ? { cluster: UPSTREAM_CLUSTER } : { cluster: UPSTREAM_CLUSTER, prefix_rewrite: `${prefix}/` };
}

export function serveBootstrap(input: ServeBootstrapInput): Record<string, unknown> {
  const pluginConfig: Record<string, unknown> = {
    name: input.pluginName,
    root_id: input.rootId,
    failure_policy: input.failurePolicy,
    vm_config: {
      vm_id: input.vmId,
      runtime: "envoy.wasm.runtime.v8",
      code: { local: { filename: input.filter } },
    },
  };
  if (input.configuration !== undefined) pluginConfig.configuration = configurationAny(input.configuration);
  const hcm = {
    "@type": TYPE.hcm,
    stat_prefix: "ingress_http",
    codec_type: "AUTO",
    access_log: [
      {
        name: "envoy.access_loggers.stdout",
        typed_config: { "@type": TYPE.stdoutLog, log_format: { json_format: ACCESS_LOG_FORMAT } },
      },
    ],
    route_config: {
      name: "local_route",
      virtual_hosts: [
        { name: "all", domains: ["*"], routes: [{ match: { prefix: "/" }, route: upstreamRoute(input.upstream) }] },
      ],
    },
    http_filters: [
      { name: "envoy.filters.http.wasm", typed_config: { "@type": TYPE.wasm, config: pluginConfig } },
      { name: "envoy.filters.http.router", typed_config: { "@type": TYPE.router } },
    ],
  };
  const upstream = new URL(input.upstream.origin);
  return {
    // A limit on downstream connections, as Envoy asks every deployment to set (it warns at start without one).
    overload_manager: {
      resource_monitors: [
        {
          name: "envoy.resource_monitors.global_downstream_max_connections",
          typed_config: { "@type": TYPE.connectionsMonitor, max_active_downstream_connections: 10_000 },
        },
      ],
    },
    static_resources: {
      listeners: [
        {
          name: SERVE_LISTENER,
          address: { socket_address: { address: "127.0.0.1", port_value: input.port } },
          // Envoy shares a port with another SO_REUSEPORT listener by default; serve refuses a taken port.
          enable_reuse_port: false,
          filter_chains: [{ filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }] }],
        },
      ],
      clusters: [
        urlCluster(UPSTREAM_CLUSTER, upstream, input.trustedCaPem),
        ...[...input.clusters].map(([name, url]) => urlCluster(name, url, input.trustedCaPem)),
      ],
    },
  };
}
