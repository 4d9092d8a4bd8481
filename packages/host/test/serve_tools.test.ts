// SPDX-License-Identifier: Apache-2.0
// `getwild serve` around the filter: a wrong --root-id names the registered ones, /stats on the admin
// listener, --watch reloads a changed module, https:// clusters with a verified certificate.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import { runCli } from "../src/cli/command.js";
import { ExitCode } from "../src/cli/errors.js";
import { registeredRootIds, stringLiterals } from "../src/root_ids.js";
import { loadDevKeys, devJwks } from "../src/cli/dev_keys.js";
import { mintToken } from "../src/cli/token.js";
import { start, cleanups, waitFor } from "./serve_helpers.js";
import { fixturePath, packageRoot } from "./paths.js";

const FILTER = fixturePath("filter");
const repoRoot = join(packageRoot, "..", "..");
const JWT_AUTHN = join(repoRoot, "examples", "jwt-authn");
const GETWILD = join(repoRoot, "examples", "getwild");

beforeAll(() => {
  for (const dir of [JWT_AUTHN, GETWILD]) {
    if (!existsSync(join(dir, "build", "filter.wasm"))) {
      execFileSync(
        process.execPath,
        [join(dir, "node_modules", "assemblyscript", "bin", "asc.js"), "--target", "release"],
        { cwd: dir, stdio: "ignore" },
      );
    }
  }
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), stopSignal: async () => {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("a wrong --root-id", () => {
  it("is reported with the root ids the module registered (found by offering its string literals)", async () => {
    const r = await cli(["serve", FILTER, "--root-id", "tset", "--port", "0", "--quiet"]);
    expect(r.code).toBe(ExitCode.ConfigRejected);
    expect(r.err).toContain(
      'getwild serve: error: --root-id "tset" matches no root context; the module registered "test": pass --root-id test',
    );
    const jwt = await cli(["serve", join(JWT_AUTHN, "build", "filter.wasm"), "--port", "0", "--quiet"]);
    expect(jwt.code).toBe(ExitCode.ConfigRejected);
    expect(jwt.err).toContain(
      '--root-id "" matches no root context; the module registered "jwt-authn": pass --root-id jwt-authn',
    );
  });

  it("probing finds exactly the registered ids among the literals", () => {
    const wasm = new Uint8Array(readFileSync(join(GETWILD, "build", "filter.wasm")));
    expect(stringLiterals(wasm).length).toBeGreaterThan(5);
    expect(registeredRootIds(wasm, undefined)).toEqual(["getwild"]);
  });

  it("a configuration the filter refuses is still reported as such, not as a root id problem", async () => {
    const config = join(mkdtempSync(join(tmpdir(), "getwild-cfg-")), "bad.json");
    writeFileSync(config, '{"providers": {}}');
    const r = await cli([
      "serve",
      join(JWT_AUTHN, "build", "filter.wasm"),
      "--root-id",
      "jwt-authn",
      "--config",
      config,
      "--port",
      "0",
      "--quiet",
    ]);
    expect(r.code).toBe(ExitCode.ConfigRejected);
    expect(r.err).toMatch(/the filter rejected the configuration in .*bad.json \(see its log above\)/);
    expect(r.err).not.toContain("matches no root context");
  });
});

describe("the admin listener", () => {
  it("serves the filter's metrics at /stats (text, JSON, filtered) on its own port", async () => {
    const server = await start({ adminPort: 0 });
    expect(server.admin).not.toBeNull();
    expect(server.admin!.port).not.toBe(server.port);
    await fetch(`${server.url}/a`);
    await fetch(`${server.url}/b`);
    const requests = server.host.metric("requests_total");
    expect(requests).toBeGreaterThan(0);
    const text = await (await fetch(`${server.admin!.url}/stats`)).text();
    expect(text).toContain(`requests_total: ${requests}\n`);
    const json = (await (await fetch(`${server.admin!.url}/stats?format=json&filter=^requests_total$`)).json()) as {
      stats: unknown[];
    };
    expect(json.stats).toEqual([{ name: "requests_total", value: requests }]);
    expect((await fetch(`${server.admin!.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.admin!.url}/stats?filter=(`)).status).toBe(400);
    // The proxy's own port still goes to the filter: /stats there is an ordinary request.
    expect((await fetch(`${server.url}/stats`)).headers.get("x-echo-upstream")).toBe("getwild");
  });
});

describe("--watch", () => {
  it("reloads a rebuilt .wasm (replaced file) and keeps the old one when the new one is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "getwild-watch-"));
    const wasm = join(dir, "filter.wasm");
    copyFileSync(join(GETWILD, "build", "filter.wasm"), wasm);
    const said: string[] = [];
    const { serve } = await import("../src/cli/serve.js");
    const { options } = await import("./serve_helpers.js");
    const server = await serve(options({ filter: wasm, rootId: "getwild", watch: true }), {
      accessLog: null,
      filterLog: null,
      say: (l) => said.push(l),
    });
    cleanups.push(() => server.close());
    expect((await fetch(`${server.url}/`)).status).toBe(418);
    // A compiler writes a new file and renames it over the old one.
    copyFileSync(FILTER, join(dir, "next.tmp"));
    renameSync(join(dir, "next.tmp"), wasm);
    await waitFor(() => said.some((l) => /watch: (reloaded|not reloaded)/.test(l)));
    // The fixture registers "test" only: the reload is refused, the Get Wild module keeps serving.
    expect(said.join("\n")).toContain(
      'watch: not reloaded, still serving the previous module: --root-id "getwild" matches no root context',
    );
    expect((await fetch(`${server.url}/`)).status).toBe(418);
    said.length = 0;
    copyFileSync(join(GETWILD, "build", "filter.wasm"), join(dir, "next.tmp"));
    renameSync(join(dir, "next.tmp"), wasm);
    await waitFor(() => said.some((l) => /watch: reloaded/.test(l)));
    expect((await fetch(`${server.url}/`)).status).toBe(418);
  });

  it("runs the filter package's build when its assembly/ sources change, then serves the new module", async () => {
    // A package whose "build" copies the module named in assembly/which.txt to build/filter.wasm.
    const pkg = mkdtempSync(join(tmpdir(), "getwild-watch-pkg-"));
    mkdirSync(join(pkg, "assembly"));
    mkdirSync(join(pkg, "build"));
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "w", private: true, scripts: { build: "node build.mjs" } }),
    );
    writeFileSync(
      join(pkg, "build.mjs"),
      'import { copyFileSync, readFileSync } from "node:fs";\ncopyFileSync(readFileSync("assembly/which.txt", "utf8").trim(), "build/filter.wasm");\n',
    );
    writeFileSync(join(pkg, "assembly", "which.txt"), join(GETWILD, "build", "filter.wasm"));
    execFileSync("npm", ["run", "build", "--silent"], { cwd: pkg });
    const said: string[] = [];
    const { serve } = await import("../src/cli/serve.js");
    const { options } = await import("./serve_helpers.js");
    const server = await serve(options({ filter: join(pkg, "build", "filter.wasm"), rootId: "getwild", watch: true }), {
      accessLog: null,
      filterLog: null,
      say: (l) => said.push(l),
    });
    cleanups.push(() => server.close());
    expect(server.watching?.buildPackage).toBe(pkg);
    expect((await fetch(`${server.url}/`)).status).toBe(418);
    // The "new build": the same module with its art saying KETTLE instead of TEAPOT (a literal is
    // stored as UTF-8 by core's literal pool, as UTF-16 in a build without it).
    const original = readFileSync(join(GETWILD, "build", "filter.wasm"));
    const encoding = original.includes(Buffer.from("TEAPOT", "utf8")) ? "utf8" : "utf16le";
    const at = original.indexOf(Buffer.from("TEAPOT", encoding));
    expect(at).toBeGreaterThan(0);
    const kettle = Buffer.from(original);
    kettle.write("KETTLE", at, encoding);
    writeFileSync(join(pkg, "kettle.wasm"), kettle);
    expect(await (await fetch(`${server.url}/`)).text()).toContain("TEAPOT");
    writeFileSync(join(pkg, "assembly", "which.txt"), join(pkg, "kettle.wasm"));
    await waitFor(() => said.some((l) => /watch: (reloaded|not reloaded)/.test(l)), 20_000);
    expect(said.join("\n")).toContain('watch: sources changed, running "npm run build"');
    expect(said.join("\n")).toContain("watch: build done");
    expect(said.join("\n")).toContain("watch: reloaded");
    const body = await (await fetch(`${server.url}/`)).text();
    expect(body).toContain("KETTLE");
    expect(body).not.toContain("TEAPOT");
  });

  it("reload() swaps the VMs: new requests see a new host", async () => {
    const server = await start({ rootId: "test" });
    const before = server.host;
    await server.reload();
    expect(server.host).not.toBe(before);
    expect((await fetch(`${server.url}/x`)).status).toBe(200);
  });
});

/** A self-signed certificate for DNS:localhost made with the openssl CLI (null when it cannot run). */
function selfSigned(dir: string): { cert: string; key: string; certFile: string } | null {
  const r = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-keyout",
      "key.pem",
      "-out",
      "cert.pem",
    ],
    { cwd: dir },
  );
  if (r.error || r.status !== 0) return null;
  return {
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    certFile: join(dir, "cert.pem"),
  };
}

describe("https:// clusters", () => {
  it("fetch the JWKS over TLS with the certificate verified (--ca), and fail closed without it", async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "getwild-tls-"));
    const tls = selfSigned(dir);
    if (!tls) return ctx.skip();
    const keyFile = join(dir, "keys.json");
    const keys = loadDevKeys(keyFile);
    const seen: { host?: string; path?: string; servername?: string }[] = [];
    const idp = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      seen.push({
        host: req.headers.host,
        path: req.url,
        servername: (req.socket as { servername?: string }).servername,
      });
      res.writeHead(200, { "content-type": "application/json" }).end(devJwks(keys));
    });
    await new Promise<void>((r) => idp.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise((r) => (idp.closeAllConnections(), idp.close(() => r()))));
    const login = new URL(`https://localhost:${(idp.address() as AddressInfo).port}`);
    const config = readFileSync(join(JWT_AUTHN, "plugin-config.json"), "utf8");
    const token = `Bearer ${mintToken(config, keys).token}`;
    const serveWith = (caFile?: string) =>
      start({
        filter: join(JWT_AUTHN, "build", "filter.wasm"),
        config: join(JWT_AUTHN, "plugin-config.json"),
        rootId: "jwt-authn",
        clusters: new Map([["login", login]]),
        caFile,
        devIdpClusters: ["mesh_ca"],
        devKeyFile: keyFile,
      });
    const trusted = await serveWith(tls.certFile);
    expect((await fetch(`${trusted.url}/`, { headers: { authorization: token } })).status).toBe(200);
    // SNI is the URL's host; Host and path are the filter's (:authority and :path of its call).
    expect(seen[0]).toEqual({ host: "login.example.com", path: "/.well-known/jwks.json", servername: "localhost" });
    const untrusted = await serveWith();
    expect((await fetch(`${untrusted.url}/`, { headers: { authorization: token } })).status).toBe(401);
    expect(untrusted.host.metric("jwt_authn.jwks_fetch_failed")).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
  });
});
