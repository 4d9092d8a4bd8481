// SPDX-License-Identifier: Apache-2.0
// Issue 12 through real Envoy with examples/jwt-authn as shipped (its envoy.yaml and
// plugin-config.json; key services are local stand-ins): path tricks that would move a request from
// a protected rule to a weaker one, duplicate and smuggled tokens, and a forged token beside a valid
// one under allow_missing; cookie and query-parameter smuggling through a second Envoy whose
// configuration (the harness's pluginConfiguration rewrite) lets the users provider read a cookie
// and a parameter too. Requests are written byte for byte on a raw socket, because fetch and
// node:http would normalise the path or merge repeated headers before Envoy saw them.
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exampleDir, loadExampleBootstrap } from "../lib/bootstrap";
import { envoyDescribe, startExample, type ExampleInEnvoy } from "../lib/envoy";
import { startIdp, type Idp } from "../lib/idp";
import { createTestPki, type TestPki } from "../lib/pki";
import { upstreamTls } from "../lib/tls_cluster";
import { jwksOf, mint, nowSeconds, signingKey, type SigningKey } from "../lib/tokens";
import { startUpstream, type Upstream } from "../lib/upstream";

const EXAMPLE = "jwt-authn";
const config = JSON.parse(readFileSync(join(exampleDir(EXAMPLE), "plugin-config.json"), "utf8"));
const users = config.providers.users;
const services = config.providers.services;
const SERVICE_HEADER: string = services.from_headers[0].name;
const tls = upstreamTls(loadExampleBootstrap(EXAMPLE), users.remote_jwks.cluster);

interface RawAnswer {
  status: number;
  body: string;
}

/** One HTTP/1.1 request written as given: the path untouched, every header line kept, in order. */
function raw(port: number, path: string, headers: Array<[string, string]>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer for ${path}`)));
    const answer = (): RawAnswer => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      return { status, body: text.slice(text.indexOf("\r\n\r\n") + 4) };
    };
    socket.on("data", (c: Buffer) => {
      chunks.push(c);
      // Done once the body Content-Length announces is in (Envoy would close only after its
      // delayed-close timeout).
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && length && text.length - end - 4 >= Number(length[1])) {
        resolve(answer());
        socket.destroy();
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer()));
    const lines = [
      `GET ${path} HTTP/1.1`,
      "Host: api.example.com",
      ...headers.map(([n, v]) => `${n}: ${v}`),
      "Connection: close",
      "",
      "",
    ];
    // write, not end: Envoy resets a stream whose client half-closes before the answer.
    socket.write(lines.join("\r\n"));
  });
}

/** plugin-config.json with the users provider also reading a cookie and a query parameter. */
function withCookieAndParam(): string {
  const copy = structuredClone(config);
  copy.providers.users.from_headers = [{ name: "authorization", value_prefix: "Bearer " }];
  copy.providers.users.from_cookies = ["session"];
  copy.providers.users.from_params = ["access_token"];
  return JSON.stringify(copy);
}

envoyDescribe("jwt-authn in Envoy: ways around the rules (issue 12)", () => {
  let pki: TestPki;
  let login: Idp;
  let mesh: Idp;
  let upstream: Upstream;
  let proxy: ExampleInEnvoy;
  let port: number;
  let cookieProxy: ExampleInEnvoy;
  let cookiePort: number;
  let user: string, forgedUser: string, service: string, forgedService: string;

  beforeAll(async () => {
    pki = createTestPki();
    const ca = pki.authority("test-ca");
    const userKey: SigningKey = await signingKey("u1", "RS256");
    const serviceKey: SigningKey = await signingKey("s1", "ES256");
    const attacker: SigningKey = await signingKey("u1", "RS256");
    const attackerService: SigningKey = await signingKey("s1", "ES256");
    const now = nowSeconds();
    const userClaims = {
      iss: users.issuer,
      aud: users.audiences[0],
      sub: "user|42",
      scope: "api:read",
      iat: now - 5,
      exp: now + 600,
    };
    const serviceClaims = {
      iss: services.issuer,
      aud: services.audiences[0],
      sub: "billing",
      iat: now - 5,
      exp: now + 300,
    };
    user = await mint(userKey, userClaims);
    forgedUser = await mint(attacker, { ...userClaims, sub: "admin" });
    service = await mint(serviceKey, serviceClaims);
    forgedService = await mint(attackerService, { ...serviceClaims, sub: "root" });
    login = await startIdp({
      path: new URL(users.remote_jwks.uri).pathname,
      jwks: jwksOf(userKey),
      tls: pki.serverCertificate(ca, tls.sni),
      cacheControl: "max-age=3600",
    });
    mesh = await startIdp({ path: services.remote_jwks.path, jwks: jwksOf(serviceKey), cacheControl: "max-age=3600" });
    upstream = await startUpstream();
    proxy = await startExample(
      EXAMPLE,
      {
        clusters: { backend: upstream, [users.remote_jwks.cluster]: login, [services.remote_jwks.cluster]: mesh },
        trustedCa: { [users.remote_jwks.cluster]: ca.certFile },
      },
      { concurrency: 1 },
    );
    port = Number(new URL(proxy.url).port);
    // The same example with the users provider also reading a cookie and a query parameter (the
    // shipped configuration reads headers only), to send cookie and parameter smuggling through Envoy.
    cookieProxy = await startExample(
      EXAMPLE,
      {
        clusters: { backend: upstream, [users.remote_jwks.cluster]: login, [services.remote_jwks.cluster]: mesh },
        trustedCa: { [users.remote_jwks.cluster]: ca.certFile },
        pluginConfiguration: withCookieAndParam(),
      },
      { concurrency: 1 },
    );
    cookiePort = Number(new URL(cookieProxy.url).port);
    // Warm both key sets: one request that needs each.
    expect(
      (
        await raw(port, "/admin/warm", [
          ["authorization", `Bearer ${user}`],
          [SERVICE_HEADER, service],
        ])
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await proxy?.envoy.stop();
    await cookieProxy?.envoy.stop();
    await login?.close();
    await mesh?.close();
    await upstream?.close();
    pki?.remove();
  });

  /** Sends and returns the answer and whether the upstream got anything. */
  async function attempt(path: string, headers: Array<[string, string]>, to = port) {
    const before = upstream.received.length;
    const answer = await raw(to, path, headers);
    return { ...answer, reached: upstream.received.slice(before) };
  }

  it.each([
    ["/public/../orders", []],
    ["/public/%2e%2e/orders", []],
    ["/public/.%2E/orders", []],
    ["//admin/x", [["authorization", "user"]]],
    ["/%61dmin/x", [["authorization", "user"]]],
    ["/public\\..\\admin/x", [["authorization", "user"]]],
    ["/public/..//admin/x", [["authorization", "user"]]],
  ] as Array<[string, Array<[string, string]>]>)(
    "%s is held to the rule of the path the upstream serves: 401",
    async (path, which) => {
      const headers = which.map(([n]): [string, string] => [n, `Bearer ${user}`]);
      const answer = await attempt(path, headers);
      expect(answer.status, path).toBe(401);
      expect(answer.reached).toEqual([]);
    },
  );

  it("encoded slashes never reach the filter or the upstream: Envoy answers 400", async () => {
    for (const path of ["/admin%2Fx", "/public%2F..%2Fadmin/x", "/public/..%5Cadmin/x"]) {
      const answer = await attempt(path, [
        ["authorization", `Bearer ${user}`],
        [SERVICE_HEADER, service],
      ]);
      expect(answer.status, path).toBe(400);
      expect(answer.reached).toEqual([]);
    }
  });

  it("with both tokens //admin/x passes, and the upstream gets /admin/x with no token left", async () => {
    const answer = await attempt("//admin/./x", [
      ["authorization", `Bearer ${user}`],
      [SERVICE_HEADER, service],
    ]);
    expect(answer.status).toBe(200);
    expect(answer.reached.map((r) => r.path)).toEqual(["/admin/x"]);
    const names = answer.reached[0]!.headers.map(([n]) => n);
    expect(names).not.toContain("authorization");
    expect(names).not.toContain(SERVICE_HEADER);
  });

  it("the path the rule was chosen for is the path the upstream gets (Envoy's order: dot segments, then slashes)", async () => {
    const answer = await attempt("/public//..//x", [["authorization", `Bearer ${user}`]]);
    expect(answer.status).toBe(200);
    expect(answer.reached.map((r) => r.path)).toEqual(["/public/x"]);
  });

  it("two service token headers, the first forged: 400 multiple_tokens, nothing upstream", async () => {
    const answer = await attempt("/orders", [
      [SERVICE_HEADER, forgedService],
      [SERVICE_HEADER, service],
    ]);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_request", reason: "multiple_tokens" });
    expect(answer.reached).toEqual([]);
  });

  it("two Authorization headers: Envoy joins them with a comma, the filter sees one malformed token: 401", async () => {
    for (const pair of [
      [user, forgedUser],
      [forgedUser, user],
    ]) {
      const answer = await attempt(
        "/orders",
        pair.map((t): [string, string] => ["authorization", `Bearer ${t}`]),
      );
      expect(answer.status).toBe(401);
      expect(JSON.parse(answer.body).error).toBe("invalid_token");
      expect(answer.reached).toEqual([]);
    }
  });

  it("a header spelled with _ (read as the token header by CGI-style upstreams) is refused by Envoy: 400", async () => {
    const answer = await attempt("/orders", [
      ["authorization", `Bearer ${user}`],
      [SERVICE_HEADER.replaceAll("-", "_"), forgedService],
    ]);
    expect(answer.status).toBe(400);
    expect(answer.reached).toEqual([]);
  });

  it("allow_missing on /public/: a forged user token beside a valid service token is 401, the valid one alone passes", async () => {
    const forged = await attempt("/public/a", [
      ["authorization", `Bearer ${forgedUser}`],
      [SERVICE_HEADER, service],
    ]);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).reason).toBe("signature_invalid");
    expect(forged.reached).toEqual([]);
    const alone = await attempt("/public/a", [[SERVICE_HEADER, service]]);
    expect(alone.status).toBe(200);
    expect(alone.reached[0]!.headers.map(([n]) => n)).not.toContain(SERVICE_HEADER);
  });

  it.each([
    ["two cookies of one name in one Cookie header", "/orders", [["cookie", "session=USER; session=FORGED"]]],
    [
      "two Cookie headers",
      "/orders",
      [
        ["cookie", "session=FORGED"],
        ["cookie", "a=1; session=USER"],
      ],
    ],
    ["a percent-encoded cookie name", "/orders", [["cookie", "sess%69on=FORGED; session=USER"]]],
    ["a query parameter given twice", "/orders?access_token=USER&access_token=FORGED", []],
    ["an encoded parameter name beside the plain one", "/orders?access%5Ftoken=FORGED&access_token=USER", []],
    ["a parameter and a cookie", "/orders?access_token=USER", [["cookie", "session=FORGED"]]],
    // Names PHP reads as the configured one (`.`, space, unmatched `[` as `_`; `name[]` replaces `name`).
    ["a parameter name PHP folds: access.token", "/orders?access_token=USER&access.token=FORGED", []],
    ["a parameter name PHP folds: access%20token", "/orders?access_token=USER&access%20token=FORGED", []],
    ["a parameter name PHP folds: access%5Btoken", "/orders?access_token=USER&access%5Btoken=FORGED", []],
    [
      "a cookie name PHP reads as an array replacing it: session[]",
      "/orders",
      [["cookie", "session=USER; session[]=FORGED"]],
    ],
  ] as Array<[string, string, Array<[string, string]>]>)(
    "%s (users reading a cookie and a parameter too): 400 multiple_tokens",
    async (_what, path, headers) => {
      const fill = (v: string) => v.replace("FORGED", forgedUser).replace("USER", user);
      const answer = await attempt(
        fill(path),
        headers.map(([n, v]) => [n, fill(v)]),
        cookiePort,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: "invalid_request", reason: "multiple_tokens" });
      expect(answer.reached).toEqual([]);
    },
  );

  it("one token at every place, percent-encoded in the query: passes, and the upstream gets none of it", async () => {
    const encoded = user.replaceAll(".", "%2E");
    const answer = await attempt(
      `/orders?x=1&access_token=${encoded}&access%5Ftoken=${user}`,
      [
        ["authorization", `Bearer ${user}`],
        ["cookie", `a=1; session=${user}`],
        ["cookie", `session="${user}"; b=2`],
      ],
      cookiePort,
    );
    expect(answer.status).toBe(200);
    expect(answer.reached).toHaveLength(1);
    const got = answer.reached[0]!;
    expect(got.path).toBe("/orders?x=1");
    expect(
      got.headers
        .filter(([n]) => n === "cookie")
        .map(([, v]) => v)
        .join("; "),
    ).toBe("a=1; b=2");
    expect(got.headers.map(([n]) => n)).not.toContain("authorization");
    expect(JSON.stringify(got.headers)).not.toContain(user.split(".")[2]!);
  });
});
