// SPDX-License-Identifier: Apache-2.0
// The differential probe (fixtures/probe): built like the other fixtures (lib/fixtures.ts), and an
// Envoy bootstrap for it (the fixture bootstrap; plugin, root and VM all named "probe"). Clusters:
// `backend` (the route) and `live` (callouts) on the recording upstream, `dead` on a loopback port
// nobody listens on, `empty` with no endpoint at all, and `unhealthy` whose only host fails its
// active health check.
import type { Bootstrap, Endpoint } from "./bootstrap";
import { fixtureBootstrap, staticCluster } from "./fixture_bootstrap";
import { buildAscFixture } from "./fixtures";

const PROBE_OUT = "build/probe.wasm";

/** The probe's release .wasm (fixtures/probe/asconfig.json), built when missing or out of date. */
export function buildProbe(): Promise<string> {
  return buildAscFixture("probe", PROBE_OUT);
}

export const PROBE_NAME = "probe";
export const PROBE_VM_ID = "probe";

export function probeBootstrap(upstream: Endpoint, deadPort: number, wasm: string): Bootstrap {
  const dead = { address: "127.0.0.1", port: deadPort };
  return fixtureBootstrap({
    wasm,
    rootId: PROBE_VM_ID,
    backend: upstream,
    failurePolicy: "FAIL_CLOSED",
    clusters: { live: upstream, dead },
    moreClusters: [
      staticCluster("empty", []),
      staticCluster("unhealthy", [dead], {
        health_checks: [
          {
            timeout: "1s",
            interval: "60s",
            unhealthy_threshold: 1,
            healthy_threshold: 1,
            http_health_check: { path: "/health" },
          },
        ],
      }),
    ],
  });
}
