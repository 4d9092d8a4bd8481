// SPDX-License-Identifier: Apache-2.0
// The onLog sink: every record of the compiled filter as it is written (level, message, plugin, vm, worker), with a minimum level.
import { describe, it, expect, vi } from "vitest";
import { filterHost, req } from "./helpers.js";
import type { LogRecord } from "../src/index.js";

describe("onLog", () => {
  it("receives each record as the filter writes it, from start-up on, tagged with VM and worker", async () => {
    const got: LogRecord[] = [];
    const host = await filterHost({ workers: 2, onLog: (r) => got.push(r) });
    // Start-up: base (none), canary and both workers configure.
    expect(got.filter((r) => r.message === "configure config=").map((r) => [r.vm, r.worker])).toEqual([
      ["canary", -1],
      ["worker 0", 0],
      ["worker 1", 1],
    ]);
    const stream = host.newHttpStream({ worker: 1 });
    const before = got.length;
    stream.sendRequestHeaders(req("none"), { endOfStream: true });
    // Delivered during the callback, not later.
    expect(got.slice(before).map((r) => r.message)).toEqual(["request_headers n=5 eos=1 path=/p?q=1"]);
    expect(got.at(-1)).toEqual({
      level: "info",
      message: "request_headers n=5 eos=1 path=/p?q=1",
      plugin: "test",
      vm: "worker 1",
      worker: 1,
    });
    // Same records, same order as logRecords.
    expect(got).toEqual(host.logRecords);
  });

  it("passes only records at or above onLogLevel; logRecords still has them all", async () => {
    const got: LogRecord[] = [];
    const host = await filterHost({ onLog: (r) => got.push(r), onLogLevel: "error" });
    await host.request({ headers: { "x-scenario": "trap" } });
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((r) => r.level === "error" || r.level === "critical")).toBe(true);
    expect(got.some((r) => r.level === "critical" && /boom in headers/.test(r.message))).toBe(true);
    expect(host.logRecords.some((r) => r.level === "info")).toBe(true);
  });

  it("a throwing sink does not disturb the filter; echoLogs keeps printing", async () => {
    const print = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const host = await filterHost({
        echoLogs: true,
        onLog: () => {
          throw new Error("sink bug");
        },
      });
      const r = await host.request({ headers: { "x-scenario": "none" } });
      expect(r.status).toBe(200);
      expect(host.failures).toEqual([]);
      expect(print).toHaveBeenCalledWith("[info] wasm log test (worker 0): request_headers n=5 eos=1 path=/");
      expect(error.mock.calls.some(([m]) => String(m).includes("the onLog sink threw: Error: sink bug"))).toBe(true);
    } finally {
      print.mockRestore();
      error.mockRestore();
    }
  });
});

describe("getwild serve prints the filter's logs through onLog", () => {
  it("prints the refusing filter's own log above the error, at the chosen level", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { serve } = await import("../src/cli/serve.js");
    const { options } = await import("./serve_helpers.js");
    const config = join(mkdtempSync(join(tmpdir(), "getwild-log-")), "config.txt");
    writeFileSync(config, "reject");
    for (const logLevel of ["info", "warn"] as const) {
      const printed: string[] = [];
      const error = await serve(options({ config, logLevel }), { filterLog: (l) => printed.push(l) }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/the filter rejected the configuration/);
      // The canary VM refuses first; its log line was printed while it ran, once.
      expect(printed).toEqual(
        logLevel === "info"
          ? [
              "[info] wasm log test (canary): vm_start size=0 vm_config=",
              "[info] wasm log test (canary): configure config=reject",
            ]
          : [],
      );
    }
  });
});
