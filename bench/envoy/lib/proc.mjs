// SPDX-License-Identifier: Apache-2.0
// CPU time and resident memory of a process, from /proc/PID/stat: utime + stime (fields 14 and 15, in
// clock ticks, all threads) and rss (field 24, in pages).
import { readFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";

const conf = (name, fallback) => Number(spawnSync("getconf", [name], { encoding: "utf8" }).stdout.trim()) || fallback;
export const CLOCK_TICKS = conf("CLK_TCK", 100);
export const PAGE_BYTES = conf("PAGESIZE", 4096);

/** { cpuUs, rssBytes } of `pid` now. */
export function sample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; fields are counted from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = Number(fields[21]);
  return { cpuUs: ((utime + stime) * 1e6) / CLOCK_TICKS, rssBytes: rss * PAGE_BYTES };
}

/**
 * `perf record` (software cpu-clock: no hardware counters on this VM) of `pid` with call graphs into
 * `file`, until stop(). For where the time goes, not for the table: sampling adds its own cost.
 */
export function startPerf(pid, file) {
  const child = spawn("perf", ["record", "-q", "-e", "cpu-clock", "-F", "4000", "-g", "-p", String(pid), "-o", file], {
    stdio: "ignore",
  });
  const exited = new Promise((resolve) => child.on("exit", resolve).on("error", resolve));
  return {
    async stop() {
      child.kill("SIGINT");
      await exited;
    },
  };
}
