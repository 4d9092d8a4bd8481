// SPDX-License-Identifier: Apache-2.0
// Parses and validates the JwtAuthn JSON configuration (shaped like Envoy's jwt_authn; see
// docs/filter.md). Returns the model or every error found, each "<path>: <what is wrong>", read
// with @getwild/json's ConfigReader (the one reader and wording of every getwild filter).
//
// Layout: the top level (readConfig), then one function per nested object: readProvider (and its
// parts: readFirebase, readTokenLocations, readOutputs, readKeys, readRemote (its fetch and cache
// fields in jwks_fetch_config.ts, shared with oidc_discovery), readClaim), readRule,
// readRequirement. To add a provider field: name it in PROVIDER_FIELDS, read it in readProvider
// (or a read* function of its own called from there), and keep the value in model.ts's Provider.
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

// "$schema" lets a configuration file name its JSON Schema for editors (schema/jwt-authn.schema.json);
// the filter only checks that it is a string.
const TOP_FIELDS = [
  "$schema",
  "providers",
  "rules",
  "unmatched",
  "bypass_cors_preflight",
  "audience_failure_status",
  "failure_body",
  "realm",
  "jwks_unavailable",
  "jwt_cache_size",
  "jwt_cache_bytes",
  "stat_prefix",
  "tick_ms",
  "path_with_escaped_slashes_action",
  "requirement_map",
  "route_requirements",
];
/**
 * The most verified-token cache memory a worker may be asked to hold. Envoy's V8 stops a VM at
 * 1 GiB, and the incremental collector needs room beside the live entries (garbage between cycles,
 * the JWKS, in-flight requests), so a quarter of that is the ceiling.
 */
const MAX_CACHE_BYTES: i32 = 256 << 20;
const PROVIDER_FIELDS = [
  "issuer",
  "issuers",
  "audiences",
  "algorithms",
  "require_expiration",
  "require_kid",
  "require_subject",
  "clock_skew_seconds",
  "max_lifetime_seconds",
  "claims",
  "local_jwks",
  "remote_jwks",
  "from_headers",
  "from_cookies",
  "from_params",
  "forward",
  "forward_payload_header",
  "claim_to_headers",
  "firebase",
  "max_token_bytes",
  "dpop",
  "claim_to_filter_state",
  "oidc_discovery",
];
const REMOTE_FIELDS = withFetchPolicy(["cluster", "authority", "path", "uri"]);
const CLAIM_FIELDS = ["name", "equals", "one_of", "contains_any", "contains_all", "is_true", "exists"];
/** Fields the firebase preset sets itself. */
const FIREBASE_SET = ["issuer", "issuers", "audiences", "algorithms"];

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
  r.only(root, "", TOP_FIELDS);
  r.string(root, "", "$schema", "", 0, ANY_LENGTH);
  const providers = r.object(root, "", "providers");
  if (providers === null || providers.length == 0) r.fail("providers", "at least one provider is required");
  else {
    for (let i = 0; i < providers.length; i++)
      c.providers.push(readProvider(r, providers.nameAt(i), providers.valueAt(i)!));
  }
  if (COMPILED_FEATURES & FEATURE_ROUTES) readRequirementMap(r, c, root, readProvider, readRequirement);
  else refuseUncompiled(r, root, "", "requirement_map");
  const rules = r.objects(root, "", "rules");
  for (let i = 0; i < rules.length; i++) c.rules.push(readRule(r, c, unchecked(rules[i]), itemPath("rules", i)));
  const unmatched = root.get("unmatched");
  if (unmatched !== null) {
    if (unmatched.isString && unmatched.text == "deny") c.unmatchedDeny = true;
    else if (unmatched.isString && unmatched.text == "allow") c.unmatchedDeny = false;
    else if (unmatched.isObject) {
      c.unmatchedDeny = false;
      c.unmatched = readRequirement(r, c, unmatched, "unmatched", 0);
    } else r.fail("unmatched", 'must be "deny", "allow" or a requirement');
  }
  if (COMPILED_FEATURES & FEATURE_ROUTES) readRouteRequirements(r, c, root);
  else refuseUncompiled(r, root, "", "route_requirements");
  c.bypassCorsPreflight = r.bool(root, "", "bypass_cors_preflight", false);
  const slashes = r.oneOf(
    root,
    "",
    "path_with_escaped_slashes_action",
    ["REJECT_REQUEST", "UNESCAPE_AND_FORWARD"],
    "REJECT_REQUEST",
  );
  c.unescapeSlashes = slashes == "UNESCAPE_AND_FORWARD";
  const aud = r.integer(root, "", "audience_failure_status", 401, 0, 999);
  if (aud != 401 && aud != 403) r.fail("audience_failure_status", "must be 401 or 403, got " + aud.toString());
  c.audienceStatus = <u32>aud;
  c.jsonBody = r.oneOf(root, "", "failure_body", ["json", "empty"], "json") == "json";
  c.realm = r.string(root, "", "realm", "", 0, ANY_LENGTH);
  if (c.realm.includes('"') || c.realm.includes("\\")) r.fail("realm", "must not contain quotes or backslashes");
  for (let i = 0; i < c.realm.length; i++) {
    const ch = c.realm.charCodeAt(i);
    if (ch < 0x20 || ch == 0x7f) r.fail("realm", "must not contain control characters");
  }
  c.failOpenWithoutJwks = r.oneOf(root, "", "jwks_unavailable", ["deny", "allow"], "deny") == "allow";
  c.tokenCacheSize = r.integer(root, "", "jwt_cache_size", 100, 0, 100000);
  c.tokenCacheBytes = r.integer(root, "", "jwt_cache_bytes", 1 << 20, 0, MAX_CACHE_BYTES);
  c.statPrefix = r.string(root, "", "stat_prefix", "jwt_authn", 1, ANY_LENGTH);
  c.tickMs = <u32>r.integer(root, "", "tick_ms", 1000, 10, 60000);
  return c.finish();
}

// ---- Providers

function readProvider(r: ConfigReader, name: string, v: JsonValue): Provider {
  const path = memberPath("providers", name);
  const p = new Provider();
  p.name = name;
  if (!r.objectValue(v, path, PROVIDER_FIELDS)) return p;
  const o = p.options;
  const firebase = readFirebase(r, p, v, path);
  const issuer = r.nonEmpty(v, path, "issuer");
  if (issuer.length > 0) o.issuers.push(issuer);
  const issuers = r.strings(v, path, "issuers");
  for (let i = 0; i < issuers.length; i++) o.issuers.push(unchecked(issuers[i]));
  const audiences = r.strings(v, path, "audiences");
  for (let i = 0; i < audiences.length; i++) o.audiences.push(unchecked(audiences[i]));
  if (v.has("algorithms")) o.algorithms = readAlgorithms(r, v, path);
  o.requireExpiration = r.bool(v, path, "require_expiration", o.requireExpiration);
  o.requireKid = r.bool(v, path, "require_kid", o.requireKid);
  o.requireSubject = r.bool(v, path, "require_subject", o.requireSubject);
  o.clockSkewSeconds = r.integer(v, path, "clock_skew_seconds", <i32>o.clockSkewSeconds, 0, 300);
  o.maxLifetimeSeconds = r.integer(v, path, "max_lifetime_seconds", 0, 0, i32.MAX_VALUE);
  o.limits.maxTokenBytes = r.integer(v, path, "max_token_bytes", o.limits.maxTokenBytes, 16, 1 << 20);
  const claims = r.objects(v, path, "claims");
  for (let i = 0; i < claims.length; i++) {
    const claim = readClaim(r, unchecked(claims[i]), itemPath(memberPath(path, "claims"), i));
    if (claim !== null) o.requirements.push(claim);
  }
  readTokenLocations(r, p, v, path);
  if (COMPILED_FEATURES & FEATURE_DPOP) {
    p.dpop = readDpop(r, v, path);
    // `Authorization: DPoP <token>` (RFC 9449 §7.1) is one more place the token may come.
    if (p.dpop !== null) p.fromHeaders.push(new HeaderLocation("authorization", "DPoP "));
  } else refuseUncompiled(r, v, path, "dpop");
  readOutputs(r, p, v, path);
  if (COMPILED_FEATURES & FEATURE_CLAIMS_OUT) p.claimStates = readClaimStates(r, v, path);
  else refuseUncompiled(r, v, path, "claim_to_filter_state");
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
  const where = memberPath(path, "firebase");
  const fb = r.object(v, path, "firebase", ["project_id", "cluster"]);
  if (fb === null) return false;
  const projectId = r.nonEmpty(fb, where, "project_id");
  r.required(fb, where, "project_id");
  if (!validProjectId(projectId))
    r.fail(memberPath(where, "project_id"), "must be a Firebase project id (lower-case letters, digits, '-')");
  applyFirebase(p.options, projectId);
  if (!v.has("remote_jwks") && !v.has("local_jwks")) {
    p.source = JwksSource.fetched(firebaseJwks(r.string(fb, where, "cluster", FIREBASE_JWKS_CLUSTER, 1, ANY_LENGTH)));
  }
  for (let i = 0; i < FIREBASE_SET.length; i++) {
    const fixed = unchecked(FIREBASE_SET[i]);
    if (v.has(fixed)) r.fail(memberPath(path, fixed), "is set by the firebase preset");
  }
  return true;
}

function readAlgorithms(r: ConfigReader, v: JsonValue, path: string): u32 {
  const where = memberPath(path, "algorithms");
  const algs = r.strings(v, path, "algorithms");
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
  const headers = r.objects(v, path, "from_headers");
  for (let i = 0; i < headers.length; i++) {
    const h = unchecked(headers[i]);
    const hp = itemPath(memberPath(path, "from_headers"), i);
    r.only(h, hp, ["name", "value_prefix"]);
    const name = r.nonEmpty(h, hp, "name");
    if (r.required(h, hp, "name") !== null && !isHeaderName(name)) r.fail(memberPath(hp, "name"), HEADER_NAME_RULE);
    p.fromHeaders.push(new HeaderLocation(asciiLowerCase(name), r.string(h, hp, "value_prefix", "", 0, ANY_LENGTH)));
  }
  p.fromCookies = plainNames(r, v, path, "from_cookies");
  p.fromParams = plainNames(r, v, path, "from_params");
  if (!v.has("from_headers") && !v.has("from_cookies") && !v.has("from_params")) {
    p.fromHeaders.push(new HeaderLocation("authorization", "Bearer "));
  }
}

/** What goes upstream: the token itself, the payload, claims as headers. */
function readOutputs(r: ConfigReader, p: Provider, v: JsonValue, path: string): void {
  p.forward = r.bool(v, path, "forward", false);
  p.forwardPayloadHeader = asciiLowerCase(r.nonEmpty(v, path, "forward_payload_header"));
  if (p.forwardPayloadHeader.length > 0 && !isHeaderName(p.forwardPayloadHeader)) {
    r.fail(memberPath(path, "forward_payload_header"), HEADER_NAME_RULE);
  }
  const cths = r.objects(v, path, "claim_to_headers");
  for (let i = 0; i < cths.length; i++) {
    const ch = unchecked(cths[i]);
    const cp = itemPath(memberPath(path, "claim_to_headers"), i);
    r.only(ch, cp, ["header_name", "claim_name"]);
    const header = r.nonEmpty(ch, cp, "header_name");
    const claim = r.nonEmpty(ch, cp, "claim_name");
    if (!ch.has("header_name") || !ch.has("claim_name")) r.fail(cp, "needs header_name and claim_name");
    if (!isHeaderName(header)) r.fail(memberPath(cp, "header_name"), HEADER_NAME_RULE);
    p.claimToHeaders.push(new ClaimHeader(asciiLowerCase(header), claim));
  }
}

/** The keys: inline (local_jwks) or fetched (remote_jwks); the firebase preset brings its own. */
function readKeys(r: ConfigReader, p: Provider, v: JsonValue, path: string, firebase: bool): void {
  const local = v.get("local_jwks");
  const remote = r.object(v, path, "remote_jwks", REMOTE_FIELDS);
  if (local !== null && remote !== null) r.fail(path, "local_jwks and remote_jwks are exclusive");
  let oidc: JsonValue | null = null;
  if (COMPILED_FEATURES & FEATURE_OIDC) oidc = r.object(v, path, "oidc_discovery", oidcFields());
  else refuseUncompiled(r, v, path, "oidc_discovery");
  if (COMPILED_FEATURES & FEATURE_OIDC && oidc !== null) {
    if (local !== null || remote !== null || firebase)
      r.fail(path, "oidc_discovery excludes local_jwks, remote_jwks and firebase");
    else p.source = readOidcDiscovery(r, oidc, memberPath(path, "oidc_discovery"), p.options.issuers);
  } else if (local !== null) {
    const where = memberPath(path, "local_jwks");
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
    p.source = JwksSource.fetched(readRemote(r, remote, memberPath(path, "remote_jwks")));
  } else if (!firebase) {
    r.fail(path, "needs local_jwks, remote_jwks or oidc_discovery");
  }
}

function readRemote(r: ConfigReader, v: JsonValue, path: string): RemoteJwksConfig {
  const c = new RemoteJwksConfig();
  c.cluster = r.nonEmpty(v, path, "cluster");
  if (!v.has("cluster")) r.fail(memberPath(path, "cluster"), "is required (the Envoy cluster of the JWKS host)");
  if (v.has("uri")) {
    const uri = r.string(v, path, "uri", "", 0, ANY_LENGTH);
    const rest = uri.startsWith("https://") ? uri.substring(8) : uri.startsWith("http://") ? uri.substring(7) : "";
    const slash = rest.indexOf("/");
    if (rest.length == 0 || slash <= 0)
      r.fail(memberPath(path, "uri"), "must be an http(s) URL with a host and a path");
    else {
      c.authority = rest.substring(0, slash);
      c.path = rest.substring(slash);
    }
    if (v.has("authority") || v.has("path")) r.fail(memberPath(path, "uri"), "give either uri or authority and path");
  } else {
    c.authority = r.nonEmpty(v, path, "authority");
    c.path = r.nonEmpty(v, path, "path");
    r.required(v, path, "authority");
    if (!c.path.startsWith("/")) r.fail(memberPath(path, "path"), "must start with /");
  }
  readFetchPolicy(r, v, path, c);
  return c;
}

function readClaim(r: ConfigReader, v: JsonValue, path: string): ClaimRequirement | null {
  r.only(v, path, CLAIM_FIELDS);
  const name = r.nonEmpty(v, path, "name");
  if (r.required(v, path, "name") === null) return null;
  const eq = v.get("equals");
  if (eq !== null) {
    if (eq.isBool)
      return new ClaimRequirement(name, eq.flag ? ClaimOp.IsTrue : ClaimOp.Equals, eq.flag ? [] : ["false"]);
    if (eq.isString || eq.isNumber) return new ClaimRequirement(name, ClaimOp.Equals, [eq.text]);
    r.fail(memberPath(path, "equals"), "must be a string, number or boolean");
    return null;
  }
  if (v.has("one_of")) return new ClaimRequirement(name, ClaimOp.OneOf, claimValues(r, v, path, "one_of", false));
  if (v.has("contains_any"))
    return new ClaimRequirement(name, ClaimOp.ContainsAny, claimValues(r, v, path, "contains_any", true));
  if (v.has("contains_all"))
    return new ClaimRequirement(name, ClaimOp.ContainsAll, claimValues(r, v, path, "contains_all", true));
  if (v.has("is_true")) return new ClaimRequirement(name, ClaimOp.IsTrue, []);
  if (v.has("exists")) return new ClaimRequirement(name, ClaimOp.Exists, []);
  r.fail(path, "needs one of equals, one_of, contains_any, contains_all, is_true, exists");
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
  r.only(v, path, ["match", "requires", "requirement_name"]);
  const rule = new Rule();
  const where = memberPath(path, "match");
  const m = r.object(v, path, "match", ["path", "prefix", "headers"]);
  if (m === null) {
    if (!v.has("match")) r.fail(where, "is required");
  } else {
    if (m.has("path")) rule.path = r.nonEmpty(m, where, "path");
    if (m.has("prefix")) rule.prefix = r.nonEmpty(m, where, "prefix");
    if ((rule.path === null) == (rule.prefix === null)) r.fail(where, "needs exactly one of path or prefix");
    // Requests are matched in normal form, so a rule written otherwise could never match as meant.
    const p = rule.path !== null ? rule.path! : rule.prefix !== null ? rule.prefix! : "/";
    const n = normalizePath(p, false);
    if (n.error != PathError.None || n.path != p || n.query.hasQuery) {
      r.fail(
        memberPath(where, rule.path !== null ? "path" : "prefix"),
        "must be a normalized path: starts with /, no . or .. segments, no //, no %2F, no \\, no ? or #, unreserved characters not percent-encoded, hex digits upper-case",
      );
    }
    const hs = r.objects(m, where, "headers");
    for (let i = 0; i < hs.length; i++) {
      const h = unchecked(hs[i]);
      const hp = itemPath(memberPath(where, "headers"), i);
      r.only(h, hp, ["name"]);
      rule.headers.push(asciiLowerCase(r.nonEmpty(h, hp, "name")));
    }
  }
  const req = v.get("requires");
  if (req !== null) rule.requirement = readRequirement(r, c, req, memberPath(path, "requires"), 0);
  if (!(COMPILED_FEATURES & FEATURE_ROUTES)) refuseUncompiled(r, v, path, "requirement_name");
  else if (v.has("requirement_name")) {
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
  if (v.length != 1) {
    r.fail(
      path,
      "must have exactly one of provider_name, provider_and_audiences, requires_any, requires_all, allow_missing, allow_missing_or_failed",
    );
    return req;
  }
  const kind = v.nameAt(0);
  if (kind == "provider_name") {
    const name = r.nonEmpty(v, path, "provider_name");
    req.kind = RequirementKind.Provider;
    for (let i = 0; i < c.providers.length; i++) if (unchecked(c.providers[i]).name == name) req.provider = i;
    if (req.provider < 0) r.fail(memberPath(path, "provider_name"), 'no provider named "' + name + '"');
  } else if (kind == "requires_any" || kind == "requires_all") {
    req.kind = kind == "requires_any" ? RequirementKind.RequiresAny : RequirementKind.RequiresAll;
    const where = memberPath(path, kind);
    const list = r.object(v, path, kind);
    const items = list === null ? new Array<JsonValue>() : r.objects(list, where, "requirements");
    if (items.length < 2) r.fail(memberPath(where, "requirements"), "needs at least two requirements");
    for (let i = 0; i < items.length; i++) {
      req.children.push(
        readRequirement(r, c, unchecked(items[i]), itemPath(memberPath(where, "requirements"), i), depth + 1),
      );
    }
  } else if (kind == "allow_missing") req.kind = RequirementKind.AllowMissing;
  else if (kind == "allow_missing_or_failed") req.kind = RequirementKind.AllowMissingOrFailed;
  else if (kind == "provider_and_audiences") {
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

/** A cookie or query parameter name that needs no encoding, so it reads the same to every parser. */
function plainName(name: string): bool {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (
      c == 0x3d ||
      c == 0x3b ||
      c == 0x2c ||
      c == 0x26 ||
      c == 0x2b ||
      c == 0x25 ||
      c == 0x22 ||
      c == 0x5c ||
      c == 0x3f ||
      c == 0x23
    )
      return false;
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
