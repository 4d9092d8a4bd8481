// SPDX-License-Identifier: Apache-2.0
// `pnpm start` end to end: scripts/start.mjs serves the built examples with the built `getwild` bin on real ports.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import http from "node:http";
import { packageRoot } from "./paths.js";

const repoRoot = join(packageRoot, "..", "..");
const startScript = join(repoRoot, "scripts", "start.mjs");
const getwildExample = join(repoRoot, "examples", "getwild");

interface Run {
  code: number | null;
  output: string;
}

/** Runs start.mjs; `whileUp(output)` runs once the banner is printed, then the script gets SIGTERM. */
function runStart(args: string[], env: NodeJS.ProcessEnv, whileUp?: (output: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [startScript, ...args], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (d: Buffer) => {
      output += d;
      if (whileUp && output.includes("Press Ctrl-C to stop.")) {
        const task = whileUp;
        whileUp = undefined;
        void task(output).finally(() => child.kill("SIGTERM"));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** The environment without CI, so the script runs interactively unless told otherwise. */
function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}

describe("scripts/start.mjs", () => {
  beforeAll(() => {
    // pnpm start builds what it serves first; when this suite runs alone, build what it checks.
    if (!existsSync(join(packageRoot, "dist", "cli.js"))) {
      execFileSync(process.execPath, [join(packageRoot, "node_modules", "tsup", "dist", "cli-default.js")], {
        cwd: packageRoot,
        stdio: "ignore",
      });
    }
    for (const dir of [
      getwildExample,
      join(repoRoot, "examples", "jwt-authn"),
      join(repoRoot, "examples", "firebase-jwt"),
    ]) {
      if (!existsSync(join(dir, "build", "filter.wasm"))) {
        const asc = join(dir, "node_modules", "assemblyscript", "bin", "asc.js");
        execFileSync(process.execPath, [asc, "--target", "release"], { cwd: dir, stdio: "ignore" });
      }
    }
  });

  it("--smoke serves the examples, sends the curl requests itself and exits 0", async () => {
    const r = await runStart(["--smoke", "--port", "0"], envWithout("CI"));
    expect(r.output).toMatch(/smoke ok {3}getwild +GET {2}\/ -> 418 from the filter/);
    expect(r.output).toMatch(/smoke ok {3}getwild +POST \/ -> 200 from the echo upstream/);
    expect(r.output).toMatch(/curl -i localhost:\d+\/ +# 418 I'm a teapot/);
    // The JWT examples: a token from the dev IdP's key gets 200 (each provider), none or a tampered one 401.
    for (const line of [
      "jwt-authn    GET  / with a users token -> 200",
      "jwt-authn    GET  / with a services token -> 200",
      "jwt-authn    GET  / without a token -> 401",
      "jwt-authn    GET  / with a tampered token -> 401",
      "firebase-jwt GET  / with a firebase token -> 200",
      "firebase-jwt GET  / without a token -> 401",
    ]) {
      expect(r.output).toContain(`smoke ok   ${line}`);
    }
    expect(r.output).not.toContain("smoke FAIL");
    expect(r.output).toContain("smoke: all checks passed");
    expect(r.code).toBe(0);
  });

  it("prints a ready curl line with a valid token for each JWT example, and one that gets 401", async () => {
    const statuses: Record<string, number[]> = {};
    const r = await runStart(["--port", "0"], envWithout("CI"), async (output) => {
      for (const name of ["jwt-authn", "firebase-jwt"]) {
        const section = output.slice(output.indexOf(`  ${name}: `));
        const port = /http:\/\/127\.0\.0\.1:(\d+)/.exec(section)![1];
        const withToken = new RegExp(`curl -i -H '(authorization): (Bearer [\\w.-]+)' localhost:${port}/`).exec(
          section,
        )!;
        const ok = await fetch(`http://localhost:${port}/`, { headers: { [withToken[1]!]: withToken[2]! } });
        expect(section).toMatch(new RegExp(`curl -i localhost:${port}/ +# 401`));
        const none = await fetch(`http://localhost:${port}/`);
        statuses[name] = [ok.status, none.status];
      }
    });
    expect(statuses).toEqual({ "jwt-authn": [200, 401], "firebase-jwt": [200, 401] });
    expect(r.code).toBe(0);
  });

  it("the README's port list is what pnpm start serves", async () => {
    const plan = execFileSync(process.execPath, [startScript, "--list"], { cwd: repoRoot, encoding: "utf8" });
    const served = plan
      .trim()
      .split("\n")
      .map((l) => l.split(" "))
      .map(([port, name]) => [Number(port), name]);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    // The README's block after "pnpm start prints": one `localhost:PORT/ ... # NAME...` line per example.
    const listed = new Map<number, string>();
    for (const m of readme.matchAll(/localhost:(100\d\d)\/\S*\s+# ([\w-]+)/g))
      if (!listed.has(Number(m[1]))) listed.set(Number(m[1]), m[2]!);
    const names = (n: string) => (n === "Get" ? "getwild" : n);
    expect([...listed].map(([port, name]) => [port, names(name)])).toEqual(served);
  });

  it("Ctrl-C (SIGINT to the whole process group) stops everything without 'stopped unexpectedly' lines", async () => {
    const child = spawn(process.execPath, [startScript, "--port", "0"], {
      cwd: repoRoot,
      env: envWithout("CI"),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const onData = (d: Buffer) => {
        output += d;
        if (output.includes("Press Ctrl-C to stop.")) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
    });
    // What a terminal does on Ctrl-C: the signal goes to the script and every server it started.
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(output).not.toContain("stopped unexpectedly");
  });

  it("CI=true means smoke mode", async () => {
    const r = await runStart(["--port", "0"], { ...process.env, CI: "true" });
    expect(r.output).toContain("smoke: all checks passed");
    expect(r.code).toBe(0);
  });

  it("interactively serves Get Wild on the printed port until stopped", async () => {
    let teapot = { status: 0, poweredBy: "", body: "" };
    let echo: { method?: string; body?: string } = {};
    const r = await runStart(["--port", "0"], envWithout("CI"), async (output) => {
      const port = /curl -i localhost:(\d+)\/ +# 418/.exec(output)![1];
      const get = await fetch(`http://localhost:${port}/`);
      teapot = { status: get.status, poweredBy: get.headers.get("powered-by") ?? "", body: await get.text() };
      echo = await (await fetch(`http://localhost:${port}/`, { method: "POST", body: "hi" })).json();
    });
    expect(teapot.status).toBe(418);
    expect(teapot.poweredBy).toBe("getwild");
    expect(teapot.body).toMatch(/I'M A/);
    expect(echo).toMatchObject({ method: "POST", body: "hi" });
    expect(r.output).not.toContain("smoke");
    expect(r.code).toBe(0);
  });

  it("exits 1 with the reason when the Get Wild server cannot start", async () => {
    const busy = http.createServer();
    await new Promise<void>((res) => busy.listen(0, "127.0.0.1", res));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runStart(["--smoke", "--port", String(port)], envWithout("CI"));
      expect(r.code).toBe(1);
      expect(r.output).toMatch(
        new RegExp(`start: getwild could not be served: .*127.0.0.1:${port}: the port is already in use`),
      );
    } finally {
      busy.close();
    }
  });

  it("refuses unknown arguments (exit 2)", async () => {
    const r = await runStart(["--bogus"], envWithout("CI"));
    expect(r.code).toBe(2);
    expect(r.output).toContain('unknown or incomplete argument "--bogus"');
  });
});
