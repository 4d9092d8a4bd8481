// SPDX-License-Identifier: Apache-2.0
// What `serve` and `serve --envoy` both read and watch: the filter module (refused as Envoy would refuse
// it), its plugin configuration, and files given by flag; and the --watch wiring that reloads them and
// keeps the previous module serving when the new one is refused.
import { readFile } from "node:fs/promises";
import { validateModule } from "../index.js";
import { CliError, ExitCode } from "./errors.js";
import { watchFilter } from "./watch.js";
import type { ServeOptions } from "./args.js";
import type { Stopper } from "./serve_locals.js";

export interface LoadedFilter {
  wasm: Uint8Array;
  configuration: Uint8Array | undefined;
}

/** The configuration a refusal names: "the configuration in FILE", or "an empty configuration" without --config. */
export function configSource(options: ServeOptions): string {
  return options.config === undefined ? "an empty configuration" : `the configuration in ${options.config}`;
}

/** A file named on the command line; a missing one is exit code FileNotFound with a plain reason. */
export async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new CliError(ExitCode.FileNotFound, `${what} ${path}: ${why}`);
  }
}

export async function readFilter(options: ServeOptions): Promise<LoadedFilter> {
  const wasm = await readInput(options.filter, "filter");
  const validation = validateModule(wasm);
  if (!validation.ok) {
    throw new CliError(
      ExitCode.ModuleRefused,
      `Envoy would refuse ${options.filter}:\n  ${validation.errors.join("\n  ")}`,
    );
  }
  const configuration = options.config === undefined ? undefined : await readInput(options.config, "configuration");
  return { wasm, configuration };
}

/**
 * --watch (nothing without it): calls reload on each change and says what happened; a failed reload
 * leaves the old filter serving. The watcher's close goes onto `stoppers`; the result is what serve
 * and serve --envoy report as `watching`.
 */
export function watchAndReload(
  options: ServeOptions,
  say: (line: string) => void,
  reload: () => Promise<void>,
  stoppers: Stopper[],
): { buildPackage: string | null } | null {
  if (!options.watch) return null;
  const watcher = watchFilter(options.filter, options.config, {
    say: (line) => say(`getwild serve: ${line}`),
    reload: async () => {
      try {
        await reload();
        say(`getwild serve: watch: reloaded ${options.filter}${options.config ? ` and ${options.config}` : ""}`);
      } catch (e) {
        // A broken build or configuration must not take the running filter down.
        say(`getwild serve: watch: not reloaded, still serving the previous module: ${(e as Error).message}`);
      }
    },
  });
  stoppers.push(() => watcher.close());
  return { buildPackage: watcher.buildPackage };
}
