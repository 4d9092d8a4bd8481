// SPDX-License-Identifier: Apache-2.0
// `getwild token [CONFIG]`: arguments, then the token on stdout (or JSON, or a curl line); how to send it
// and which cluster the dev IdP must serve go to stderr, so `TOKEN=$(getwild token CONFIG)` works.
import { readFileSync } from "node:fs";
import { readCommandLine, usageError } from "./command_line.js";
import type { CommandIo } from "./io.js";
import { CliError, ExitCode } from "./errors.js";
import { DEFAULT_DEV_KEY_FILE, loadDevKeys } from "./dev_keys.js";
import { curlWith, mintToken } from "./token.js";
import { dpopClientKey, dpopCurl, dpopProof } from "./dpop_proof.js";

export const TOKEN_USAGE = `Usage: getwild token CONFIG.json [options]

Mints a JWT that the JwtAuthn plugin configuration CONFIG accepts, signed with the development key
that "getwild serve --dev-idp CLUSTER" publishes. Issuer, audience, algorithm and the provider's claim
requirements come from the configuration (the Firebase preset too). For local testing only.

Options:
  --config PATH       the plugin configuration (or give it as the first argument)
  --provider NAME     which provider (default: the first one)
  --sub VALUE         the subject (default "dev-user")
  --iss VALUE         override the issuer
  --aud VALUE         override the audience
  --claim NAME=VALUE  add or replace a claim; VALUE is JSON when it parses, else a string (repeatable)
  --lifetime TIME     seconds, or 30m, 2h, 1d, until exp (default 1h; capped by max_lifetime_seconds)
  --dev-key PATH      the dev key file (default ${DEFAULT_DEV_KEY_FILE}; made on first use)
  --curl URL          print a ready curl command for URL instead of the bare token
  --dpop METHOD       with --curl: a token bound to a fresh client key (cnf.jkt) and one DPoP proof for
                      METHOD and URL (RFC 9449); the proof is single-use, run again for each request
  --json              print { token, provider, alg, kid, claims, placement, cluster } (and curl with --curl)
  -h, --help          this help`;

const bad = (message: string): CliError => usageError("getwild token", message);

/** The options of `getwild token` as parseArgs reads them. */
interface TokenArgValues {
  config?: string;
  provider?: string;
  sub?: string;
  iss?: string;
  aud?: string;
  claim?: string[];
  lifetime?: string;
  "dev-key"?: string;
  curl?: string;
  dpop?: string;
  json?: boolean;
}

function seconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw bad(`--lifetime must be seconds or a number with s, m, h or d, got "${text}"`);
  const value = Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
  if (value < 1 || value > 366 * 86400) throw bad(`--lifetime must be from 1 s to 366 days, got "${text}"`);
  return value;
}

function claimValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runToken(argv: string[], io: CommandIo): Promise<number> {
  const line = readCommandLine<TokenArgValues>("getwild token", argv, {
    config: { type: "string" },
    provider: { type: "string" },
    sub: { type: "string" },
    iss: { type: "string" },
    aud: { type: "string" },
    claim: { type: "string", multiple: true },
    lifetime: { type: "string" },
    "dev-key": { type: "string" },
    curl: { type: "string" },
    dpop: { type: "string" },
    json: { type: "boolean" },
  });
  if (line === null) {
    io.out(TOKEN_USAGE);
    return ExitCode.Ok;
  }
  const { values, positionals } = line;
  if (positionals.length > 1 || (positionals.length === 1 && values.config !== undefined)) {
    throw bad("give the configuration once (as the first argument or with --config)");
  }
  const configPath = values.config ?? positionals[0];
  if (configPath === undefined)
    throw bad("the plugin configuration is required, e.g. getwild token examples/jwt-authn/plugin-config.json");
  const claims: Record<string, unknown> = {};
  for (const spec of values.claim ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0) throw bad(`--claim expects NAME=VALUE, got "${spec}"`);
    claims[spec.slice(0, eq)] = claimValue(spec.slice(eq + 1));
  }
  let configText: string;
  try {
    configText = readFileSync(configPath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      ExitCode.FileNotFound,
      `configuration ${configPath}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
  const dpopMethod = values.dpop;
  if (dpopMethod !== undefined && (values.curl === undefined || !/^[A-Z]+$/.test(dpopMethod))) {
    throw bad("--dpop takes the request method (GET, POST, ...) and needs --curl URL (the URL the proof is for)");
  }
  const dpopKey = dpopMethod === undefined ? null : dpopClientKey();
  if (dpopKey !== null) claims.cnf = { jkt: dpopKey.jkt };
  const keys = loadDevKeys(values["dev-key"]);
  const minted = mintToken(configText, keys, {
    provider: values.provider,
    subject: values.sub,
    issuer: values.iss,
    audience: values.aud,
    claims,
    lifetimeSeconds: values.lifetime === undefined ? undefined : seconds(values.lifetime),
  });
  const url = values.curl;
  const curl =
    url === undefined
      ? null
      : dpopKey !== null
        ? dpopCurl(dpopMethod!, url, minted.token, dpopProof(dpopKey, dpopMethod!, url, minted.token))
        : curlWith(minted, url);
  // With --json, the curl line is a field, so scripts (scripts/start) print the same line users get.
  if (values.json) io.out(JSON.stringify(curl === null ? minted : { ...minted, curl }, null, 2));
  else io.out(curl ?? minted.token);
  const where =
    dpopKey !== null
      ? `header "authorization: DPoP <token>", with a new proof in header "dpop" for every request`
      : minted.placement.kind === "header"
        ? `header "${minted.placement.name}: ${minted.placement.prefix}<token>"`
        : `${minted.placement.kind} "${minted.placement.name}"`;
  io.err(
    `getwild token: provider "${minted.provider}", ${minted.alg} key ${minted.kid} from ${keys.file}; send it in the ${where}`,
  );
  if (minted.cluster !== null) {
    io.err(
      `getwild token: the filter fetches keys through cluster "${minted.cluster}": serve with --dev-idp ${minted.cluster}`,
    );
  } else {
    io.err(
      `getwild token: provider "${minted.provider}" has local_jwks: add the dev public key (getwild serve prints where) to accept this token`,
    );
  }
  return ExitCode.Ok;
}
