// SPDX-License-Identifier: Apache-2.0
// The load generator: wrk (C, from Debian's `wrk` package), one thread, a fixed number of open
// connections, a fixed number of requests (the Lua script stops the thread), bounded in time by -d.
// wrk runs in its own process and costs little CPU per request, which matters on a 2-core machine
// where the measured Envoy, the upstream and the load generator share the cores.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const live = new Set();
process.on("exit", () => live.forEach((child) => child.kill("SIGKILL"))); // never leave a wrk behind

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "wrk", "requests.lua");

/** Finds wrk; installs Debian's package when it is missing and we are root. Returns its path or throws why not. */
export function ensureWrk(log) {
  const which = () => spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).stdout.trim();
  if (which() !== "") return which();
  if (process.getuid?.() !== 0) {
    throw new Error(
      "wrk is not installed and this is not root: run `sudo apt-get install -y wrk` (Debian/Ubuntu package `wrk`) and start again",
    );
  }
  log("wrk: not found, installing Debian's package (apt-get install -y wrk)");
  let run = spawnSync("apt-get", ["install", "-y", "-q", "wrk"], { encoding: "utf8" });
  if (run.status !== 0) {
    spawnSync("apt-get", ["update", "-q"], { encoding: "utf8" });
    run = spawnSync("apt-get", ["install", "-y", "-q", "wrk"], { encoding: "utf8" });
  }
  if (run.status !== 0 || which() === "")
    throw new Error(`apt-get install -y wrk failed: ${`${run.stderr}`.trim().split("\n").slice(-2).join(" ")}`);
  return which();
}

/**
 * Sends `requests` GETs to `url` over `connections` connections, each with one of the tokens on lines
 * [offset, offset + count) of `tokensFile`, in turn. Resolves with wrk's counts and latencies.
 */
export function runWrk({ wrk, url, tokensFile, offset, count, requests, connections, maxSeconds }) {
  const args = [
    "-t1",
    `-c${connections}`,
    `-d${maxSeconds}s`,
    "--timeout",
    "10s",
    "-s",
    SCRIPT,
    url,
    "--",
    tokensFile,
    String(offset),
    String(count),
    String(requests),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(wrk, args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("LIMIT\n") && !out.includes("BENCH ")) child.kill("SIGINT");
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      live.delete(child);
      const line = out.split("\n").find((l) => l.startsWith("BENCH "));
      if (code !== 0 || line === undefined)
        return reject(new Error(`wrk exited ${code}: ${(err || out).trim().slice(-400)}`));
      resolve(JSON.parse(line.slice(6)));
    });
  });
}
