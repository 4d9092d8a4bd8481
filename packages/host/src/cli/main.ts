#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `getwild` command: `getwild serve --filter f.wasm ...` runs a filter as a local HTTP proxy; errors exit with a clear message and code.
import { parseServeArgs, USAGE } from "./args.js";
import { serve } from "./serve.js";
import { CliError, ExitCode } from "./errors.js";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") {
    console.log(USAGE);
    return ExitCode.Ok;
  }
  if (command !== "serve") {
    console.error(command === undefined ? USAGE : `getwild: unknown command "${command}"\n\n${USAGE}`);
    return ExitCode.BadArguments;
  }
  const options = parseServeArgs(rest);
  if (options === null) {
    console.log(USAGE);
    return ExitCode.Ok;
  }
  const server = await serve(options);
  const say = (line: string) => console.log(`getwild serve: ${line}`);
  say(`filter ${options.filter} (root_id "${options.rootId}", ${options.workers} worker${options.workers === 1 ? "" : "s"}, ` +
    `config ${options.config ?? "none"})`);
  say(server.echo ? `upstream: built-in echo at ${server.upstream.origin}` : `upstream: ${server.upstream.origin}`);
  for (const [name, url] of options.clusters) say(`cluster ${name} -> ${url.href}`);
  say(`listening on ${server.url} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  return ExitCode.Ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliError) {
      console.error(`getwild serve: error: ${e.message}`);
      process.exit(e.exitCode);
    }
    console.error(`getwild serve: internal error: ${(e as Error)?.stack ?? String(e)}`);
    process.exit(ExitCode.Internal);
  },
);
