// SPDX-License-Identifier: Apache-2.0
// How `pnpm start` makes a JWT example tryable: every cluster its providers fetch keys from goes to the
// development identity provider of `getwild serve --dev-idp`, and `getwild token` mints one token per
// provider with the same dev key. The banner shows a curl with the first provider's token (200) and one
// without (401); smoke mode checks every provider's token and the missing one.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** `getwild token CONFIG --provider NAME --json --curl URL` through the built CLI: the token and its curl line. */
function mint(cli, repoRoot, config, provider, url) {
  const out = execFileSync(
    process.execPath,
    [cli, "token", relative(repoRoot, config), "--provider", provider, "--json", "--curl", url],
    {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return JSON.parse(out);
}

function requestFor(minted) {
  const p = minted.placement;
  if (p.kind === "param") return { query: `?${p.name}=${minted.token}`, headers: {} };
  if (p.kind === "cookie") return { query: "", headers: { cookie: `${p.name}=${minted.token}` } };
  return { query: "", headers: { [p.name]: `${p.prefix}${minted.token}` } };
}

/**
 * A `prepare` for a JWT example (see examples.mjs): serve arguments mapping its key clusters to the dev
 * IdP, banner lines and smoke checks with fresh tokens. `path` is a path every provider may open.
 */
export function jwtExample(path) {
  return ({ dir, cli, repoRoot }) => {
    const config = join(dir, "plugin-config.json");
    const providers = Object.keys(JSON.parse(readFileSync(config, "utf8")).providers ?? {});
    const minted = providers.map((name) => mint(cli, repoRoot, config, name, `localhost:PORT${path}`));
    const clusters = [...new Set(minted.map((m) => m.cluster).filter((c) => c !== null))];
    const first = minted[0];
    const tries = [
      {
        curl: first.curl,
        note: `200: a token from "getwild token" (provider ${first.provider}), the upstream gets the claims`,
      },
      { curl: `curl -i localhost:PORT${path}`, note: "401: no token (WWW-Authenticate: Bearer)" },
    ];
    // A provider with `dpop` (RFC 9449): a proof is single-use, so the line to run is the command that
    // prints a fresh curl line (bound token + proof) each time.
    const dpopProvider = providers.find(
      (name) => JSON.parse(readFileSync(config, "utf8")).providers[name]?.dpop !== undefined,
    );
    if (dpopProvider !== undefined) {
      tries.push({
        curl: `eval "$(pnpm -s getwild token ${relative(repoRoot, config)} --provider ${dpopProvider} --dpop GET --curl http://localhost:PORT${path})"`,
        note: `200: a DPoP-bound token and a fresh proof (provider ${dpopProvider}); run again per request, a replay is 401`,
      });
    }
    if (minted.length > 1) {
      tries.push({
        curl: `pnpm getwild token ${relative(repoRoot, config)} --provider ${minted[1].provider}`,
        note: `a token for provider ${minted[1].provider}`,
      });
    }
    const smoke = [
      ...minted.map((m) => {
        const { query, headers } = requestFor(m);
        return [
          `GET  ${path} with a ${m.provider} token -> 200`,
          { method: "GET", headers },
          (r) =>
            r.status !== 200
              ? `status ${r.status}: ${r.body.slice(0, 160)}`
              : r.headers.get("x-echo-upstream") !== "getwild"
                ? "the reply is not the upstream's"
                : null,
          `${path}${query}`,
        ];
      }),
      [
        `GET  ${path} without a token -> 401`,
        { method: "GET" },
        (r) =>
          r.status !== 401
            ? `status ${r.status}, expected 401`
            : !/^Bearer /.test(r.headers.get("www-authenticate") ?? "")
              ? "no WWW-Authenticate: Bearer"
              : null,
      ],
      [
        `GET  ${path} with a tampered token -> 401`,
        { method: "GET", headers: tampered(first) },
        (r) => (r.status !== 401 ? `status ${r.status}, expected 401` : null),
      ],
    ];
    return { args: clusters.flatMap((c) => ["--dev-idp", c]), tries, smoke, path };
  };
}

/** The first token with its signature changed: a valid-looking token the dev key did not sign. */
function tampered(minted) {
  const { headers } = requestFor(minted);
  const [name, value] = Object.entries(headers)[0] ?? ["authorization", ""];
  // A character inside the signature (the last one may carry only padding bits).
  const at = value.lastIndexOf(".") + 10;
  return { [name]: value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1) };
}
