// SPDX-License-Identifier: Apache-2.0
// Building the two peer filters (bench/envoy/peers/{go,rust}), only for the benchmark. Each build
// returns { file } or { skip: "why it could not be built" }; a missing toolchain never stops the run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const RUST_TARGET = "wasm32-wasip1";

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 26, ...options });
  const tail = `${r.stderr ?? ""}${r.error ? r.error.message : ""}`.trim().split("\n").slice(-4).join(" | ");
  return { ok: r.status === 0 && !r.error, tail };
}

/** proxy-wasm-go-sdk with Go's own wasip1 port (Go 1.24+), golang-jwt/jwt/v5; modules from the Go proxy, pinned by go.sum. */
export function buildGoPeer(peersDir, outDir, log) {
  if (!run("go", ["version"]).ok)
    return { skip: "no Go toolchain (`go` not on PATH); proxy-wasm-go-sdk needs Go 1.24+" };
  const file = join(outDir, "peer-go.wasm");
  log("peer-go: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared");
  const r = run("go", ["build", "-mod=readonly", "-buildmode=c-shared", "-trimpath", "-o", file, "."], {
    cwd: join(peersDir, "go"),
    env: { ...process.env, GOOS: "wasip1", GOARCH: "wasm", CGO_ENABLED: "0" },
  });
  return r.ok ? { file } : { skip: `go build failed: ${r.tail}` };
}

/** proxy-wasm-rust-sdk (crate proxy-wasm) + jsonwebtoken (pure-Rust backend), Cargo.lock pinned, target wasm32-wasip1. */
export function buildRustPeer(peersDir, outDir, log) {
  if (!run("cargo", ["--version"]).ok) return { skip: "no Rust toolchain (`cargo` not on PATH)" };
  const installed = spawnSync("rustup", ["target", "list", "--installed"], { encoding: "utf8" });
  if (installed.status === 0 && !installed.stdout.split("\n").includes(RUST_TARGET)) {
    log(
      `peer-rust: rustup target add ${RUST_TARGET} (the standard library for the wasm target comes from rustup's own server)`,
    );
    const add = run("rustup", ["target", "add", RUST_TARGET], { timeout: 300_000 });
    if (!add.ok)
      return {
        skip: `the Rust standard library for ${RUST_TARGET} is not installed and \`rustup target add ${RUST_TARGET}\` failed (it downloads from static.rust-lang.org, not crates.io): ${add.tail}`,
      };
  }
  const targetDir = join(outDir, "rust-target");
  mkdirSync(targetDir, { recursive: true });
  log(`peer-rust: cargo build --release --locked --target ${RUST_TARGET}`);
  const r = run("cargo", ["build", "--release", "--locked", "--target", RUST_TARGET, "--target-dir", targetDir], {
    cwd: join(peersDir, "rust"),
  });
  const file = join(targetDir, RUST_TARGET, "release", "peer_rust.wasm");
  return r.ok && existsSync(file) ? { file } : { skip: `cargo build failed: ${r.tail}` };
}
