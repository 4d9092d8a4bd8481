// SPDX-License-Identifier: Apache-2.0
// The differential probe (fixtures/probe): built by the suite with asc, and an Envoy bootstrap for
// it (the fixture bootstrap; plugin, root and VM all named "probe"). Clusters: `backend` (the route)
// and `live` (callouts) on the recording upstream, `dead` on a loopback port nobody listens on,
// `empty` with no endpoint at all, and `unhealthy` whose only host fails its active health check.
import { join } from "node:path";
import asc from "assemblyscript/asc";
import type { Bootstrap, Endpoint } from "./bootstrap";
import { fixtureBootstrap, staticCluster } from "./fixture_bootstrap";
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

export const PROBE_NAME = "probe";
export const PROBE_VM_ID = "probe";

export function probeBootstrap(upstream: Endpoint, deadPort: number, wasm = probeWasm): Bootstrap {
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
          { timeout: "1s", interval: "60s", unhealthy_threshold: 1, healthy_threshold: 1, http_health_check: { path: "/health" } },
        ],
      }),
    ],
  });
}
