// SPDX-License-Identifier: Apache-2.0
// Parses and validates the JwtAuthn JSON configuration (shaped like Envoy's jwt_authn; see
// docs/filter.md). Returns the model or every error found, each "<path>: <what is wrong>", read
// with @getwild/json's ConfigReader (the one reader and wording of every getwild filter).
//
// Layout: the top level (readConfig), then one function per nested object: readProvider (and its
// parts: readFirebase, readTokenLocations, readOutputs, readKeys, readRemote (its fetch and cache
// fields in jwks_fetch_config.ts, shared with oidc_discovery), readClaim), readRule,
// readRequirement. Field names are read from one table by position (NAMES and its enum N, below).
// To add a provider field: add its name to the provider run of NAMES and its position to N (same
// place), read it in readProvider (or a read* function of its own called from there), and keep
// the value in model.ts's Provider.
import { asciiLowerCase } from "../jose/encoding/ascii";
import { HEADER_NAME_RULE, isHeaderName } from "@getwild/core/assembly/headers/syntax";
import { ANY_LENGTH, ConfigReader, JsonLimits, JsonValue, itemPath, memberPath } from "@getwild/json/assembly";
import { algFromName, ALGS_HMAC } from "../jose/jwt/algorithms";
import { ClaimOp, ClaimRequirement, validateVerifyOptions } from "../jose/jwt/options";
import { JwksOptions, parseJwks, jwksErrorMessage } from "../jose/jwks/jwks";
import { JwkOptions } from "../jose/jwks/jwk";
import { JwksSource, RemoteJwksConfig } from "../cache/jwks_source";
import { applyFirebase, firebaseJwks, FIREBASE_JWKS_CLUSTER } from "../presets/firebase";
import { normalizePath, PathError } from "./path";
import { readDpop } from "./dpop_config";
import { readFetchPolicy, withFetchPolicy } from "./jwks_fetch_config";
import { readClaimStates } from "./claims_out";
import { oidcFields, readOidcDiscovery } from "./oidc_config";
import {
  readProviderAndAudiences,
  readRequirementMap,
  readRouteRequirements,
  readRuleRequirementName,
} from "./requirements";
import {
  COMPILED_FEATURES,
  FEATURE_CLAIMS_OUT,
  FEATURE_DPOP,
  FEATURE_OIDC,
  FEATURE_ROUTES,
  refuseUncompiled,
} from "./features";
import { N, named, namesFrom } from "./names";
import { ClaimHeader, FilterConfig, HeaderLocation, Provider, Requirement, RequirementKind, Rule } from "./model";
export class ConfigResult {
  constructor(
    public config: FilterConfig | null,
    public error: string,
  ) {}
}

/** The JSON reader's defaults (16 KiB, depth 16): room for inline JWKS of a few keys. */
// @ts-ignore: decorator
@lazy const CONFIG_LIMITS = new JsonLimits();

/**
 * The most verified-token cache memory a worker may be asked to hold. Envoy's V8 stops a VM at
 * 1 GiB, and the incremental collector needs room beside the live entries (garbage between cycles,
 * the JWKS, in-flight requests), so a quarter of that is the ceiling.
 */
const MAX_CACHE_BYTES: i32 = 256 << 20;

export function parseFilterConfig(text: string): ConfigResult {
  const r = new ConfigReader();
  const root = r.documentText(text, CONFIG_LIMITS);
  if (root === null) return new ConfigResult(null, r.error);
  const c = readConfig(r, root);
  if (!r.ok) return new ConfigResult(null, r.error);
  return new ConfigResult(c, "");
}

function readConfig(r: ConfigReader, root: JsonValue): FilterConfig {
  const c = new FilterConfig();
  r.only(root, "", namesFrom(N.Schema, N.RouteRequirements));
  r.string(root, "", named(N.Schema), "", 0, ANY_LENGTH);
  const providers = r.object(root, "", named(N.Providers));
  if (providers === null || providers.length == 0) r.fail(named(N.Providers), "at least one provider is required");
  else {
    for (let i = 0; i < providers.length; i++)
      c.providers.push(readProvider(r, providers.nameAt(i), providers.valueAt(i)!));
  }
  if (COMPILED_FEATURES & FEATURE_ROUTES) readRequirementMap(r, c, root, readProvider, readRequirement);
  else refuseUncompiled(r, root, "", named(N.RequirementMap));
  const rules = r.objects(root, "", named(N.Rules));
  for (let i = 0; i < rules.length; i++) c.rules.push(readRule(r, c, unchecked(rules[i]), itemPath(named(N.Rules), i)));
  const unmatched = root.get(named(N.Unmatched));
  if (unmatched !== null) {
    if (unmatched.isString && unmatched.text == named(N.Deny)) c.unmatchedDeny = true;
    else if (unmatched.isString && unmatched.text == named(N.Allow)) c.unmatchedDeny = false;
    else if (unmatched.isObject) {
      c.unmatchedDeny = false;
      c.unmatched = readRequirement(r, c, unmatched, named(N.Unmatched), 0);
    } else r.fail(named(N.Unmatched), 'must be "deny", "allow" or a requirement');
  }
  if (COMPILED_FEATURES & FEATURE_ROUTES) readRouteRequirements(r, c, root);
  else refuseUncompiled(r, root, "", named(N.RouteRequirements));
  c.bypassCorsPreflight = r.bool(root, "", named(N.BypassCorsPreflight), false);
  const slashes = namesFrom(N.RejectRequest, N.UnescapeAndForward);
  c.unescapeSlashes = r.choice(root, "", named(N.PathWithEscapedSlashesAction), slashes, 0) == 1;
  const aud = r.integer(root, "", named(N.AudienceFailureStatus), 401, 0, 999);
  if (aud != 401 && aud != 403) r.fail(named(N.AudienceFailureStatus), "must be 401 or 403, got " + aud.toString());
  c.audienceStatus = <u32>aud;
  c.jsonBody = r.choice(root, "", named(N.FailureBody), namesFrom(N.Json, N.Empty), 0) == 0;
  c.realm = r.string(root, "", named(N.Realm), "", 0, ANY_LENGTH);
  if (c.realm.includes('"') || c.realm.includes("\\")) r.fail(named(N.Realm), "must not contain quotes or backslashes");
  for (let i = 0; i < c.realm.length; i++) {
    const ch = c.realm.charCodeAt(i);
    if (ch < 0x20 || ch == 0x7f) r.fail(named(N.Realm), "must not contain control characters");
  }
  c.failOpenWithoutJwks = r.choice(root, "", named(N.JwksUnavailable), namesFrom(N.Deny, N.Allow), 0) == 1;
  c.tokenCacheSize = r.integer(root, "", named(N.JwtCacheSize), 100, 0, 100000);
  c.tokenCacheBytes = r.integer(root, "", named(N.JwtCacheBytes), 1 << 20, 0, MAX_CACHE_BYTES);
  c.statPrefix = r.string(root, "", named(N.StatPrefix), "jwt_authn", 1, ANY_LENGTH);
  c.tickMs = <u32>r.integer(root, "", named(N.TickMs), 1000, 10, 60000);
  return c.finish();
}

// ---- Providers

function readProvider(r: ConfigReader, name: string, v: JsonValue): Provider {
  const path = memberPath("providers", name);
  const p = new Provider();
  p.name = name;
  if (!r.objectValue(v, path, namesFrom(N.Issuer, N.OidcDiscovery))) return p;
  const o = p.options;
  const firebase = readFirebase(r, p, v, path);
  const issuer = r.nonEmpty(v, path, named(N.Issuer));
  if (issuer.length > 0) o.issuers.push(issuer);
  const issuers = r.strings(v, path, named(N.Issuers));
  for (let i = 0; i < issuers.length; i++) o.issuers.push(unchecked(issuers[i]));
  const audiences = r.strings(v, path, named(N.Audiences));
  for (let i = 0; i < audiences.length; i++) o.audiences.push(unchecked(audiences[i]));
  if (v.has(named(N.Algorithms))) o.algorithms = readAlgorithms(r, v, path);
  o.requireExpiration = r.bool(v, path, named(N.RequireExpiration), o.requireExpiration);
  o.requireKid = r.bool(v, path, named(N.RequireKid), o.requireKid);
  o.requireSubject = r.bool(v, path, named(N.RequireSubject), o.requireSubject);
  o.clockSkewSeconds = r.integer(v, path, named(N.ClockSkewSeconds), <i32>o.clockSkewSeconds, 0, 300);
  o.maxLifetimeSeconds = r.integer(v, path, named(N.MaxLifetimeSeconds), 0, 0, i32.MAX_VALUE);
  o.limits.maxTokenBytes = r.integer(v, path, named(N.MaxTokenBytes), o.limits.maxTokenBytes, 16, 1 << 20);
  const claims = r.objects(v, path, named(N.Claims));
  for (let i = 0; i < claims.length; i++) {
    const claim = readClaim(r, unchecked(claims[i]), itemPath(memberPath(path, named(N.Claims)), i));
    if (claim !== null) o.requirements.push(claim);
  }
  readTokenLocations(r, p, v, path);
  if (COMPILED_FEATURES & FEATURE_DPOP) {
    p.dpop = readDpop(r, v, path);
    // `Authorization: DPoP <token>` (RFC 9449 §7.1) is one more place the token may come.
    if (p.dpop !== null) p.fromHeaders.push(new HeaderLocation("authorization", "DPoP "));
  } else refuseUncompiled(r, v, path, named(N.Dpop));
  readOutputs(r, p, v, path);
  if (COMPILED_FEATURES & FEATURE_CLAIMS_OUT) p.claimStates = readClaimStates(r, v, path);
  else refuseUncompiled(r, v, path, named(N.ClaimToFilterState));
  readKeys(r, p, v, path, firebase);
  const problem = validateVerifyOptions(o);
  if (problem !== null) {
    const colon = problem.indexOf(":");
    r.fail(memberPath(path, problem.substring(0, colon)), problem.substring(colon + 2));
  }
  return p;
}

/** The firebase preset (issuer, audience, algorithms and Google's JWKS); whether it was given. */
function readFirebase(r: ConfigReader, p: Provider, v: JsonValue, path: string): bool {
  const where = memberPath(path, named(N.Firebase));
  const fb = r.object(v, path, named(N.Firebase), namesFrom(N.ProjectId, N.Cluster));
  if (fb === null) return false;
  const projectId = r.nonEmpty(fb, where, named(N.ProjectId));
  r.required(fb, where, named(N.ProjectId));
  if (!validProjectId(projectId))
    r.fail(memberPath(where, named(N.ProjectId)), "must be a Firebase project id (lower-case letters, digits, '-')");
  applyFirebase(p.options, projectId);
  if (!v.has(named(N.RemoteJwks)) && !v.has(named(N.LocalJwks))) {
    p.source = JwksSource.fetched(
      firebaseJwks(r.string(fb, where, named(N.Cluster), FIREBASE_JWKS_CLUSTER, 1, ANY_LENGTH)),
    );
  }
  // The fields the preset sets itself: the first four provider fields.
  for (let f = N.Issuer; f <= N.Algorithms; f++) {
    const fixed = named(f);
    if (v.has(fixed)) r.fail(memberPath(path, fixed), "is set by the firebase preset");
  }
  return true;
}

function readAlgorithms(r: ConfigReader, v: JsonValue, path: string): u32 {
  const where = memberPath(path, named(N.Algorithms));
  const algs = r.strings(v, path, named(N.Algorithms));
  let mask: u32 = 0;
  for (let i = 0; i < algs.length; i++) {
    const a = algFromName(unchecked(algs[i]));
    if (a < 0) r.fail(itemPath(where, i), "unknown or refused algorithm " + unchecked(algs[i]));
    else mask |= (<u32>1) << <u32>a;
  }
  if (algs.length == 0) r.fail(where, "must name at least one algorithm");
  return mask;
}

/** Where the token comes from. Default: Authorization: Bearer (no query parameter unless asked). */
function readTokenLocations(r: ConfigReader, p: Provider, v: JsonValue, path: string): void {
  const headers = r.objects(v, path, named(N.FromHeaders));
  for (let i = 0; i < headers.length; i++) {
    const h = unchecked(headers[i]);
    const hp = itemPath(memberPath(path, named(N.FromHeaders)), i);
    r.only(h, hp, namesFrom(N.ValuePrefix, N.Name));
    const name = r.nonEmpty(h, hp, named(N.Name));
    if (r.required(h, hp, named(N.Name)) !== null && !isHeaderName(name))
      r.fail(memberPath(hp, named(N.Name)), HEADER_NAME_RULE);
    p.fromHeaders.push(
      new HeaderLocation(asciiLowerCase(name), r.string(h, hp, named(N.ValuePrefix), "", 0, ANY_LENGTH)),
    );
  }
  p.fromCookies = plainNames(r, v, path, named(N.FromCookies));
  p.fromParams = plainNames(r, v, path, named(N.FromParams));
  if (!v.has(named(N.FromHeaders)) && !v.has(named(N.FromCookies)) && !v.has(named(N.FromParams))) {
    p.fromHeaders.push(new HeaderLocation("authorization", "Bearer "));
  }
}

/** What goes upstream: the token itself, the payload, claims as headers. */
function readOutputs(r: ConfigReader, p: Provider, v: JsonValue, path: string): void {
  p.forward = r.bool(v, path, named(N.Forward), false);
  p.forwardPayloadHeader = asciiLowerCase(r.nonEmpty(v, path, named(N.ForwardPayloadHeader)));
  if (p.forwardPayloadHeader.length > 0 && !isHeaderName(p.forwardPayloadHeader)) {
    r.fail(memberPath(path, named(N.ForwardPayloadHeader)), HEADER_NAME_RULE);
  }
  const cths = r.objects(v, path, named(N.ClaimToHeaders));
  for (let i = 0; i < cths.length; i++) {
    const ch = unchecked(cths[i]);
    const cp = itemPath(memberPath(path, named(N.ClaimToHeaders)), i);
    r.only(ch, cp, namesFrom(N.HeaderName, N.ClaimName));
    const header = r.nonEmpty(ch, cp, named(N.HeaderName));
    const claim = r.nonEmpty(ch, cp, named(N.ClaimName));
    if (!ch.has(named(N.HeaderName)) || !ch.has(named(N.ClaimName))) r.fail(cp, "needs header_name and claim_name");
    if (!isHeaderName(header)) r.fail(memberPath(cp, named(N.HeaderName)), HEADER_NAME_RULE);
    p.claimToHeaders.push(new ClaimHeader(asciiLowerCase(header), claim));
  }
}

/** The keys: inline (local_jwks) or fetched (remote_jwks); the firebase preset brings its own. */
function readKeys(r: ConfigReader, p: Provider, v: JsonValue, path: string, firebase: bool): void {
  const local = v.get(named(N.LocalJwks));
  const remote = r.object(v, path, named(N.RemoteJwks), withFetchPolicy(namesFrom(N.RemoteCluster, N.Path)));
  if (local !== null && remote !== null) r.fail(path, "local_jwks and remote_jwks are exclusive");
  let oidc: JsonValue | null = null;
  if (COMPILED_FEATURES & FEATURE_OIDC) oidc = r.object(v, path, named(N.OidcDiscovery), oidcFields());
  else refuseUncompiled(r, v, path, named(N.OidcDiscovery));
  if (COMPILED_FEATURES & FEATURE_OIDC && oidc !== null) {
    if (local !== null || remote !== null || firebase)
      r.fail(path, "oidc_discovery excludes local_jwks, remote_jwks and firebase");
    else p.source = readOidcDiscovery(r, oidc, memberPath(path, named(N.OidcDiscovery)), p.options.issuers);
  } else if (local !== null) {
    const where = memberPath(path, named(N.LocalJwks));
    let text = "";
    if (local.isString) text = local.text;
    else if (local.isObject && local.has("inline_string"))
      text = r.string(local, where, "inline_string", "", 0, ANY_LENGTH);
    else r.fail(where, 'must be a JWKS JSON string or {"inline_string": ...}');
    const jwks = new JwksOptions(65536, 64, new JwkOptions((p.options.algorithms & ALGS_HMAC) != 0));
    const set = parseJwks(Uint8Array.wrap(String.UTF8.encode(text)), jwks);
    if (!set.ok || set.keySet === null) r.fail(where, jwksErrorMessage(set.error));
    else p.source = JwksSource.inline(set.keySet!);
  } else if (remote !== null) {
    p.source = JwksSource.fetched(readRemote(r, remote, memberPath(path, named(N.RemoteJwks))));
  } else if (!firebase) {
    r.fail(path, "needs local_jwks, remote_jwks or oidc_discovery");
  }
}

function readRemote(r: ConfigReader, v: JsonValue, path: string): RemoteJwksConfig {
  const c = new RemoteJwksConfig();
  c.cluster = r.nonEmpty(v, path, named(N.Cluster));
  if (!v.has(named(N.Cluster)))
    r.fail(memberPath(path, named(N.Cluster)), "is required (the Envoy cluster of the JWKS host)");
  if (v.has(named(N.Uri))) {
    const uri = r.string(v, path, named(N.Uri), "", 0, ANY_LENGTH);
    const rest = uri.startsWith("https://") ? uri.substring(8) : uri.startsWith("http://") ? uri.substring(7) : "";
    const slash = rest.indexOf("/");
    if (rest.length == 0 || slash <= 0)
      r.fail(memberPath(path, named(N.Uri)), "must be an http(s) URL with a host and a path");
    else {
      c.authority = rest.substring(0, slash);
      c.path = rest.substring(slash);
    }
    if (v.has(named(N.Authority)) || v.has(named(N.Path)))
      r.fail(memberPath(path, named(N.Uri)), "give either uri or authority and path");
  } else {
    c.authority = r.nonEmpty(v, path, named(N.Authority));
    c.path = r.nonEmpty(v, path, named(N.Path));
    r.required(v, path, named(N.Authority));
    if (!c.path.startsWith("/")) r.fail(memberPath(path, named(N.Path)), "must start with /");
  }
  readFetchPolicy(r, v, path, c);
  return c;
}

function readClaim(r: ConfigReader, v: JsonValue, path: string): ClaimRequirement | null {
  r.only(v, path, namesFrom(N.Name, N.Exists));
  const name = r.nonEmpty(v, path, named(N.Name));
  if (r.required(v, path, named(N.Name)) === null) return null;
  const eq = v.get(named(N.Equals));
  if (eq !== null) {
    if (eq.isBool)
      return new ClaimRequirement(name, eq.flag ? ClaimOp.IsTrue : ClaimOp.Equals, eq.flag ? [] : ["false"]);
    if (eq.isString || eq.isNumber) return new ClaimRequirement(name, ClaimOp.Equals, [eq.text]);
    r.fail(memberPath(path, named(N.Equals)), "must be a string, number or boolean");
    return null;
  }
  // The other operators, in table order (the order of ClaimOp): the first one given applies.
  if (<i32>ClaimOp.Exists - <i32>ClaimOp.Equals != N.Exists - N.Equals) ERROR("NAMES' claim operators != ClaimOp");
  for (let f = N.OneOf; f <= N.Exists; f++) {
    const op = named(f);
    if (!v.has(op)) continue;
    const kind = <ClaimOp>(f - N.Equals + ClaimOp.Equals);
    if (f >= N.IsTrue) return new ClaimRequirement(name, kind, []);
    return new ClaimRequirement(name, kind, claimValues(r, v, path, op, f != N.OneOf));
  }
  r.fail(path, "needs one of " + namesFrom(N.Equals, N.Exists).join(", "));
  return null;
}

/** The values of a claim operator: at least one (a lone string counts when `single`). */
function claimValues(r: ConfigReader, v: JsonValue, path: string, op: string, single: bool): Array<string> {
  const values = r.strings(v, path, op, single);
  if (values.length == 0) r.fail(memberPath(path, op), "needs at least one value");
  return values;
}

// ---- Rules and requirements

function readRule(r: ConfigReader, c: FilterConfig, v: JsonValue, path: string): Rule {
  r.only(v, path, namesFrom(N.Match, N.RequirementName));
  const rule = new Rule();
  const where = memberPath(path, named(N.Match));
  const m = r.object(v, path, named(N.Match), namesFrom(N.Path, N.Headers));
  if (m === null) {
    if (!v.has(named(N.Match))) r.fail(where, "is required");
  } else {
    if (m.has(named(N.Path))) rule.path = r.nonEmpty(m, where, named(N.Path));
    if (m.has(named(N.Prefix))) rule.prefix = r.nonEmpty(m, where, named(N.Prefix));
    if ((rule.path === null) == (rule.prefix === null)) r.fail(where, "needs exactly one of path or prefix");
    // Requests are matched in normal form, so a rule written otherwise could never match as meant.
    const p = rule.path !== null ? rule.path! : rule.prefix !== null ? rule.prefix! : "/";
    const n = normalizePath(p, false);
    if (n.error != PathError.None || n.path != p || n.query.hasQuery) {
      r.fail(
        memberPath(where, rule.path !== null ? named(N.Path) : named(N.Prefix)),
        "must be a normalized path: starts with /, no . or .. segments, no //, no %2F, no \\, no ? or #, unreserved characters not percent-encoded, hex digits upper-case",
      );
    }
    const hs = r.objects(m, where, named(N.Headers));
    for (let i = 0; i < hs.length; i++) {
      const h = unchecked(hs[i]);
      const hp = itemPath(memberPath(where, named(N.Headers)), i);
      r.only(h, hp, namesFrom(N.Name, N.Name));
      rule.headers.push(asciiLowerCase(r.nonEmpty(h, hp, named(N.Name))));
    }
  }
  const req = v.get(named(N.Requires));
  if (req !== null) rule.requirement = readRequirement(r, c, req, memberPath(path, named(N.Requires)), 0);
  if (!(COMPILED_FEATURES & FEATURE_ROUTES)) refuseUncompiled(r, v, path, named(N.RequirementName));
  else if (v.has(named(N.RequirementName))) {
    if (req !== null) r.fail(path, "give either requires or requirement_name");
    else rule.requirement = readRuleRequirementName(r, c, v, path);
  }
  return rule;
}

function readRequirement(r: ConfigReader, c: FilterConfig, v: JsonValue, path: string, depth: i32): Requirement {
  const req = new Requirement();
  if (depth > 8) {
    r.fail(path, "nested too deeply");
    return req;
  }
  if (!r.objectValue(v, path)) return req;
  if (v.length == 0) return req; // no JWT needed
  const kinds = namesFrom(N.ProviderName, N.AllowMissingOrFailed);
  if (v.length != 1) {
    r.fail(path, "must have exactly one of " + kinds.join(", "));
    return req;
  }
  const kind = v.nameAt(0);
  const k = N.ProviderName + kinds.indexOf(kind); // N.ProviderName - 1 when unknown
  if (k == N.ProviderName) {
    const name = r.nonEmpty(v, path, named(N.ProviderName));
    req.kind = RequirementKind.Provider;
    for (let i = 0; i < c.providers.length; i++) if (unchecked(c.providers[i]).name == name) req.provider = i;
    if (req.provider < 0) r.fail(memberPath(path, named(N.ProviderName)), 'no provider named "' + name + '"');
  } else if (k == N.RequiresAny || k == N.RequiresAll) {
    req.kind = k == N.RequiresAny ? RequirementKind.RequiresAny : RequirementKind.RequiresAll;
    const where = memberPath(path, kind);
    const list = r.object(v, path, kind);
    const items = list === null ? new Array<JsonValue>() : r.objects(list, where, named(N.Requirements));
    if (items.length < 2) r.fail(memberPath(where, named(N.Requirements)), "needs at least two requirements");
    for (let i = 0; i < items.length; i++) {
      req.children.push(
        readRequirement(r, c, unchecked(items[i]), itemPath(memberPath(where, named(N.Requirements)), i), depth + 1),
      );
    }
  } else if (k == N.AllowMissing) req.kind = RequirementKind.AllowMissing;
  else if (k == N.AllowMissingOrFailed) req.kind = RequirementKind.AllowMissingOrFailed;
  else if (k == N.ProviderAndAudiences) {
    if (COMPILED_FEATURES & FEATURE_ROUTES) return readProviderAndAudiences(r, c, v, path);
    refuseUncompiled(r, v, path, kind);
  } else r.fail(memberPath(path, kind), "unknown requirement");
  return req;
}

// ---- Names

/** Member `field` as an array of cookie or query parameter names, each a plainName. */
function plainNames(r: ConfigReader, v: JsonValue, path: string, field: string): Array<string> {
  const names = r.strings(v, path, field);
  for (let i = 0; i < names.length; i++) {
    if (!plainName(unchecked(names[i]))) r.fail(itemPath(memberPath(path, field), i), PLAIN_NAME);
  }
  return names;
}

const PLAIN_NAME = 'must be printable ASCII without spaces or any of = ; , & + % " \\ ? #';

/**
 * The characters below 0x40 that plainName refuses, one bit each (bit c for character c):
 * `"` 0x22, `#` 0x23, `%` 0x25, `&` 0x26, `+` 0x2b, `,` 0x2c, `;` 0x3b, `=` 0x3d, `?` 0x3f. The one
 * above, `\` 0x5c, is tested on its own. A mask instead of ten comparisons: less code, same set.
 */
const PLAIN_NAME_REFUSED: u64 = 0xa800186c00000000;

/** A cookie or query parameter name that needs no encoding, so it reads the same to every parser. */
function plainName(name: string): bool {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c == 0x5c) return false;
    if (c < 0x40 && ((PLAIN_NAME_REFUSED >> (<u64>c)) & 1) != 0) return false;
  }
  return name.length > 0;
}

function validProjectId(id: string): bool {
  if (id.length == 0 || id.length > 64) return false;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    if (!((ch >= 0x61 && ch <= 0x7a) || (ch >= 0x30 && ch <= 0x39) || ch == 0x2d)) return false;
  }
  return true;
}
