// SPDX-License-Identifier: Apache-2.0
// `getwild serve --watch`: a change of the .wasm or the configuration reloads the filter; a change of the
// filter package's assembly/ sources runs that package's `build` script, whose new .wasm then reloads it.
// Directories are watched rather than files, since compilers replace the output file instead of writing it.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export interface WatchHooks {
  /** The .wasm or the configuration changed: load it again. */
  reload(): Promise<void>;
  say(line: string): void;
}

export interface Watcher {
  /** The package whose build runs on a source change, or null when none was found. */
  buildPackage: string | null;
  close(): void;
}

/** Debounce: editors and compilers write in several steps. */
const SETTLE_MS = 150;

/** The nearest directory at or above `start` with a package.json that has a build script. */
export function findBuildPackage(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, "utf8"))?.scripts?.build ? dir : null;
      } catch {
        return null;
      }
    }
    if (dirname(dir) === dir) return null;
  }
}

function debounced(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, SETTLE_MS);
  };
}

export function watchFilter(filter: string, config: string | undefined, hooks: WatchHooks): Watcher {
  const watchers: FSWatcher[] = [];
  let reloading = Promise.resolve();
  const reload = debounced(() => {
    reloading = reloading
      .then(() => hooks.reload())
      .catch((e) => hooks.say(`watch: reload failed: ${(e as Error).message}`));
  });
  const files = [filter, ...(config === undefined ? [] : [config])].map((f) => resolve(f));
  for (const dir of new Set(files.map((f) => dirname(f)))) {
    watchers.push(
      watch(dir, (_event, name) => {
        if (name !== null && files.some((f) => dirname(f) === dir && basename(f) === String(name))) reload();
      }),
    );
  }
  const pkg = findBuildPackage(dirname(resolve(filter)));
  const sources = pkg === null ? null : join(pkg, "assembly");
  let build: ChildProcess | null = null;
  let again = false;
  const runBuild = () => {
    if (build) {
      again = true;
      return;
    }
    hooks.say(`watch: sources changed, running "npm run build" in ${pkg}`);
    const output: string[] = [];
    build = spawn("npm", ["run", "build", "--silent"], { cwd: pkg!, stdio: ["ignore", "pipe", "pipe"] });
    build.stdout!.on("data", (d) => output.push(String(d)));
    build.stderr!.on("data", (d) => output.push(String(d)));
    build.on("exit", (code) => {
      build = null;
      if (code === 0) hooks.say("watch: build done");
      else {
        const tail = output.join("").trimEnd().split("\n").slice(-15).join("\n");
        hooks.say(`watch: build failed (exit ${code}); still serving the previous module\n${tail}`);
      }
      if (again) {
        again = false;
        runBuild();
      }
    });
  };
  if (sources !== null && existsSync(sources)) watchers.push(watch(sources, { recursive: true }, debounced(runBuild)));
  return {
    buildPackage: sources !== null && existsSync(sources) ? pkg : null,
    close() {
      for (const w of watchers) w.close();
      build?.kill("SIGTERM");
    },
  };
}
