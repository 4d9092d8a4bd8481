// SPDX-License-Identifier: Apache-2.0
// Builds tests/envoy/fixtures/go-filter, a filter written with proxy-wasm-go-sdk, with Go's own wasip1
// target (`GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared`, Go 1.24+, no TinyGo). The SDK comes
// from the Go module proxy, pinned by the fixture's go.mod and go.sum. The .wasm is kept in the
// fixture's git-ignored build/ folder and reused while it is newer than main.go, go.mod and go.sum.
// Without `go`: with CI set the suite fails, elsewhere the Go test is skipped with one line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fixturesDir } from "./fixtures";

export const goFilterDir = join(fixturesDir, "go-filter");
export const goFilterWasm = join(goFilterDir, "build", "go-filter.wasm");

export type GoAvailability = { ok: true; version: string } | { ok: false; reason: string };

function isCi(): boolean {
  const ci = (process.env.CI ?? "").toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

/** Go 1.24 is the first with wasip1 reactors (`-buildmode=c-shared`), which the SDK needs. */
function tooOld(version: string): boolean {
  const m = /go1\.(\d+)/.exec(version);
  return m !== null && Number(m[1]) < 24;
}

/** Whether a `go` that can build the fixture runs here; throws when not and CI is set. */
export function goAvailability(): GoAvailability {
  const run = spawnSync("go", ["version"], { encoding: "utf8" });
  const version = `${run.stdout ?? ""}`.trim();
  let reason: string;
  if (run.status !== 0)
    reason = "there is no `go` command (Go 1.24+ builds the proxy-wasm-go-sdk fixture; https://go.dev/doc/install)";
  else if (tooOld(version)) reason = `${version} is older than Go 1.24, which the proxy-wasm-go-sdk fixture needs`;
  else return { ok: true, version };
  if (isCi()) throw new Error(`foreign SDK test: CI is set and ${reason}`);
  return { ok: false, reason };
}

/** The fixture's .wasm, built when missing or older than its sources. */
export function buildGoFilter(): string {
  const newest = Math.max(...["main.go", "go.mod", "go.sum"].map((f) => statSync(join(goFilterDir, f)).mtimeMs));
  if (existsSync(goFilterWasm) && statSync(goFilterWasm).mtimeMs >= newest) return goFilterWasm;
  mkdirSync(join(goFilterDir, "build"), { recursive: true });
  const run = spawnSync("go", ["build", "-mod=readonly", "-buildmode=c-shared", "-o", goFilterWasm, "."], {
    cwd: goFilterDir,
    encoding: "utf8",
    env: { ...process.env, GOOS: "wasip1", GOARCH: "wasm" },
    timeout: 300_000,
  });
  if (run.status !== 0) throw new Error(`go build of ${goFilterDir} failed:\n${run.stdout}${run.stderr}`);
  return goFilterWasm;
}
