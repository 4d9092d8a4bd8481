// SPDX-License-Identifier: Apache-2.0
// Every example ships an Envoy config and an Istio WasmPlugin that name its filter (root id from the
// source), its release module, a stated failure policy, and a cluster for every callout target.
import { describe, it, expect } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const examplesDir = join(repo, "examples");
const examples = readdirSync(examplesDir).filter((d) => existsSync(join(examplesDir, d, "package.json")));

const WASM_FILTER = "envoy.filters.http.wasm";
const WASM_TYPE = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
const ENVOY_POLICIES = ["FAIL_CLOSED", "FAIL_OPEN", "FAIL_RELOAD"];
const ISTIO_POLICIES: Record<string, string> = {
  FAIL_CLOSED: "FAIL_CLOSE",
  FAIL_OPEN: "FAIL_OPEN",
  FAIL_RELOAD: "FAIL_RELOAD",
};
const ISTIO_PHASES = ["UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"];

function yamlDocs(file: string): any[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const d of docs) expect(d.errors, file).toEqual([]);
  return docs.map((d) => d.toJS());
}

/** Every object in a tree (depth-first), to find filters and routes wherever the config nests them. */
function* objects(node: unknown): Generator<Record<string, any>> {
  if (Array.isArray(node)) for (const n of node) yield* objects(n);
  else if (node && typeof node === "object") {
    yield node as Record<string, any>;
    for (const v of Object.values(node)) yield* objects(v);
  }
}

/** Root ids the filter's source registers: registerRootContext(..., "id"). */
function registeredRootIds(example: string): string[] {
  const dir = join(examplesDir, example, "assembly");
  const ids: string[] = [];
  for (const file of readdirSync(dir)) {
    const source = readFileSync(join(dir, file), "utf8");
    for (const m of source.matchAll(/registerRootContext\([\s\S]*?,\s*"([^"]*)"\s*\)/g)) ids.push(m[1]!);
  }
  return ids;
}

/** Cluster names a plugin configuration points callouts at: "cluster" and "*_cluster" string members. */
function calloutClusters(config: unknown): string[] {
  const found: string[] = [];
  for (const o of objects(config)) {
    for (const [k, v] of Object.entries(o))
      if ((k === "cluster" || k.endsWith("_cluster")) && typeof v === "string") found.push(v);
  }
  return found;
}

it("finds the examples", () => {
  expect(examples).toEqual(expect.arrayContaining(["hello", "getwild", "http-call"]));
});

describe.each(examples)("examples/%s deployment files", (example) => {
  const dir = join(examplesDir, example);
  const releaseFile = JSON.parse(readFileSync(join(dir, "asconfig.json"), "utf8")).targets.release.outFile as string;
  const rootIds = registeredRootIds(example);

  it("registers one root id in its source", () => {
    expect(rootIds).toHaveLength(1);
  });

  describe("envoy.yaml", () => {
    const envoy = () => yamlDocs(join(dir, "envoy.yaml"))[0];
    const wasmFilter = () => {
      const filters = [...objects(envoy())].filter((o) => o.name === WASM_FILTER);
      expect(filters).toHaveLength(1);
      expect(filters[0]!.typed_config["@type"]).toBe(WASM_TYPE);
      return filters[0]!.typed_config.config;
    };

    it("loads the release module from a local file with the V8 runtime, under the filter's root id", () => {
      const config = wasmFilter();
      expect(config.root_id).toBe(rootIds[0]);
      expect(config.vm_config.runtime).toBe("envoy.wasm.runtime.v8");
      expect(normalize(config.vm_config.code.local.filename)).toBe(normalize(releaseFile));
    });

    it("states its failure policy", () => {
      expect(ENVOY_POLICIES).toContain(wasmFilter().failure_policy);
    });

    it("defines every cluster that routes and callouts name", () => {
      const doc = envoy();
      const defined = new Set(doc.static_resources.clusters.map((c: { name: string }) => c.name));
      const routed = [...objects(doc)]
        .filter((o) => o.route && typeof o.route.cluster === "string")
        .map((o) => o.route.cluster);
      const config = wasmFilter().configuration;
      expect(config["@type"]).toBe("type.googleapis.com/google.protobuf.StringValue");
      const called = config.value ? calloutClusters(JSON.parse(config.value)) : [];
      for (const cluster of [...routed, ...called]) expect(defined, cluster).toContain(cluster);
      for (const c of doc.static_resources.clusters) expect(c.load_assignment.cluster_name).toBe(c.name);
    });

    // Without a validation_context Envoy accepts any certificate, and without a SAN matcher any
    // certificate the CA issued, for any name: a key server reached that way can be impersonated.
    it("verifies the certificate of every upstream TLS cluster: a trusted CA and a SAN matcher for its SNI", () => {
      for (const cluster of envoy().static_resources.clusters) {
        const tls = cluster.transport_socket?.typed_config;
        if (tls === undefined) continue;
        expect(tls["@type"], cluster.name).toBe(
          "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        );
        expect(tls.sni, cluster.name).toMatch(/^[a-z0-9.-]+$/);
        const validation = tls.common_tls_context?.validation_context;
        expect(validation?.trusted_ca?.filename, `${cluster.name} trusted_ca`).toMatch(/^\//);
        const names = (validation?.match_typed_subject_alt_names ?? [])
          .filter((m: any) => m.san_type === "DNS")
          .map((m: any) => m.matcher?.exact);
        expect(names, `${cluster.name} match_typed_subject_alt_names`).toContain(tls.sni);
      }
    });
  });

  describe("wasmplugin.yaml", () => {
    const docs = () => yamlDocs(join(dir, "wasmplugin.yaml"));
    const plugin = () => {
      const plugins = docs().filter((d) => d.kind === "WasmPlugin");
      expect(plugins).toHaveLength(1);
      expect(plugins[0].apiVersion).toBe("extensions.istio.io/v1alpha1");
      return plugins[0].spec;
    };

    it("names the filter's root id, an OCI image, a phase and the same failure policy as envoy.yaml", () => {
      const spec = plugin();
      expect(spec.pluginName).toBe(rootIds[0]);
      expect(spec.url).toMatch(new RegExp(`^oci://[^ ]+/${example}:[\\w.-]+$`));
      expect(ISTIO_PHASES).toContain(spec.phase);
      expect(spec.type).toBe("HTTP");
      const envoyConfig = [...objects(yamlDocs(join(dir, "envoy.yaml"))[0])].find((o) => o.name === WASM_FILTER)!
        .typed_config.config;
      expect(spec.failStrategy).toBe(ISTIO_POLICIES[envoyConfig.failure_policy]);
      if (spec.sha256 !== undefined) expect(spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it("originates TLS only with the server verified: a CA bundle and the SNI among the subjectAltNames", () => {
      for (const rule of docs().filter((d) => d.kind === "DestinationRule")) {
        const policies = [rule.spec.trafficPolicy, ...(rule.spec.trafficPolicy?.portLevelSettings ?? [])];
        for (const tls of policies
          .map((p) => p?.tls)
          .filter((t) => t !== undefined && t.mode !== "DISABLE" && t.mode !== "ISTIO_MUTUAL")) {
          expect(tls.caCertificates, `${rule.metadata.name} caCertificates`).toMatch(/^\//);
          expect(tls.subjectAltNames, `${rule.metadata.name} subjectAltNames`).toContain(tls.sni);
        }
      }
    });

    it("gives the same plugin configuration as envoy.yaml, with Istio cluster names for callouts", () => {
      const spec = plugin();
      const envoyConfig = [...objects(yamlDocs(join(dir, "envoy.yaml"))[0])].find((o) => o.name === WASM_FILTER)!
        .typed_config.config;
      const envoyJson = envoyConfig.configuration.value ? JSON.parse(envoyConfig.configuration.value) : undefined;
      // "$schema" only points editors at the JSON Schema of a configuration file; Istio's copy needs none.
      const fields = (config: object | undefined) =>
        Object.keys(config ?? {})
          .filter((k) => k !== "$schema")
          .sort();
      expect(fields(spec.pluginConfig)).toEqual(fields(envoyJson));
      const services = docs().filter((d) => d.kind === "ServiceEntry");
      for (const cluster of calloutClusters(spec.pluginConfig)) {
        // Istio's generated name: outbound|PORT||HOST, for a service the gateway can see.
        const m = /^outbound\|(\d+)\|\|(.+)$/.exec(cluster);
        expect(m, cluster).not.toBeNull();
        // An in-mesh Kubernetes service has its cluster already; anything else needs a ServiceEntry here.
        if (m![2]!.endsWith(".svc.cluster.local")) continue;
        const entry = services.find((s) => s.spec.hosts.includes(m![2]));
        expect(entry, `ServiceEntry for ${m![2]}`).toBeDefined();
        expect(entry.spec.ports.map((p: { number: number }) => p.number)).toContain(Number(m![1]));
      }
    });
  });
});
