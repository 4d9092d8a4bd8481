// SPDX-License-Identifier: Apache-2.0
// examples/hello in Envoy, from its own envoy.yaml: responses carry `hello: world`, and the filter's
// log of each request header reaches Envoy's log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { envoyDescribe, startExample, type ExampleInEnvoy } from "../lib/envoy";
import { startUpstream, type Upstream } from "../lib/upstream";

envoyDescribe("hello in Envoy", () => {
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;

  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await startExample("hello", { clusters: { backend: upstream } });
  });
  afterAll(async () => {
    await proxy?.envoy.stop();
    await upstream?.close();
  });

  it("adds hello: world to the upstream's response", async () => {
    const response = await fetch(`${proxy.url}/greet`, { headers: { "x-trace": "t-1" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("hello")).toBe("world");
    expect(await response.text()).toBe("upstream");
    expect(upstream.received.at(-1)?.path).toBe("/greet");
  });

  it("logs each request header through proxy_log at info", async () => {
    await fetch(`${proxy.url}/logged`, { headers: { "x-marker": "m-42" } });
    await proxy.envoy.waitForLog(/x-marker: m-42/);
    const logs = proxy.envoy.wasmLogs();
    expect(logs).toContain(":path: /logged");
    expect(logs).toContain("x-marker: m-42");
  });

  it("logs nothing when Envoy runs at warning, and still adds hello: world", async () => {
    const quiet = await startExample("hello", { clusters: { backend: upstream } }, { logLevel: "warning" });
    try {
      const response = await fetch(`${quiet.url}/quiet`, { headers: { "x-marker": "q-1" } });
      expect(response.headers.get("hello")).toBe("world");
      await response.text();
      expect(quiet.envoy.wasmLogs()).toEqual([]);
    } finally {
      await quiet.envoy.stop();
    }
  });
});
