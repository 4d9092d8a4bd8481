// SPDX-License-Identifier: Apache-2.0
// `pnpm start` end to end: scripts/start.mjs serves the built examples with the built `getwild` bin on real ports.
import { describe, it, expect, beforeAll } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
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
    const child = spawn(process.execPath, [startScript, ...args], { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
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
    // pnpm start builds everything first; when this suite runs alone, build what it serves.
    if (!existsSync(join(packageRoot, "dist", "cli.js"))) {
      execFileSync(process.execPath, [join(packageRoot, "node_modules", "tsup", "dist", "cli-default.js")], { cwd: packageRoot, stdio: "ignore" });
    }
    if (!existsSync(join(getwildExample, "build", "filter.wasm"))) {
      const asc = join(getwildExample, "node_modules", "assemblyscript", "bin", "asc.js");
      execFileSync(process.execPath, [asc, "--target", "release"], { cwd: getwildExample, stdio: "ignore" });
    }
  });

  it("--smoke serves the examples, sends the curl requests itself and exits 0", async () => {
    const r = await runStart(["--smoke", "--port", "0"], envWithout("CI"));
    expect(r.output).toMatch(/smoke ok {3}getwild {4}GET {2}\/ -> 418 from the filter/);
    expect(r.output).toMatch(/smoke ok {3}getwild {4}POST \/ -> 200 from the echo upstream/);
    expect(r.output).toMatch(/curl -i localhost:\d+\/ +# 418 I'm a teapot/);
    expect(r.output).toContain("smoke: all checks passed");
    expect(r.code).toBe(0);
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
      expect(r.output).toMatch(new RegExp(`start: getwild could not be served: .*127.0.0.1:${port}: the port is already in use`));
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
