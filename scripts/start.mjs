#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// `pnpm start`: serves the built examples with `getwild serve` on localhost and prints the curl lines to try.
// With CI set or --smoke it sends those requests itself, prints the results and exits 0 (all fine) or 1.
// It builds nothing: `pnpm start` runs `pnpm run build` first.
//
//   node scripts/start.mjs [--smoke] [--port BASE]   (BASE default 10000: getwild on BASE, then BASE+1...;
//                                                     0 gives every server a free port)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { discoverExamples } from "./start/examples.mjs";
import { runSmoke } from "./start/smoke.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(repoRoot, "packages", "host", "dist", "cli.js");
const STARTUP_TIMEOUT_MS = 30_000;

function parseArguments(argv) {
  const ci = (process.env.CI ?? "").toLowerCase();
  const options = { smoke: ci !== "" && ci !== "0" && ci !== "false", port: 10000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--smoke") options.smoke = true;
    else if (arg === "--port" && /^\d+$/.test(argv[i + 1] ?? "") && Number(argv[i + 1]) <= 65535) options.port = Number(argv[++i]);
    else {
      console.error(`start: unknown or incomplete argument "${arg}" (usage: node scripts/start.mjs [--smoke] [--port BASE])`);
      process.exit(2);
    }
  }
  return options;
}

/** Prints each line a child writes, prefixed with the example's name; calls onLine for each. */
function forwardLines(stream, name, write, onLine) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (text) => {
    pending += text;
    let newline;
    while ((newline = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      write(`[${name}] ${line}`);
      onLine(line);
    }
  });
}

/** Starts `getwild serve` for one example; resolves with its URL once it listens, rejects if it exits first. */
function serveExample(example, port, extraArgs) {
  const args = [cli, "serve", ...example.args, ...extraArgs, "--port", String(port)];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  const errors = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line after ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    forwardLines(child.stdout, example.name, (l) => console.log(l), (line) => {
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ name: example.name, url: match[1], child, example });
      }
    });
    forwardLines(child.stderr, example.name, (l) => console.error(l), (line) => errors.push(line));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`getwild serve exited with code ${code}${errors.length ? `: ${errors.join(" ")}` : ""}`));
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function banner(served) {
  const lines = ["", "Serving the examples through getwild serve (no Envoy needed):", ""];
  for (const { url, example } of served) {
    const port = new URL(url).port;
    lines.push(`  ${example.title}`, `  ${url}`);
    for (const { curl, note } of example.tries) {
      const command = curl.replace("PORT", port);
      lines.push(`    ${command.padEnd(44)}${note ? ` # ${note}` : ""}`);
    }
    lines.push("");
  }
  lines.push("Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!existsSync(cli)) {
    console.error(`start: ${relative(repoRoot, cli)} is missing: run "pnpm run build" first (pnpm start does it for you).`);
    return 1;
  }
  const examples = discoverExamples(repoRoot);
  const getwild = examples.find((e) => e.name === "getwild");
  if (!getwild?.built) {
    console.error('start: examples/getwild/build/filter.wasm is missing: run "pnpm run build" first.');
    return 1;
  }
  const served = [];
  const cleanups = [];
  let failed = false;
  let nextPort = options.port;
  for (const example of examples) {
    const port = options.port === 0 ? 0 : nextPort++;
    if (!example.built) {
      console.log(`start: skipping ${example.name}: build/filter.wasm is missing`);
      continue;
    }
    try {
      const extra = example.prepare ? await example.prepare(example.dir) : { args: [] };
      if (extra === null) {
        console.log(`start: skipping ${example.name}: what it needs to run locally is missing`);
        continue;
      }
      if (extra.close) cleanups.push(extra.close);
      served.push(await serveExample(example, port, extra.args));
    } catch (e) {
      console.error(`start: ${example.name} could not be served: ${e.message}`);
      if (example.name === "getwild") failed = true;
    }
  }
  const shutdown = async () => {
    await Promise.all(served.map((s) => stop(s.child)));
    for (const close of cleanups) await close();
  };
  if (failed) {
    await shutdown();
    return 1;
  }
  console.log(banner(served));
  if (options.smoke) {
    const failures = await runSmoke(served, (line) => console.log(line));
    await shutdown();
    console.log(failures === 0 ? "smoke: all checks passed" : `smoke: ${failures} check(s) failed`);
    return failures === 0 ? 0 : 1;
  }
  const code = await new Promise((resolve) => {
    process.once("SIGINT", () => resolve(0));
    process.once("SIGTERM", () => resolve(0));
    for (const s of served) {
      s.child.once("exit", (exitCode, signal) => {
        console.error(`start: ${s.name} stopped unexpectedly (${signal ?? `exit code ${exitCode}`})`);
        resolve(1);
      });
    }
  });
  await shutdown();
  return code;
}

process.exitCode = await main();
