// SPDX-License-Identifier: Apache-2.0
// The `getwild` command: arguments, messages and exit codes in-process, then the built bin as a real process.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import http from "node:http";
import { runCli } from "../src/cli/command.js";
import { ExitCode } from "../src/cli/errors.js";
import { parseServeArgs } from "../src/cli/args.js";
import { fixturePath, packageRoot } from "./paths.js";

const FILTER = fixturePath("filter");

/** Runs the command in-process; `during` runs while the server is up (then it is stopped). */
async function cli(argv: string[], during?: (url: string) => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stopSignal: async (server) => {
      await during?.(server.url);
    },
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("getwild: arguments", () => {
  it("prints the usage for --help (exit 0) and without a command (exit 2)", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(ExitCode.Ok);
    expect(top.out).toMatch(/^Usage: getwild <command>/);
    for (const command of ["serve", "check", "oci", "token"])
      expect(top.out).toMatch(new RegExp(`^  ${command} `, "m"));
    for (const argv of [
      ["serve", "--help"],
      ["serve", "-h"],
    ]) {
      const r = await cli(argv);
      expect(r.code).toBe(ExitCode.Ok);
      expect(r.out).toMatch(/^Usage: getwild serve FILTER.wasm \[options\]/);
    }
    const none = await cli([]);
    expect(none.code).toBe(ExitCode.BadArguments);
    expect(none.err).toMatch(/^Usage:/);
    const unknown = await cli(["server"]);
    expect(unknown.code).toBe(ExitCode.BadArguments);
    expect(unknown.err).toMatch(/unknown command "server"/);
  });

  const bad: [string, string[], RegExp][] = [
    ["unknown option", ["--filtre", "f.wasm"], /Unknown option '--filtre'/],
    ["missing filter", [], /the filter is required: getwild serve FILTER.wasm/],
    ["value missing", ["--filter"], /--filter/],
    ["filter given twice", ["--filter", "f.wasm", "extra"], /give the filter once: "extra" and --filter f.wasm/],
    ["two positional filters", ["a.wasm", "b.wasm"], /one filter only; unexpected argument "b.wasm"/],
    [
      "http cluster off this machine",
      ["f", "--cluster", "idp=http://idp.example.com"],
      /--cluster idp: only loopback addresses/,
    ],
    [
      "ftp cluster",
      ["f", "--cluster", "idp=ftp://127.0.0.1/"],
      /--cluster idp: only http:\/\/ URLs are supported \(or https:\/\/\)/,
    ],
    [
      "dev IdP on a mapped cluster",
      ["f", "--cluster", "login=http://127.0.0.1:1", "--dev-idp", "login"],
      /cluster login is mapped twice/,
    ],
    ["dev IdP without a name", ["f", "--dev-idp", "a b"], /--dev-idp expects a cluster name, got "a b"/],
    ["admin port not a number", ["f", "--admin-port", "x"], /--admin-port must be an integer from 0 to 65535, got "x"/],
    ["port not a number", ["--filter", "f", "--port", "http"], /--port must be an integer from 0 to 65535, got "http"/],
    ["port too large", ["--filter", "f", "--port", "70000"], /--port must be an integer from 0 to 65535/],
    ["negative port", ["--filter", "f", "--port=-1"], /--port must be an integer/],
    ["zero workers", ["--filter", "f", "--workers", "0"], /--workers must be an integer from 1 to 64, got "0"/],
    [
      "remote upstream",
      ["--filter", "f", "--upstream", "http://example.com:8080"],
      /--upstream: only loopback addresses .* got "example.com"/,
    ],
    ["https upstream", ["--filter", "f", "--upstream", "https://127.0.0.1:8443"], /--upstream: only http:\/\/ URLs/],
    [
      "upstream not a URL",
      ["--filter", "f", "--upstream", "127.0.0.1:8080"],
      /--upstream: "127.0.0.1:8080" is not a URL|only http/,
    ],
    ["upstream with a query", ["--filter", "f", "--upstream", "http://127.0.0.1:1/?a=1"], /must not have a query/],
    ["cluster without a name", ["--filter", "f", "--cluster", "=http://127.0.0.1:1"], /--cluster expects NAME=URL/],
    ["cluster without URL", ["--filter", "f", "--cluster", "auth"], /--cluster expects NAME=URL, got "auth"/],
    [
      "remote cluster",
      ["--filter", "f", "--cluster", "auth=http://10.0.0.1:80"],
      /--cluster auth: only loopback addresses/,
    ],
    [
      "cluster twice",
      ["--filter", "f", "--cluster", "a=http://127.0.0.1:1", "--cluster", "a=http://127.0.0.1:2"],
      /--cluster a is given twice/,
    ],
    [
      "bad log level",
      ["--filter", "f", "--log-level", "verbose"],
      /--log-level must be one of trace, debug, info, warn, error, critical/,
    ],
    [
      "bad failure policy",
      ["--filter", "f", "--failure-policy", "FAIL_SOMETIMES"],
      /--failure-policy must be one of FAIL_CLOSED, FAIL_OPEN, FAIL_RELOAD/,
    ],
  ];
  it.each(bad)("refuses %s (exit 2)", async (_name, args, message) => {
    const r = await cli(["serve", ...args]);
    expect(r.code).toBe(ExitCode.BadArguments);
    expect(r.err).toMatch(/^getwild serve: error: /);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('Run "getwild serve --help"');
  });

  it("accepts loopback forms and fills defaults", () => {
    const o = parseServeArgs([
      "--filter",
      "f.wasm",
      "--upstream",
      "http://localhost:8080",
      "--cluster",
      "a=http://[::1]:9000/base",
      "--cluster",
      "b=http://127.1.2.3:1",
    ])!;
    expect(o).toMatchObject({
      filter: "f.wasm",
      rootId: "",
      port: 10000,
      workers: 1,
      logLevel: "info",
      failurePolicy: "FAIL_CLOSED",
      quiet: false,
    });
    expect(o.upstream?.href).toBe("http://localhost:8080/");
    expect([...o.clusters.keys()]).toEqual(["a", "b"]);
    expect(o).toMatchObject({ adminPort: 0, devIdpClusters: [], watch: false, vmId: "" });
    expect(parseServeArgs(["f.wasm", "--vm-id", "shared-vm"])!.vmId).toBe("shared-vm");
  });

  it("takes the filter as the first argument (like check and oci), https clusters on any host, dev IdP clusters", () => {
    const o = parseServeArgs([
      "f.wasm",
      "--cluster",
      "googleapis=https://www.googleapis.com",
      "--dev-idp",
      "login,mesh_ca",
      "--dev-idp",
      "x",
      "--admin-port",
      "off",
      "--watch",
    ])!;
    expect(o.filter).toBe("f.wasm");
    expect(o.clusters.get("googleapis")?.href).toBe("https://www.googleapis.com/");
    expect(o).toMatchObject({ devIdpClusters: ["login", "mesh_ca", "x"], adminPort: null, watch: true });
  });

  it("prints its version for --version", async () => {
    const r = await cli(["--version"]);
    expect(r.code).toBe(ExitCode.Ok);
    const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
    expect(r.out).toBe(`getwild ${version} (@getwild/host)`);
  });
});

describe("getwild check (wired to the deploy command)", () => {
  it("exits 0 for a module Envoy loads and 4 for one it refuses", async () => {
    const ok = await cli(["check", FILTER]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("OK: Envoy would load this module");
    const refused = await cli(["check", fixturePath("raw_bad_export")]);
    expect(refused.code).toBe(ExitCode.ModuleRefused);
  });
});

describe("getwild: failures and exit codes", () => {
  it("3 for a missing file, 4 for a module Envoy refuses, 5 for a rejected configuration, 6 for a busy port", async () => {
    const missing = await cli(["serve", "--filter", "/nonexistent.wasm"]);
    expect(missing).toMatchObject({ code: ExitCode.FileNotFound });
    expect(missing.err).toBe("getwild serve: error: filter /nonexistent.wasm: no such file");

    const refused = await cli(["serve", "--filter", fixturePath("raw_bad_import_type")]);
    expect(refused.code).toBe(ExitCode.ModuleRefused);
    expect(refused.err).toMatch(/Envoy would refuse .*raw_bad_import_type.wasm/);

    const config = join(mkdtempSync(join(tmpdir(), "getwild-cli-")), "config.txt");
    writeFileSync(config, "reject");
    const rejected = await cli(["serve", "--filter", FILTER, "--root-id", "test", "--config", config, "--quiet"]);
    expect(rejected.code).toBe(ExitCode.ConfigRejected);
    expect(rejected.err).toMatch(/the filter rejected the configuration in .*config.txt/);

    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = String((busy.address() as { port: number }).port);
    try {
      const inUse = await cli(["serve", "--filter", FILTER, "--root-id", "test", "--port", port, "--quiet"]);
      expect(inUse.code).toBe(ExitCode.PortUnavailable);
      expect(inUse.err).toBe(`getwild serve: error: cannot listen on 127.0.0.1:${port}: the port is already in use`);
    } finally {
      busy.close();
    }
  });

  it("serves until stopped, printing what it serves, then exits 0", async () => {
    let status = 0;
    const r = await cli(
      ["serve", "--filter", FILTER, "--root-id", "test", "--port", "0", "--cluster", "auth=http://127.0.0.1:9"],
      async (url) => {
        status = (await fetch(url, { headers: { "x-scenario": "deny" } })).status;
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(status).toBe(403);
    expect(r.out).toMatch(/getwild serve: filter .*filter.wasm \(root_id "test", 1 worker, config none\)/);
    expect(r.out).toMatch(/getwild serve: upstream: built-in echo at http:\/\/127.0.0.1:\d+/);
    expect(r.out).toContain("getwild serve: cluster auth -> http://127.0.0.1:9/");
    expect(r.out).toMatch(/getwild serve: listening on http:\/\/127.0.0.1:\d+ \(Ctrl-C to stop\)/);
    expect(r.out).toMatch(/GET \/ -> 403 access__denied_now \d+ms/);
  });
});

describe("getwild: the built bin", () => {
  const bin = join(packageRoot, "dist", "cli.js");
  beforeAll(() => {
    // The bin is the tsup build of src/ (pnpm test builds first). Built here only when missing: a
    // rebuild would empty dist/ under the other suites that run the bin at the same time.
    if (!existsSync(bin)) {
      execFileSync(process.execPath, [join(packageRoot, "node_modules", "tsup", "dist", "cli-default.js")], {
        cwd: packageRoot,
        stdio: "ignore",
      });
    }
  });

  const run = (args: string[], whileUp?: (url: string) => Promise<void>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
        const m = /listening on (http:\/\/\S+)/.exec(stdout);
        if (m && whileUp) {
          const task = whileUp;
          whileUp = undefined;
          void task(m[1]!).finally(() => child.kill("SIGTERM"));
        }
      });
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });

  it("starts with a shebang and exits with the documented codes", async () => {
    const missing = await run(["serve", "--filter", "nope.wasm"]);
    expect(missing.code).toBe(ExitCode.FileNotFound);
    expect(missing.stderr).toContain("getwild serve: error: filter nope.wasm: no such file");
    const badArgs = await run(["serve", "--port", "1"]);
    expect(badArgs.code).toBe(ExitCode.BadArguments);
  });

  it("serves real HTTP until SIGTERM, printing filter logs with level and plugin name", async () => {
    let body = "";
    const r = await run(["serve", "--filter", FILTER, "--root-id", "test", "--port", "0"], async (url) => {
      body = await (await fetch(`${url}/x`, { method: "POST", body: "ping" })).text();
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(body)).toMatchObject({ method: "POST", path: "/x", body: "ping" });
    expect(r.stdout).toMatch(/^\[info\] wasm log test \(worker 0\): request_headers n=\d+ eos=0 path=\/x$/m);
    expect(r.stdout).toMatch(/^POST \/x -> 200 via_upstream \d+ms$/m);
  });
});
