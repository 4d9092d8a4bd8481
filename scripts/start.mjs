#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// `pnpm start`: serves the built examples with `getwild serve` on localhost and prints the curl lines to try
// (for the JWT examples with tokens from the dev IdP). With CI set or --smoke it sends those requests
// itself, prints the results and exits 0 (all fine) or 1. With --build (what `pnpm start` passes) it first
// builds what it serves: the getwild CLI and each example's release .wasm, in parallel, skipping what is
// up to date. --list prints the port plan and exits. --envoy serves every example through a real Envoy
// (getwild serve --envoy), found as the tests find it: GETWILD_ENVOY, PATH, else the repository's .envoy/venv.
//
//   node scripts/start.mjs [--build] [--smoke] [--port BASE] [--list] [--envoy]
//        (BASE default 10000: getwild on BASE, hello BASE+1, ... in the order of start/examples.mjs;
//         0 gives every server a free port)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { discoverExamples } from "./start/examples.mjs";
import { runSmoke } from "./start/smoke.mjs";
import { buildForStart, envoyModuleStep, runSteps } from "./start/build.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(repoRoot, "packages", "host", "dist", "cli.js");
const STARTUP_TIMEOUT_MS = 30_000;

function parseArguments(argv) {
  const ci = (process.env.CI ?? "").toLowerCase();
  const options = {
    smoke: ci !== "" && ci !== "0" && ci !== "false",
    port: 10000,
    build: false,
    list: false,
    envoy: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // pnpm passes the "--" of `pnpm start -- --envoy` on to the script.
    if (arg === "--") continue;
    else if (arg === "--smoke") options.smoke = true;
    else if (arg === "--build") options.build = true;
    else if (arg === "--list") options.list = true;
    else if (arg === "--envoy") options.envoy = true;
    else if (arg === "--port" && /^\d+$/.test(argv[i + 1] ?? "") && Number(argv[i + 1]) <= 65535)
      options.port = Number(argv[++i]);
    else {
      console.error(
        `start: unknown or incomplete argument "${arg}" (usage: node scripts/start.mjs [--build] [--smoke] [--port BASE] [--list] [--envoy])`,
      );
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
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" line after ${STARTUP_TIMEOUT_MS / 1000} s`)),
      STARTUP_TIMEOUT_MS,
    );
    let admin = null;
    forwardLines(
      child.stdout,
      example.name,
      (l) => console.log(l),
      (line) => {
        const stats = /admin: (http:\/\/\S+\/stats)/.exec(line);
        if (stats) admin = stats[1];
        const match = /listening on (http:\/\/\S+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve({ name: example.name, url: match[1], admin, child, example });
        }
      },
    );
    forwardLines(
      child.stderr,
      example.name,
      (l) => console.error(l),
      (line) => errors.push(line),
    );
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

function banner(served, envoy) {
  const through = envoy ? `getwild serve --envoy (Envoy at ${envoy})` : "getwild serve (no Envoy needed)";
  const lines = ["", `Serving the examples through ${through}:`, ""];
  for (const { url, admin, example } of served) {
    const port = new URL(url).port;
    lines.push(`  ${example.title}`, `  ${url}${admin ? `   (metrics: curl ${admin})` : ""}`);
    for (const { curl, note } of example.tries) {
      const command = curl.replace("PORT", port);
      // A command with a token is long: its note goes above it, so both stay readable.
      if (command.length > 60) lines.push(...(note ? [`    # ${note}`] : []), `    ${command}`);
      else lines.push(`    ${command.padEnd(44)}${note ? ` # ${note}` : ""}`);
    }
    lines.push("");
  }
  lines.push("Press Ctrl-C to stop.", "");
  return lines.join("\n");
}

/** `--list`: the port each example gets with BASE (what the README's list shows). */
function portPlan(examples, base) {
  return examples.map((e, i) => `${base === 0 ? 0 : base + i} ${e.name}`).join("\n");
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  // Ctrl-C or SIGTERM from the first moment: whenever it comes (during the build, while servers start,
  // or while serving), everything started is stopped and the script exits 0.
  let stopRequested = false;
  const stopSignal = new Promise((resolve) => {
    const request = () => {
      stopRequested = true;
      resolve();
    };
    process.once("SIGINT", request);
    process.once("SIGTERM", request);
  });
  const examples = discoverExamples(repoRoot);
  if (options.list) {
    console.log(portPlan(examples, options.port));
    return 0;
  }
  if (options.build) {
    const failed = await buildForStart(repoRoot, examples, (line) => console.log(`start: ${line}`), {
      envoy: options.envoy,
    });
    if (failed.includes("getwild CLI") || failed.includes(envoyModuleStep(repoRoot).name)) return 1;
    for (const example of examples)
      example.built = existsSync(join(example.dir, "build", "filter.wasm")) && !failed.includes(example.name);
  }
  if (!existsSync(cli)) {
    console.error(`start: ${relative(repoRoot, cli)} is missing: run "pnpm start" (it builds it) or "pnpm run build".`);
    return 1;
  }
  if (options.envoy) {
    // Found once here and handed to every `getwild serve --envoy` (each would otherwise look, or install, itself).
    const envoyModule = join(repoRoot, "packages", "host", "dist", "envoy.js");
    // Built with --build above; without it, still rebuilt when a host source is newer, so a stale
    // dist/envoy.js (an older findEnvoy) is never used.
    if (
      !options.build &&
      (await runSteps(repoRoot, [envoyModuleStep(repoRoot)], (line) => console.log(`start: ${line}`))).length > 0
    ) {
      console.error(`start: --envoy: building ${relative(repoRoot, envoyModule)} failed`);
      return 1;
    }
    const { findEnvoy } = await import(pathToFileURL(envoyModule).href);
    const install = process.env.GETWILD_NO_ENVOY_INSTALL !== "1";
    const found = findEnvoy({
      installDir: install ? join(repoRoot, ".envoy", "venv") : undefined,
      log: (line) => console.log(`start: ${line}`),
    });
    if (!found.ok) {
      console.error(`start: --envoy: ${found.error}`);
      return 1;
    }
    process.env.GETWILD_ENVOY = found.envoy.path;
    options.envoyPath = found.envoy.path;
  }
  const getwild = examples.find((e) => e.name === "getwild");
  if (!getwild?.built) {
    console.error(
      'start: examples/getwild/build/filter.wasm is missing: run "pnpm start" (it builds it) or "pnpm run build".',
    );
    return 1;
  }
  const cleanups = [];
  // Every example starts at once; ports follow the examples' order whether or not each one is served.
  const starts = examples.map(async (example, index) => {
    const port = options.port === 0 ? 0 : options.port + index;
    if (!example.built) {
      console.log(`start: skipping ${example.name}: build/filter.wasm is missing`);
      return null;
    }
    try {
      const extra = example.prepare ? await example.prepare({ dir: example.dir, cli, repoRoot }) : { args: [] };
      if (extra === null) {
        console.log(`start: skipping ${example.name}: what it needs to run locally is missing`);
        return null;
      }
      if (extra.close) cleanups.push(extra.close);
      const shown = { ...example, tries: extra.tries ?? example.tries, smoke: extra.smoke };
      return await serveExample(shown, port, [...extra.args, ...(options.envoy ? ["--envoy"] : [])]);
    } catch (e) {
      console.error(`start: ${example.name} could not be served: ${e.message}`);
      if (example.name === "getwild") throw e;
      return null;
    }
  });
  const results = await Promise.allSettled(starts);
  const served = results.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    await Promise.all(served.map((s) => stop(s.child)));
    for (const close of cleanups) await close();
  };
  if (results.some((r) => r.status === "rejected")) {
    await shutdown();
    return 1;
  }
  console.log(banner(served, options.envoyPath));
  if (options.smoke) {
    const failures = await runSmoke(served, (line) => console.log(line));
    await shutdown();
    console.log(failures === 0 ? "smoke: all checks passed" : `smoke: ${failures} check(s) failed`);
    return failures === 0 ? 0 : 1;
  }
  const code = await new Promise((resolve) => {
    // Ctrl-C in a terminal reaches the servers too (same process group), and they stop at once: an
    // exit after a stop request, or with code 0 (how getwild serve ends on a signal), is not a failure.
    void stopSignal.then(() => {
      stopping = true;
      resolve(0);
    });
    for (const s of served) {
      s.child.once("exit", (exitCode, signal) => {
        if (stopping || stopRequested || exitCode === 0 || signal === "SIGINT" || signal === "SIGTERM") {
          resolve(0);
          return;
        }
        console.error(`start: ${s.name} stopped unexpectedly (${signal ?? `exit code ${exitCode}`})`);
        resolve(1);
      });
    }
  });
  await shutdown();
  return code;
}

process.exitCode = await main();
