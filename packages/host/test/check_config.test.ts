// SPDX-License-Identifier: Apache-2.0
// `getwild check FILTER.wasm --config FILE`: the filter's own proxy_on_configure judges the file, as
// Envoy's canary VM does; the verdict, the filter's log lines and the exit code (5 when refused).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCheck, type CommandIo } from "../src/cli/deploy/index.js";
import { FILTER } from "./helpers.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "getwild-check-config-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture's onConfigure returns false for "reject" and traps for "trap"; it logs what it got. */
async function check(config: string | null, ...extra: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CommandIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
  const args = [FILTER, ...extra];
  if (config !== null) {
    const file = join(dir, `${config}.txt`);
    writeFileSync(file, config);
    args.push("--config", file);
  }
  const code = await runCheck(args, io);
  return { code, out: stdout.join("\n"), err: stderr.join("\n") };
}

describe("getwild check --config", () => {
  it("runs the filter's configure on the file: accepted, with what the filter logged", async () => {
    const r = await check("fine", "--root-id", "test");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("OK: Envoy would load this module");
    expect(r.out).toMatch(
      /config .*fine\.txt \(root_id "test"\):\n(?: {2}\[info\] .*\n)* {2}\[info\] configure config=fine\nOK: the filter accepted this configuration$/,
    );
  });

  it("exits 5 and says REFUSED when proxy_on_configure returns false", async () => {
    const r = await check("reject", "--root-id", "test");
    expect(r.code).toBe(5);
    expect(r.out).toContain("[info] configure config=reject");
    expect(r.out).toMatch(/REFUSED: .*proxy_on_configure returned false/);
  });

  it("exits 5 when configure traps, with the trap's message", async () => {
    const r = await check("trap", "--root-id", "test");
    expect(r.code).toBe(5);
    expect(r.out).toContain("[critical] abort: bad configuration");
    expect(r.out).toMatch(/REFUSED: .*proxy_on_configure failed/);
  });

  it("names the root ids the module registered when --root-id matches none", async () => {
    const r = await check("fine", "--root-id", "tset");
    expect(r.code).toBe(5);
    expect(r.out).toContain(
      'hint: --root-id "tset" matches no root context; the module registered "test": pass --root-id test',
    );
  });

  it("reports the verdict in --json", async () => {
    const r = await check("reject", "--root-id", "test", "--json");
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(true);
    expect(report.config).toMatchObject({ rootId: "test", accepted: false });
    expect(report.config.logs).toContain("[info] configure config=reject");
  });

  it("exits 3 for a missing configuration file, 2 for --root-id without --config", async () => {
    const missing = await check(null, "--config", join(dir, "nope.json"));
    expect(missing.code).toBe(3);
    expect(missing.err).toContain("nope.json: no such file");
    const lone = await check(null, "--root-id", "test");
    expect(lone.code).toBe(2);
    expect(lone.err).toContain("--root-id only applies with --config");
  });
});
