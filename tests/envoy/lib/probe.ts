// SPDX-License-Identifier: Apache-2.0
// The differential probe (fixtures/probe): built by the suite with asc, and an Envoy bootstrap
// written for it. Clusters: `backend` (the route) and `live` (callouts) on the recording upstream,
// `dead` on a loopback port nobody listens on, `empty` with no endpoint at all, and `unhealthy`
// whose only host fails its active health check.
import { createServer } from "node:net";
import { join } from "node:path";
import asc from "assemblyscript/asc";
import { repoRoot } from "./locate";

export const probeDir = join(repoRoot, "tests", "envoy", "fixtures", "probe");
export const probeWasm = join(probeDir, "build", "probe.wasm");

/** Compiles the probe (release target of its asconfig.json, which extends core's base config). */
export async function buildProbe(): Promise<string> {
  let errors = "";
  const { error } = await asc.main(["--config", join(probeDir, "asconfig.json"), "--target", "release"], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => ((errors += s), true) },
  } as any);
  if (error) throw new Error(`asc failed for the probe:\n${errors}`);
  return probeWasm;
}

/** A loopback port that was free a moment ago and that nothing listens on. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const PROBE_NAME = "probe";
export const PROBE_VM_ID = "probe";

function cluster(name: string, endpoints: Array<{ address: string; port: number }>, extra: Record<string, unknown> = {}) {
  return {
    name,
    connect_timeout: "1s",
    type: "STATIC",
    load_assignment: {
      cluster_name: name,
      endpoints: [
        {
          lb_endpoints: endpoints.map((e) => ({ endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } } })),
        },
      ],
    },
    ...extra,
  };
}

export function probeBootstrap(upstream: { address: string; port: number }, deadPort: number, wasm = probeWasm): Record<string, unknown> {
  const dead = { address: "127.0.0.1", port: deadPort };
  return {
    static_resources: {
      listeners: [
        {
          name: "probe",
          address: { socket_address: { address: "127.0.0.1", port_value: 0 } },
          filter_chains: [
            {
              filters: [
                {
                  name: "envoy.filters.network.http_connection_manager",
                  typed_config: {
                    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                    stat_prefix: "probe",
                    codec_type: "AUTO",
                    route_config: {
                      name: "probe_route",
                      virtual_hosts: [{ name: "probe", domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: "backend" } }] }],
                    },
                    http_filters: [
                      {
                        name: "envoy.filters.http.wasm",
                        typed_config: {
                          "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                          config: {
                            name: PROBE_NAME,
                            root_id: "probe",
                            configuration: { "@type": "type.googleapis.com/google.protobuf.StringValue", value: "" },
                            failure_policy: "FAIL_CLOSED",
                            vm_config: { vm_id: PROBE_VM_ID, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: wasm } } },
                          },
                        },
                      },
                      { name: "envoy.filters.http.router", typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" } },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        cluster("backend", [upstream]),
        cluster("live", [upstream]),
        cluster("dead", [dead]),
        cluster("empty", []),
        cluster("unhealthy", [dead], {
          health_checks: [
            { timeout: "1s", interval: "60s", unhealthy_threshold: 1, healthy_threshold: 1, http_health_check: { path: "/health" } },
          ],
        }),
      ],
    },
  };
}
