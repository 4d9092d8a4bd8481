// SPDX-License-Identifier: Apache-2.0
// One exit-code table for every getwild command: the README documents exactly ExitCode, and the
// commands that return codes (check, oci, init, token, serve) answer from it.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ExitCode } from "../src/cli/errors.js";
import * as deploy from "../src/cli/deploy/index.js";
import { runCli } from "../src/cli/command.js";

const README = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");

async function exitOf(argv: string[]): Promise<number> {
  return runCli(argv, { out: () => undefined, err: () => undefined, stopSignal: async () => undefined });
}

describe("exit codes", () => {
  it("the README's table lists exactly the ExitCode table, with the same numbers", () => {
    const section = README.slice(README.indexOf("### Exit codes"));
    const rows = [...section.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [m[2], Number(m[1])]);
    expect(rows).toEqual(Object.entries(ExitCode));
  });

  it("the deploy tools answer from the same table", () => {
    expect(deploy.ExitCode).toBe(ExitCode);
  });

  it("each command's bad arguments are 2, a missing file 3, help 0", async () => {
    for (const command of ["serve", "check", "oci", "token", "init"]) {
      expect(await exitOf([command, "--no-such-option"]), command).toBe(ExitCode.BadArguments);
      expect(await exitOf([command, "--help"]), command).toBe(ExitCode.Ok);
    }
    for (const argv of [
      ["serve", "/nonexistent/f.wasm"],
      ["check", "/nonexistent/f.wasm"],
      ["oci", "/nonexistent/f.wasm", "-o", "/tmp/x.tar"],
      ["token", "/nonexistent/c.json"],
    ]) {
      expect(await exitOf(argv), argv.join(" ")).toBe(ExitCode.FileNotFound);
    }
  });
});
