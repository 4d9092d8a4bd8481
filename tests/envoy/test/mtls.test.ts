// SPDX-License-Identifier: Apache-2.0
// Certificate-bound tokens (RFC 8705 §3) through real Envoy: a downstream TLS listener that requires
// client certificates (test CA made with openssl at test time), the JwtAuthn filter (the jwt-authn
// example's build) reading the certificate digest Envoy reports for the connection
// (`connection.sha256_peer_certificate_digest`, hex) and comparing it with the token's
// `cnf.x5t#S256` (base64url). The same token passes with its certificate and fails with another one
// the listener trusts just as well.
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEnvoy, type EnvoyProcess } from "@getwild/host/envoy";
import { exampleDir } from "../lib/bootstrap";
import type { Answer } from "../lib/client";
import { clientCertificate, pemFile, requireClientCertificates, type ClientCertificate } from "../lib/client_certs";
import { envoyDescribe, envoyPath } from "../lib/envoy";
import { fixtureBootstrap } from "../lib/fixture_bootstrap";
import { createTestPki, type CertificateAuthority, type TestPki } from "../lib/pki";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { header, startUpstream, type Upstream } from "../lib/upstream";

const ISS = "https://issuer.example.com";

envoyDescribe("certificate-bound tokens in Envoy (RFC 8705)", () => {
  let pki: TestPki;
  let ca: CertificateAuthority;
  let upstream: Upstream;
  let envoy: EnvoyProcess;
  let port: number;
  let idp: SigningKey;
  let alice: ClientCertificate;
  let bob: ClientCertificate;

  beforeAll(async () => {
    pki = createTestPki();
    ca = pki.authority("mtls-ca");
    const server = pki.serverCertificate(ca, "localhost");
    [alice, bob] = [clientCertificate(pki, ca, "alice"), clientCertificate(pki, ca, "bob")];
    idp = await signingKey("k1", "ES256");
    upstream = await startUpstream();
    const configuration = JSON.stringify({
      providers: {
        api: {
          issuer: ISS,
          local_jwks: JSON.stringify(jwksOf(idp)),
          claim_to_headers: [{ header_name: "x-sub", claim_name: "sub" }],
        },
      },
      rules: [{ match: { prefix: "/" }, requires: { provider_name: "api" } }],
    });
    const bootstrap = fixtureBootstrap({
      wasm: join(exampleDir("jwt-authn"), "build", "filter.wasm"),
      rootId: "jwt-authn",
      backend: upstream,
      configuration,
    }) as { static_resources: { listeners: Array<{ filter_chains: Array<Record<string, unknown>> }> } };
    bootstrap.static_resources.listeners[0].filter_chains[0].transport_socket = requireClientCertificates(
      pemFile(pki, "listener.pem", server.cert),
      pemFile(pki, "listener.key", server.key),
      ca.certFile,
    );
    envoy = await startEnvoy({ envoy: envoyPath(), bootstrap });
    port = Number(new URL(await envoy.url()).port);
  });

  afterAll(async () => {
    await envoy?.stop();
    await upstream?.close();
    pki?.remove();
  });

  /** A GET over TLS presenting `client`'s certificate. */
  function get(client: ClientCertificate, token: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/orders",
          method: "GET",
          servername: "localhost",
          agent: false,
          ca: readFileSync(ca.certFile, "utf8"),
          cert: client.cert,
          key: client.key,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const headers: Record<string, string> = {};
            for (const [n, v] of Object.entries(res.headers)) headers[n] = Array.isArray(v) ? v.join(", ") : `${v}`;
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
          });
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error("no answer over mTLS within 10 s")));
      req.on("error", reject);
      req.end();
    });
  }

  const bound = (x5t: string) => mint(idp, { iss: ISS, sub: "svc", exp: nowSeconds() + 600, cnf: { "x5t#S256": x5t } });

  it("a token bound to the connection's client certificate passes", async () => {
    const before = upstream.received.length;
    const res = await get(alice, await bound(alice.x5tS256));
    expect(res.status, res.body).toBe(200);
    expect(header(upstream.received[before], "x-sub")).toBe("svc");
  });

  it("the same token over a connection with another (equally trusted) certificate is refused", async () => {
    const before = upstream.received.length;
    const res = await get(bob, await bound(alice.x5tS256));
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="[^"]*", error="invalid_token"$/);
    expect(JSON.parse(res.body)).toEqual({ error: "invalid_token", reason: "mtls_certificate_mismatch" });
    expect(upstream.received.length).toBe(before);
  });

  it("an unbound token passes over mTLS; a cnf the filter cannot check is refused", async () => {
    const plain = await mint(idp, { iss: ISS, sub: "svc", exp: nowSeconds() + 600 });
    expect((await get(bob, plain)).status).toBe(200);
    const other = await mint(idp, {
      iss: ISS,
      sub: "svc",
      exp: nowSeconds() + 600,
      cnf: { "x5t#S256": alice.x5tS256, kid: "k" },
    });
    const res = await get(alice, other);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).reason).toBe("cnf_unsupported");
  });
});
