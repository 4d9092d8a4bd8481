// SPDX-License-Identifier: Apache-2.0
// What `pnpm start` builds before serving: the getwild bin of @getwild/host (with --envoy also its
// @getwild/host/envoy module, which finds the Envoy) and the release .wasm of each example it serves,
// nothing else (no library build or type declarations, no debug builds, no size reports), all at once,
// one progress line per step. A step whose output is newer than every input it reads is skipped.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { availableParallelism } from "node:os";

/** Newest modification time (ms) of the files under `paths` (files or directories), 0 when none exist. */
function newestInput(paths) {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path))
        if (name !== "node_modules" && name !== "build" && name !== "dist") visit(join(path, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return newest;
}

const outputTime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1);

/**
 * The workspace packages an example's AssemblyScript reads (its @getwild/* dependencies): their
 * assembly, base asconfig and compiler transforms (core's, which change the output on their own).
 */
function workspaceSources(repoRoot, dir) {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((n) =>
    n.startsWith("@getwild/"),
  );
  return names
    .map((n) => join(repoRoot, "packages", n.slice("@getwild/".length)))
    .filter((p) => existsSync(join(p, "assembly")))
    .flatMap((p) => [join(p, "assembly"), join(p, "asconfig.base.json"), join(p, "transform")]);
}

/**
 * One entry of @getwild/host as one ESM bundle (about a second): the package's full build also writes
 * the library, CJS and type declarations, which serving does not use and which take most of a minute.
 * No clean: the rest of dist/ stays as the last full build left it. Fresh only while dist/NAME.js is
 * newer than every host source (the entry imports from all over src/).
 */
function hostEntryStep(repoRoot, stepName, entryName, entry) {
  const host = join(repoRoot, "packages", "host");
  return {
    name: stepName,
    what: `tsup ${entry} -> dist/${entryName}.js`,
    cwd: host,
    command: [
      join(host, "node_modules", "tsup", "dist", "cli-default.js"),
      "--no-config",
      `--entry.${entryName}`,
      entry,
      "--format",
      "esm",
      "--target",
      "node20",
      "--out-dir",
      "dist",
    ],
    fresh: () =>
      outputTime(join(host, "dist", `${entryName}.js`)) >
      newestInput([join(host, "src"), join(host, "package.json"), join(host, "tsup.config.ts")]),
  };
}

/** @getwild/host/envoy (findEnvoy), which `pnpm start --envoy` imports from dist/envoy.js. */
export const envoyModuleStep = (repoRoot) =>
  hostEntryStep(repoRoot, "@getwild/host/envoy", "envoy", "src/envoy/index.ts");

/**
 * The build steps for `examples` (from discoverExamples): the CLI (and with `envoy` the envoy module),
 * then one release build per example.
 */
export function buildSteps(repoRoot, examples, { envoy = false } = {}) {
  const steps = [hostEntryStep(repoRoot, "getwild CLI", "cli", "src/cli/main.ts")];
  if (envoy) steps.push(envoyModuleStep(repoRoot));
  for (const example of examples) {
    const asc = join(example.dir, "node_modules", "assemblyscript", "bin", "asc.js");
    steps.push({
      name: example.name,
      what: "asc --target release",
      cwd: example.dir,
      command: [asc, "--target", "release"],
      fresh: () =>
        outputTime(join(example.dir, "build", "filter.wasm")) >
        newestInput([
          join(example.dir, "assembly"),
          join(example.dir, "asconfig.json"),
          ...workspaceSources(repoRoot, example.dir),
        ]),
    });
  }
  return steps;
}

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.command, { cwd: step.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ code: 1, output: e.message }));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** buildSteps(repoRoot, examples, options), run by runSteps. */
export function buildForStart(repoRoot, examples, print, options = {}) {
  return runSteps(repoRoot, buildSteps(repoRoot, examples, options), print);
}

/**
 * Runs the steps that are not fresh, as many at a time as there are cores, printing a line when each
 * starts and ends. Resolves to the names of the steps that failed (their output is printed).
 */
export async function runSteps(repoRoot, steps, print) {
  const failed = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < steps.length) {
      const step = steps[next++];
      if (step.fresh()) {
        print(`build: ${step.name} is up to date`);
        continue;
      }
      const t0 = Date.now();
      print(`build: ${step.name}: ${step.what} (${relative(repoRoot, step.cwd)}) ...`);
      const { code, output } = await run(step);
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      if (code === 0) print(`build: ${step.name} done in ${seconds} s`);
      else {
        failed.push(step.name);
        print(`build: ${step.name} FAILED (exit ${code}) after ${seconds} s:\n${output.trimEnd()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), steps.length)) }, worker));
  print(
    `build: ${failed.length === 0 ? "all done" : `${failed.length} failed`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failed;
}
