// SPDX-License-Identifier: Apache-2.0
// examples/http-call in Envoy, from its own envoy.yaml: the `httpbin` cluster (TLS, as shipped) points
// at a local stand-in with a certificate from a test CA for the cluster's SNI name. `/uuid` is relayed; each failure of the
// callout becomes the filter's 502 with a JSON reason.
//
// What Envoy 1.40 does with the callout in each failure (the host emulator must match this):
// - the stand-in answers 500: the callout gets that 500 reply (headers, body) -> reason upstream_status_500.
// - the stand-in stalls past the call's timeout: Envoy's router ends the call with its own 504 reply,
//   body "upstream request timeout", delivered as a reply (not as a failure) -> reason timeout.
// - the stand-in resets the connection before answering (TCP RST): NOT a failure either. The router
//   turns an upstream reset before response headers into its own 503 local reply, which the callout
//   receives as a normal reply -> reason upstream_status_503.
// - nothing listens on the cluster's port (connection refused): the same, a 503 reply from the router
//   (no failure callback, answered at once) -> reason upstream_status_503.
// - the stand-in sends headers and part of the body, then resets: only here does the callout fail:
//   on_http_call_response with 0 headers, proxy_get_status -> BrokenConnection (11) "reset" ->
//   reason reset.
// The replies themselves, seen through the differential probe (fixtures/probe) on a plain-HTTP cluster
// pointed at this stand-in: the reset before answering arrives with 3 headers (:status 503,
// content-length, content-type text/plain) and the body "upstream connect error or disconnect/reset
// before headers. reset reason: connection termination" (the same as a plain close); the 500 arrives
// with the upstream's headers as received (content-type, date, connection, transfer-encoding) plus
// x-envoy-upstream-service-time; the reset mid-body gives 0 headers, 0 body bytes, status 11 "reset",
// and a later successful call still reads status 11 with an empty message (the code is never reset).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExampleBootstrap } from "../lib/bootstrap";
import { envoyDescribe, startExample, type ExampleInEnvoy } from "../lib/envoy";
import { startHttpbin, type Httpbin } from "../lib/httpbin";
import { createTestPki, type TestPki } from "../lib/pki";
import { unusedPort } from "../lib/ports";
import { upstreamTls } from "../lib/tls_cluster";

const UUID_BODY = /^\{\n {2}"uuid": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"\n\}\n$/;

async function expect502(url: string, reason: string): Promise<void> {
  const response = await fetch(`${url}/anything`);
  expect(response.status).toBe(502);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(await response.json()).toEqual({ error: "httpbin_unavailable", reason });
}

envoyDescribe("http-call in Envoy", () => {
  let pki: TestPki;
  let ca: { caFile: string };
  let httpbin: Httpbin;

  beforeAll(async () => {
    pki = createTestPki();
    const authority = pki.authority("httpbin-test-ca");
    ca = { caFile: authority.certFile };
    const { sni } = upstreamTls(loadExampleBootstrap("http-call"), "httpbin");
    httpbin = await startHttpbin(pki.serverCertificate(authority, sni));
  });
  afterAll(async () => {
    await httpbin?.close();
    pki?.remove();
  });

  describe("with the shipped configuration (5 s timeout), httpbin over TLS", () => {
    let proxy: ExampleInEnvoy;
    beforeAll(async () => {
      proxy = await startExample("http-call", { clusters: { httpbin }, trustedCa: { httpbin: ca.caFile } });
    });
    afterAll(async () => {
      await proxy?.envoy.stop();
    });

    it("relays the /uuid body and content-type, a fresh one per request", async () => {
      httpbin.mode = "uuid";
      const first = await fetch(`${proxy.url}/`);
      const firstBody = await first.text();
      const second = await fetch(`${proxy.url}/other?q=1`, { method: "POST", body: "held until the reply" });
      const secondBody = await second.text();
      expect(first.status).toBe(200);
      expect(first.headers.get("content-type")).toBe("application/json");
      expect(firstBody).toMatch(UUID_BODY);
      expect(second.status).toBe(200);
      expect(httpbin.sent.slice(-2)).toEqual([firstBody, secondBody]);
      expect(secondBody).not.toBe(firstBody);
      await proxy.envoy.waitForLog(/httpbin answered 200 with \d+ bytes/);
    });

    it("calls GET /uuid with the configured authority over the cluster", () => {
      const call = httpbin.received.at(-1)!;
      expect(call.method).toBe("GET");
      expect(call.path).toBe("/uuid");
      // Observed: Envoy's async client sends :authority as host, and adds x-envoy-internal: true and
      // x-envoy-expected-rq-timeout-ms (the call's timeout).
      expect(call.headers).toEqual([
        ["host", "httpbin.org"],
        ["accept", "application/json"],
        ["x-envoy-internal", "true"],
        ["x-envoy-expected-rq-timeout-ms", "5000"],
      ]);
    });

    it("answers 502 upstream_status_500 when httpbin answers 500", async () => {
      httpbin.mode = "status500";
      await expect502(proxy.url, "upstream_status_500");
      await proxy.envoy.waitForLog(/wasm log.*: httpbin answered 500$/);
    });

    it("answers 502 upstream_status_503 when httpbin resets before answering (Envoy's router replies 503 to the callout)", async () => {
      httpbin.mode = "reset";
      await expect502(proxy.url, "upstream_status_503");
      await proxy.envoy.waitForLog(/wasm log.*: httpbin answered 503$/);
    });

    it("answers 502 reset when httpbin resets after its headers (the callout fails)", async () => {
      httpbin.mode = "resetAfterHeaders";
      await expect502(proxy.url, "reset");
      await proxy.envoy.waitForLog(/wasm log.*: httpbin call failed: BrokenConnection reset$/);
    });
  });

  describe("with timeout_ms 300 (the plugin configuration changed, nothing else), httpbin stalling", () => {
    let proxy: ExampleInEnvoy;
    beforeAll(async () => {
      proxy = await startExample("http-call", {
        clusters: { httpbin },
        trustedCa: { httpbin: ca.caFile },
        pluginConfiguration: '{"cluster":"httpbin","authority":"httpbin.org","timeout_ms":300}',
      });
    });
    afterAll(async () => {
      await proxy?.envoy.stop();
    });

    it("answers 502 timeout when httpbin stalls past the call's timeout", async () => {
      httpbin.mode = "stall";
      const before = httpbin.received.length;
      await expect502(proxy.url, "timeout");
      expect(httpbin.received.length).toBe(before + 1);
      expect(httpbin.received.at(-1)!.headers).toContainEqual(["x-envoy-expected-rq-timeout-ms", "300"]);
      await proxy.envoy.waitForLog(/wasm log.*: httpbin call timed out after 300 ms$/);
    });
  });

  describe("with the httpbin cluster on a port where nothing listens", () => {
    let proxy: ExampleInEnvoy;
    beforeAll(async () => {
      proxy = await startExample("http-call", {
        clusters: { httpbin: { address: "127.0.0.1", port: await unusedPort() } },
        trustedCa: { httpbin: ca.caFile },
      });
    });
    afterAll(async () => {
      await proxy?.envoy.stop();
    });

    it("answers 502 upstream_status_503 (Envoy's router replies 503 to the callout; no failure callback)", async () => {
      await expect502(proxy.url, "upstream_status_503");
      await proxy.envoy.waitForLog(/wasm log.*: httpbin answered 503$/);
      expect(proxy.envoy.wasmLogs().some((line) => line.startsWith("httpbin call failed"))).toBe(false);
    });
  });
});
