// SPDX-License-Identifier: Apache-2.0
// OIDC discovery in Envoy 1.40: a provider configured with only its issuer and a cluster. The
// filter fetches `<issuer>/.well-known/openid-configuration` through the cluster (real TLS, a test CA,
// the certificate checked for the cluster's SNI), checks the document's issuer, and fetches the keys
// at its jwks_uri: each once for the whole proxy with two workers. A document for another issuer is
// not used: no key fetch, and requests fail closed.
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { send } from "../lib/client";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { onEveryWorker } from "../lib/jwt_example";
import { createTestPki, type TestPki } from "../lib/pki";
import { routesBootstrap } from "../lib/routes_bootstrap";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { startUpstream, type Upstream } from "../lib/upstream";

const HOST = "login.example.com";
const ISS = `https://${HOST}/tenant-a`;
const WELL_KNOWN = "/tenant-a/.well-known/openid-configuration";
const KEYS = "/tenant-a/keys";

interface OidcServer {
  port: number;
  /** The PEM of the CA that signed its certificate (what the cluster trusts). */
  caFile: string;
  /** Every request: path, :authority and SNI. */
  requests: Array<{ path: string; authority: string; servername: string }>;
  close(): Promise<void>;
}

/** An issuer stand-in over HTTPS: the discovery document (naming `issuer`) and the key set. */
async function startOidcServer(pki: TestPki, caName: string, key: SigningKey, issuer: string): Promise<OidcServer> {
  const ca = pki.authority(caName);
  const certificate = pki.serverCertificate(ca, HOST);
  const requests: OidcServer["requests"] = [];
  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const path = request.url ?? "";
    requests.push({
      path,
      authority: request.headers.host ?? "",
      servername: (request.socket as TLSSocket).servername || "",
    });
    const body =
      path === WELL_KNOWN ? { issuer, jwks_uri: `https://${HOST}${KEYS}` } : path === KEYS ? jwksOf(key) : null;
    response.writeHead(body === null ? 404 : 200, {
      "content-type": "application/json",
      "cache-control": "max-age=3600",
    });
    response.end(body === null ? "{}" : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caFile: ca.certFile,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

envoyDescribe("OIDC discovery in Envoy", () => {
  let pki: TestPki;
  let key: SigningKey;
  let upstream: Upstream;
  const envoys: EnvoyProcess[] = [];
  const servers: OidcServer[] = [];

  async function start(issuerInDocument: string): Promise<{ url: string; server: OidcServer; envoy: EnvoyProcess }> {
    const server = await startOidcServer(pki, `ca-${servers.length}`, key, issuerInDocument);
    servers.push(server);
    const envoy = await startEnvoy({
      envoy: envoyPath(),
      concurrency: 2,
      bootstrap: routesBootstrap({
        configuration: {
          providers: {
            users: { issuer: ISS, audiences: ["api"], oidc_discovery: { cluster: "login", timeout_ms: 3000 } },
          },
          rules: [{ match: { prefix: "/" }, requires: { provider_name: "users" } }],
        },
        backend: upstream,
        routes: [{ prefix: "/" }],
        tlsClusters: {
          login: { endpoint: { address: "127.0.0.1", port: server.port }, sni: HOST, caFile: server.caFile },
        },
      }),
    });
    envoys.push(envoy);
    return { url: await envoy.url(), server, envoy };
  }

  function token(): Promise<string> {
    const now = nowSeconds();
    return mint(key, { iss: ISS, aud: "api", sub: "u1", iat: now - 5, exp: now + 600 });
  }

  beforeAll(async () => {
    pki = createTestPki();
    key = await signingKey("k1", "RS256");
    upstream = await startUpstream();
  });
  afterAll(async () => {
    for (const envoy of envoys) await envoy.stop();
    for (const server of servers) await server.close();
    await upstream?.close();
    pki?.remove();
  });

  it("finds the keys through the discovery document and grants valid tokens on both workers, one fetch of each", async () => {
    const { url, server, envoy } = await start(ISS);
    const bearer = `Bearer ${await token()}`;
    // Sent at once: it waits for the document and then the keys (fetched by whichever VM took the
    // leases), and is granted, not refused for want of keys.
    expect((await send(`${url}/data`, { authorization: bearer })).status).toBe(200);
    await onEveryWorker(envoy, 2, async () => {
      expect((await send(`${url}/data`, { authorization: bearer })).status).toBe(200);
    });
    expect(server.requests.map((r) => r.path)).toEqual([WELL_KNOWN, KEYS]);
    for (const r of server.requests) {
      expect(r.authority).toBe(HOST);
      expect(r.servername).toBe(HOST);
    }
    // A token the keys did not sign stays out.
    const other = await signingKey("k1", "RS256");
    const now = nowSeconds();
    const forged = await mint(other, { iss: ISS, aud: "api", sub: "u1", iat: now - 5, exp: now + 600 });
    expect((await send(`${url}/data`, { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it("a discovery document for another issuer is not used: no key fetch, requests are refused", async () => {
    const { url, server } = await start("https://login.example.com/tenant-b");
    const answer = await send(`${url}/data`, { authorization: `Bearer ${await token()}` });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body).reason).toBe("jwks_unavailable");
    expect(server.requests.some((r) => r.path === WELL_KNOWN)).toBe(true);
    expect(server.requests.some((r) => r.path === KEYS)).toBe(false);
  });
});
