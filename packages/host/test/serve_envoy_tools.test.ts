// SPDX-License-Identifier: Apache-2.0
// `getwild serve --envoy` with serve's tools: --dev-idp and a minted token through the jwt-authn example,
// the admin listener (Envoy's own, with the filter's metrics), a --root-id the module never registered,
// --watch (a new Envoy on the same port; a refused reload keeps the previous module), and the built bin
// stopping Envoy on SIGINT and SIGTERM.
import { describe, it, expect, beforeAll } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode } from "../src/cli/errors.js";
import { loadDevKeys } from "../src/cli/dev_keys.js";
import { mintToken } from "../src/cli/token.js";
import { ENVOY, cleanups, example, exampleDir, freePort, serveEnvoy, until } from "./serve_envoy_helpers.js";
import { fixtureOutDir, fixturePath, packageRoot } from "./paths.js";
import { buildFilter } from "../src/build_filter.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "getwild-envoy-tools-"));

describe.skipIf(ENVOY === "")("getwild serve --envoy with serve's tools", () => {
  beforeAll(() => {
    // The example's release module (pnpm test builds it; built here when this file runs alone).
    const dir = exampleDir("jwt-authn");
    if (!existsSync(example("jwt-authn"))) {
      execFileSync(
        process.execPath,
        [join(dir, "node_modules", "assemblyscript", "bin", "asc.js"), "--target", "release"],
        { cwd: dir, stdio: "ignore" },
      );
    }
  });

  it("jwt-authn with --dev-idp: a minted token reaches the upstream with its claims, no token gets 401; the keys are fetched from the dev IdP", async () => {
    const keyFile = join(tempDir(), "keys.json");
    const config = join(exampleDir("jwt-authn"), "plugin-config.json");
    const token = mintToken(readFileSync(config, "utf8"), loadDevKeys(keyFile), { subject: "carol" }).token;
    const r = await serveEnvoy(
      [
        "--filter",
        example("jwt-authn"),
        "--root-id",
        "jwt-authn",
        "--config",
        config,
        "--dev-idp",
        "login,mesh_ca",
        "--dev-key",
        keyFile,
        "--port",
        "0",
        "--quiet",
      ],
      async (url) => {
        const none = await fetch(`${url}/orders`);
        expect(none.status).toBe(401);
        expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
        const ok = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
        expect(ok.status).toBe(200);
        const echoed = (await ok.json()) as { headers: Record<string, string> };
        expect(echoed.headers["x-user-id"]).toBe("carol");
        expect(echoed.headers.authorization).toBeUndefined();
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out.join("\n")).toMatch(
      /^getwild serve: dev IdP \(development keys, for local testing only\): JWKS at http:\/\/127\.0\.0\.1:\d+ for cluster login, mesh_ca/m,
    );
    expect(r.err).toEqual([]);
  });

  it("names a configuration's unmapped clusters at start, as serve does", async () => {
    const r = await serveEnvoy([
      "--filter",
      example("jwt-authn"),
      "--root-id",
      "jwt-authn",
      "--config",
      join(exampleDir("jwt-authn"), "plugin-config.json"),
      "--port",
      "0",
      "--quiet",
    ]);
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.err.join("\n")).toContain(
      `the configuration names cluster "login", which is not mapped: pass --cluster login=URL`,
    );
    expect(r.err.join("\n")).toContain("or --dev-idp mesh_ca");
  });

  it("--admin-port: Envoy's admin on that port, with the filter's metrics in /stats (and --workers as Envoy's concurrency); off: no admin line", async () => {
    const adminPort = await freePort();
    const r = await serveEnvoy(
      [
        "--filter",
        fixturePath("filter"),
        "--root-id",
        "test",
        "--port",
        "0",
        "--admin-port",
        String(adminPort),
        "--workers",
        "2",
        "--quiet",
      ],
      async (url) => {
        await fetch(`${url}/`);
        await fetch(`${url}/`);
        const stats = await (await fetch(`http://127.0.0.1:${adminPort}/stats`)).text();
        // Envoy names a filter's metrics with a `wasmcustom.` prefix.
        expect(stats).toMatch(/^wasmcustom\.requests_total: 2$/m);
        // --workers is Envoy's --concurrency.
        expect(stats).toMatch(/^server\.concurrency: 2$/m);
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    expect(r.out).toContain(
      `getwild serve: admin: http://127.0.0.1:${adminPort}/stats (Envoy's stats, the filter's metrics among them)`,
    );
    const off = await serveEnvoy([
      "--filter",
      fixturePath("filter"),
      "--root-id",
      "test",
      "--port",
      "0",
      "--admin-port",
      "off",
      "--quiet",
    ]);
    expect(off.code).toBe(ExitCode.Ok);
    expect(off.out.some((l) => l.includes("admin:"))).toBe(false);
  });

  it("a --root-id the module never registered: exit 5 with the root ids it did register", async () => {
    const r = await serveEnvoy(["--filter", example("hello"), "--root-id", "helo", "--port", "0", "--quiet"]);
    expect(r.code).toBe(ExitCode.ConfigRejected);
    expect(r.err.join("\n")).toMatch(
      /--root-id "helo" matches no root context; the module registered "hello": pass --root-id hello/,
    );
  });

  it("--watch: a changed configuration starts a new Envoy on the same port; one the filter rejects leaves the previous one serving", async () => {
    const dir = tempDir();
    const filter = join(dir, "filter.wasm");
    const config = join(dir, "config.txt");
    copyFileSync(fixturePath("filter"), filter);
    writeFileSync(config, "first");
    const r = await serveEnvoy(
      ["--filter", filter, "--root-id", "test", "--config", config, "--port", "0", "--watch"],
      async (url, run) => {
        expect((await fetch(`${url}/`)).status).toBe(200);
        writeFileSync(config, "second");
        await until(() => run.out.some((l) => l.startsWith("getwild serve: watch: reloaded")), "the reload");
        expect(run.out).toContain("[info] wasm log test (main): configure config=second");
        expect((await fetch(`${url}/`)).status).toBe(200);
        writeFileSync(config, "reject");
        await until(
          () => run.out.some((l) => l.startsWith("getwild serve: watch: not reloaded")),
          "the refused reload",
        );
        const refusal = run.out.find((l) => l.startsWith("getwild serve: watch: not reloaded"))!;
        expect(refusal).toMatch(
          /still serving the previous module: the filter rejected the configuration in .*config.txt in Envoy/,
        );
        expect((await fetch(`${url}/`)).status).toBe(200);
      },
    );
    expect(r.code).toBe(ExitCode.Ok);
    // The previous module and configuration ("second") were started again after the refusal.
    const configured = r.out.filter((l) => l.startsWith("[info] wasm log test (main): configure config="));
    expect(configured.at(-1)).toBe("[info] wasm log test (main): configure config=second");
  });

  it("--failure-policy reaches Envoy: after a trap FAIL_CLOSED keeps answering 503, FAIL_OPEN lets requests pass; Envoy's error is printed", async () => {
    // Envoy prints an in-VM backtrace only for a module with a name section, which the release-flag
    // fixtures drop: the test filter's debug build (core's asconfig debug target) keeps it.
    const [named] = await buildFilter({
      cwd: packageRoot,
      entry: join("test", "fixtures", "filter.ts"),
      outFile: join(fixtureOutDir, "filter_named.wasm"),
      asconfig: "../core/asconfig.base.json",
      targets: ["debug"],
      use: ["abort=../core/assembly/abort/coreAbort"],
    });
    const trap = { headers: { "x-scenario": "trap" } };
    const closed = await serveEnvoy(["--filter", named!, "--root-id", "test", "--port", "0"], async (url, run) => {
      expect((await fetch(`${url}/`, trap)).status).toBe(503);
      expect((await fetch(`${url}/`)).status).toBe(503);
      await until(() => run.out.filter((l) => /^GET \/ -> 503 /.test(l)).length === 2, "two 503 access-log lines");
    });
    expect(closed.code).toBe(ExitCode.Ok);
    expect(closed.out.filter((l) => l.startsWith("GET / -> "))).toEqual([
      expect.stringMatching(/ wasm_fail_stream \d+ms$/),
      expect.stringMatching(/ wasm_fail_stream \d+ms$/),
    ]);
    // Envoy's own line about the trap, marked as Envoy's, on stderr, with the lines of its backtrace under it.
    expect(closed.err[0]).toBe(
      "[error] envoy wasm: Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable",
    );
    expect(closed.err).toContain("Proxy-Wasm plugin in-VM backtrace:");
    const open = await serveEnvoy(
      [
        "--filter",
        fixturePath("filter"),
        "--root-id",
        "test",
        "--port",
        "0",
        "--failure-policy",
        "FAIL_OPEN",
        "--quiet",
      ],
      async (url) => {
        expect((await fetch(`${url}/`, trap)).status).toBe(503);
        const after = await fetch(`${url}/`);
        expect(after.status).toBe(200);
        expect(after.headers.get("x-echo-upstream")).toBe("getwild");
      },
    );
    expect(open.code).toBe(ExitCode.Ok);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`the built bin stops Envoy on ${signal} and exits 0`, async () => {
      const bin = join(packageRoot, "dist", "cli.js");
      const child = spawn(
        process.execPath,
        [bin, "serve", "--envoy", "--filter", example("hello"), "--root-id", "hello", "--port", "0"],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      cleanups.push(() => void (child.exitCode === null && child.kill("SIGKILL")));
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await until(() => /listening on http:/.test(stdout) || child.exitCode !== null, "the listening line");
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      const admin = /admin: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
      expect((await fetch(`${url}/`)).headers.get("hello")).toBe("world");
      child.kill(signal);
      expect(await exited).toBe(0);
      // Envoy is gone with it: neither its listener nor its admin answers.
      await expect(fetch(`${url}/`)).rejects.toThrow();
      await expect(fetch(`${admin}/ready`)).rejects.toThrow();
    });
  }
});
