// SPDX-License-Identifier: Apache-2.0
// Which built examples `pnpm start` serves, with what `getwild serve` arguments, and the curl lines that show each one off.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { jwtExample } from "./jwt.mjs";

/**
 * What each known example needs besides its module, and how to try it, in the order they are served:
 * ports BASE, BASE+1... follow this order (the README lists them). Unknown examples are served after
 * them, by name, with their root_id from envoy.yaml and plugin-config.json when present. `prepare`
 * gets { dir, cli, repoRoot } and returns extra serve arguments (and may replace `tries`, add `smoke`
 * checks and a `close`), or null when what the example needs is missing.
 */
const KNOWN = {
  getwild: {
    title: "Get Wild: GET is answered 418 by the filter, other methods reach the upstream",
    tries: [
      { curl: "curl -i localhost:PORT/", note: "418 I'm a teapot, powered-by: getwild, ASCII art" },
      { curl: "curl -i -X POST -d 'hi' localhost:PORT/", note: "passes to the built-in echo upstream" },
    ],
  },
  hello: {
    title: "hello: logs every request header, adds hello: world to responses",
    tries: [{ curl: "curl -i localhost:PORT/", note: "echo upstream reply with hello: world" }],
  },
  "http-call": {
    title: "http-call: answers with GET /uuid from the httpbin cluster (a local stand-in)",
    tries: [{ curl: "curl -i localhost:PORT/", note: "200 with a uuid fetched by proxy_http_call" }],
    /** Starts the httpbin stand-in and maps the cluster to it. */
    async prepare({ dir }) {
      const standin = join(dir, "test", "httpbin_standin.mjs");
      if (!existsSync(standin)) return null;
      const { startStandin } = await import(pathToFileURL(standin).href);
      const server = await startStandin(0);
      return { args: ["--cluster", `httpbin=${server.url}`], close: () => server.close() };
    },
  },
  "jwt-authn": {
    title: "jwt-authn: Envoy jwt_authn-style JWT checks; keys from the local dev IdP (getwild serve --dev-idp)",
    tries: [],
    prepare: jwtExample("/"),
  },
  "firebase-jwt": {
    title: "firebase-jwt: Firebase ID tokens; Google's key endpoint played by the local dev IdP",
    tries: [],
    prepare: jwtExample("/"),
  },
};
const ORDER = Object.keys(KNOWN);

function rootIdOf(dir) {
  const envoy = join(dir, "envoy.yaml");
  if (!existsSync(envoy)) return "";
  const match = /^\s*root_id:\s*"?([^"\s#]*)"?/m.exec(readFileSync(envoy, "utf8"));
  return match ? match[1] : "";
}

/** The examples (built or not), Get Wild first, each with its serve arguments (port added later). */
export function discoverExamples(repoRoot) {
  const base = join(repoRoot, "examples");
  const names = existsSync(base) ? readdirSync(base).filter((n) => existsSync(join(base, n, "package.json"))) : [];
  const rank = (n) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => {
    const dir = join(base, name);
    const wasm = join(dir, "build", "filter.wasm");
    const config = join(dir, "plugin-config.json");
    const known = KNOWN[name] ?? { title: name, tries: [{ curl: "curl -i localhost:PORT/", note: "" }] };
    // Paths relative to the repository root (the servers' cwd), so the banner stays readable.
    const args = ["--filter", relative(repoRoot, wasm), "--root-id", rootIdOf(dir)];
    if (existsSync(config)) args.push("--config", relative(repoRoot, config));
    return { name, dir, built: existsSync(wasm), args, ...known };
  });
}
