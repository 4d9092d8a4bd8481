// SPDX-License-Identifier: Apache-2.0
// `getwild token`: a token a JwtAuthn plugin configuration accepts, signed with the dev keys that
// `getwild serve --dev-idp` publishes. Issuer, audience, algorithm, kid and the claim requirements are
// read from the chosen provider, so the token passes every check the filter makes; options override.
import { CliError, ExitCode } from "./errors.js";
import { signDevToken, type DevAlg, type DevKeys } from "./dev_keys.js";

export interface TokenRequest {
  /** Provider name; default the first provider of the configuration. */
  provider?: string;
  subject?: string;
  issuer?: string;
  audience?: string;
  /** Extra or replaced claims (top-level names). */
  claims?: Record<string, unknown>;
  /** Seconds from now to `exp` (default 3600, capped by the provider's max_lifetime_seconds). */
  lifetimeSeconds?: number;
  /** Seconds since the epoch (default now). */
  now?: number;
}

/** Where the filter looks for the token. */
export interface TokenPlacement {
  kind: "header" | "param" | "cookie";
  name: string;
  /** Header value prefix, e.g. "Bearer ". */
  prefix: string;
}

export interface MintedToken {
  token: string;
  provider: string;
  alg: DevAlg;
  kid: string;
  claims: Record<string, unknown>;
  placement: TokenPlacement;
  /** Where the provider fetches its keys (what `--dev-idp` must map); null for local_jwks. */
  cluster: string | null;
}

type Json = Record<string, unknown>;

const bad = (message: string) => new CliError(ExitCode.BadArguments, message);
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Sets `value` at a claim path: dotted names nest ("firebase.tenant"), URL-like names stay whole. */
function setClaim(claims: Json, name: string, value: unknown): void {
  if (name.includes("://") || !name.includes(".")) {
    claims[name] = value;
    return;
  }
  const parts = name.split(".");
  let node = claims;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Json;
  }
  node[parts[parts.length - 1]!] = value;
}

/** A value meeting one `claims` requirement of the provider (docs/filter.md of @getwild/jwt). */
function satisfy(claims: Json, rule: Json): void {
  const name = String(rule.name);
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  // scope-like claims are space-separated strings (RFC 8693); the filter accepts both forms.
  const asList = (items: unknown[]) => (name === "scope" ? items.join(" ") : items);
  if ("equals" in rule) setClaim(claims, name, rule.equals);
  else if ("one_of" in rule) setClaim(claims, name, list(rule.one_of)[0]);
  else if ("contains_any" in rule) setClaim(claims, name, asList(list(rule.contains_any).slice(0, 1)));
  else if ("contains_all" in rule) setClaim(claims, name, asList(list(rule.contains_all)));
  else if ("is_true" in rule) setClaim(claims, name, true);
  else if ("exists" in rule) setClaim(claims, name, "dev");
}

function pickAlg(provider: Json, name: string, firebase: boolean): DevAlg {
  if (firebase) return "RS256";
  const allowed = Array.isArray(provider.algorithms) ? provider.algorithms.map(String) : ["RS256"];
  const alg = (["RS256", "ES256"] as const).find((a) => allowed.includes(a));
  if (!alg) throw bad(`provider "${name}" allows ${allowed.join(", ")}; the dev keys sign RS256 and ES256 only`);
  return alg;
}

function placementOf(provider: Json): TokenPlacement {
  const headers = Array.isArray(provider.from_headers) ? provider.from_headers.filter(isObject) : [];
  if (headers.length > 0) {
    return {
      kind: "header",
      name: String(headers[0]!.name).toLowerCase(),
      prefix: String(headers[0]!.value_prefix ?? ""),
    };
  }
  const params = Array.isArray(provider.from_params) ? provider.from_params : [];
  const cookies = Array.isArray(provider.from_cookies) ? provider.from_cookies : [];
  // The default header is checked first by the filter whenever from_headers is absent.
  if (params.length === 0 && cookies.length === 0) return { kind: "header", name: "authorization", prefix: "Bearer " };
  if (params.length > 0) return { kind: "param", name: String(params[0]), prefix: "" };
  return { kind: "cookie", name: String(cookies[0]), prefix: "" };
}

function providerOf(config: Json, wanted: string | undefined): [string, Json] {
  if (!isObject(config.providers) || Object.keys(config.providers).length === 0) {
    throw bad("the configuration has no providers (is it a JwtAuthn plugin configuration?)");
  }
  const names = Object.keys(config.providers);
  const name = wanted ?? names[0]!;
  const provider = config.providers[name];
  if (!isObject(provider)) throw bad(`no provider "${name}" in the configuration (it has: ${names.join(", ")})`);
  return [name, provider];
}

/** Mints a token for `configText` (a JwtAuthn JSON configuration) with the dev keys. */
export function mintToken(configText: string, keys: DevKeys, request: TokenRequest = {}): MintedToken {
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (e) {
    throw bad(`the configuration is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(config)) throw bad("the configuration must be a JSON object");
  const [name, provider] = providerOf(config, request.provider);
  const firebase = isObject(provider.firebase) ? provider.firebase : null;
  const now = request.now ?? Math.floor(Date.now() / 1000);
  const maxLifetime = typeof provider.max_lifetime_seconds === "number" ? provider.max_lifetime_seconds : Infinity;
  const lifetime = Math.min(request.lifetimeSeconds ?? 3600, maxLifetime);
  const claims: Json = { sub: request.subject ?? "dev-user", iat: now, exp: now + lifetime };
  if (firebase) {
    const project = String(firebase.project_id);
    Object.assign(claims, {
      iss: `https://securetoken.google.com/${project}`,
      aud: project,
      auth_time: now,
      user_id: claims.sub,
      firebase: { sign_in_provider: "password", identities: {} },
    });
  } else {
    const issuers = Array.isArray(provider.issuers)
      ? provider.issuers
      : typeof provider.issuer === "string"
        ? [provider.issuer]
        : [];
    if (issuers.length > 0) claims.iss = issuers[0];
    if (Array.isArray(provider.audiences) && provider.audiences.length > 0) claims.aud = provider.audiences[0];
  }
  for (const rule of Array.isArray(provider.claims) ? provider.claims.filter(isObject) : []) satisfy(claims, rule);
  if (request.issuer !== undefined) claims.iss = request.issuer;
  if (request.audience !== undefined) claims.aud = request.audience;
  if (firebase && request.subject !== undefined) claims.user_id = request.subject;
  for (const [claim, value] of Object.entries(request.claims ?? {})) claims[claim] = value;
  const alg = pickAlg(provider, name, firebase !== null);
  const remote = isObject(provider.remote_jwks) ? provider.remote_jwks : null;
  const cluster = firebase ? String(firebase.cluster ?? "googleapis") : remote ? String(remote.cluster) : null;
  return {
    token: signDevToken(keys, alg, claims),
    provider: name,
    alg,
    kid: keys.keys.find((k) => k.alg === alg)!.kid,
    claims,
    placement: placementOf(provider),
    cluster,
  };
}

/** A ready curl command sending `minted` to `url` where the provider looks for it. */
export function curlWith(minted: MintedToken, url: string): string {
  const p = minted.placement;
  if (p.kind === "param") return `curl -i '${url}${url.includes("?") ? "&" : "?"}${p.name}=${minted.token}'`;
  if (p.kind === "cookie") return `curl -i -H 'cookie: ${p.name}=${minted.token}' ${url}`;
  return `curl -i -H '${p.name}: ${p.prefix}${minted.token}' ${url}`;
}
