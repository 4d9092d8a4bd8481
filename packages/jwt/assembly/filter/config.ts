// SPDX-License-Identifier: Apache-2.0
// Parses and validates the JwtAuthn JSON configuration (shaped like Envoy's jwt_authn; see
// docs/filter.md). Returns the model or every error found, each naming its field.
import { asciiLowerCase } from "../jose/encoding/ascii";
import { JsonKind, JsonValue, parseJsonText } from "@getwild/json/assembly";
import { algFromName, ALGS_HMAC } from "../jose/jwt/algorithms";
import { ClaimOp, ClaimRequirement, validateVerifyOptions } from "../jose/jwt/options";
import { JwksOptions, parseJwks, jwksErrorMessage } from "../jose/jwks/jwks";
import { JwkOptions } from "../jose/jwks/jwk";
import { JwksSource, RemoteJwksConfig } from "../cache/jwks_source";
import { applyFirebase, firebaseJwks, FIREBASE_JWKS_CLUSTER } from "../presets/firebase";
import { Fields } from "./json_fields";
import { normalizePath, PathError } from "./path";
import { ClaimHeader, FilterConfig, HeaderLocation, Provider, Requirement, RequirementKind, Rule } from "./model";

export class ConfigResult {
  constructor(public config: FilterConfig | null, public error: string) {}
}

// "$schema" lets a configuration file name its JSON Schema for editors (schema/jwt-authn.schema.json);
// the filter only checks that it is a string.
const TOP = ["$schema", "providers", "rules", "unmatched", "bypass_cors_preflight", "audience_failure_status", "failure_body",
  "realm", "jwks_unavailable", "jwt_cache_size", "jwt_cache_bytes", "stat_prefix", "tick_ms", "path_with_escaped_slashes_action"];
/**
 * The most verified-token cache memory a worker may be asked to hold. Envoy's V8 stops a VM at
 * 1 GiB, and the incremental collector needs room beside the live entries (garbage between cycles,
 * the JWKS, in-flight requests), so a quarter of that is the ceiling.
 */
const MAX_CACHE_BYTES: i64 = 256 << 20;
const PROVIDER = ["issuer", "issuers", "audiences", "algorithms", "require_expiration", "require_kid", "require_subject",
  "clock_skew_seconds", "max_lifetime_seconds", "claims", "local_jwks", "remote_jwks", "from_headers", "from_cookies",
  "from_params", "forward", "forward_payload_header", "claim_to_headers", "firebase", "max_token_bytes"];
const REMOTE = ["cluster", "authority", "path", "uri", "timeout_ms", "min_lifetime_seconds", "max_lifetime_seconds",
  "fallback_lifetime_seconds", "refresh_before_seconds", "backoff_base_ms", "backoff_max_ms",
  "unknown_kid_min_interval_ms", "max_bytes", "max_keys"];
const CLAIM = ["name", "equals", "one_of", "contains_any", "contains_all", "is_true", "exists"];

export function parseFilterConfig(text: string): ConfigResult {
  const parsed = parseJsonText(text);
  const root = parsed.value;
  if (root === null || root.kind != JsonKind.Object) return new ConfigResult(null, "configuration: must be a JSON object");
  const f = new Fields();
  const c = new FilterConfig();
  f.only(root, "", TOP);
  f.string(root, "$schema", "$schema", "");
  const providers = f.object(root, "providers", "providers");
  if (providers === null || providers.length == 0) f.fail("providers", "at least one provider is required");
  else {
    for (let i = 0; i < providers.length; i++) {
      c.providers.push(parseProvider(f, providers.nameAt(i), providers.valueAt(i)!));
    }
  }
  const rules = f.objects(root, "rules", "rules");
  for (let i = 0; i < rules.length; i++) c.rules.push(parseRule(f, c, unchecked(rules[i]), "rules[" + i.toString() + "]"));
  const unmatched = root.get("unmatched");
  if (unmatched !== null) {
    if (unmatched.kind == JsonKind.String && unmatched.text == "deny") c.unmatchedDeny = true;
    else if (unmatched.kind == JsonKind.String && unmatched.text == "allow") {
      c.unmatchedDeny = false;
    } else if (unmatched.kind == JsonKind.Object) {
      c.unmatchedDeny = false;
      c.unmatched = parseRequirement(f, c, unmatched, "unmatched", 0);
    } else f.fail("unmatched", "must be \"deny\", \"allow\" or a requirement");
  }
  c.bypassCorsPreflight = f.bool(root, "bypass_cors_preflight", "bypass_cors_preflight", false);
  const slashes = f.string(root, "path_with_escaped_slashes_action", "path_with_escaped_slashes_action", "REJECT_REQUEST");
  if (slashes != "REJECT_REQUEST" && slashes != "UNESCAPE_AND_FORWARD") {
    f.fail("path_with_escaped_slashes_action", "must be \"REJECT_REQUEST\" or \"UNESCAPE_AND_FORWARD\"");
  }
  c.unescapeSlashes = slashes == "UNESCAPE_AND_FORWARD";
  const aud = f.integer(root, "audience_failure_status", "audience_failure_status", 401, 401, 403);
  if (aud != 401 && aud != 403) f.fail("audience_failure_status", "must be 401 or 403");
  c.audienceStatus = <u32>aud;
  const body = f.string(root, "failure_body", "failure_body", "json");
  if (body != "json" && body != "empty") f.fail("failure_body", "must be \"json\" or \"empty\"");
  c.jsonBody = body == "json";
  c.realm = f.string(root, "realm", "realm", "");
  if (c.realm.includes("\"") || c.realm.includes("\\")) f.fail("realm", "must not contain quotes or backslashes");
  for (let i = 0; i < c.realm.length; i++) {
    const ch = c.realm.charCodeAt(i);
    if (ch < 0x20 || ch == 0x7f) f.fail("realm", "must not contain control characters");
  }
  const jwksPolicy = f.string(root, "jwks_unavailable", "jwks_unavailable", "deny");
  if (jwksPolicy != "deny" && jwksPolicy != "allow") f.fail("jwks_unavailable", "must be \"deny\" or \"allow\"");
  c.failOpenWithoutJwks = jwksPolicy == "allow";
  c.tokenCacheSize = <i32>f.integer(root, "jwt_cache_size", "jwt_cache_size", 100, 0, 100000);
  c.tokenCacheBytes = <i32>f.integer(root, "jwt_cache_bytes", "jwt_cache_bytes", 1 << 20, 0, MAX_CACHE_BYTES);
  c.statPrefix = f.string(root, "stat_prefix", "stat_prefix", "jwt_authn", true);
  c.tickMs = <u32>f.integer(root, "tick_ms", "tick_ms", 1000, 10, 60000);
  c.finish();
  if (!f.ok) return new ConfigResult(null, f.error);
  return new ConfigResult(c, "");
}

function parseProvider(f: Fields, name: string, v: JsonValue): Provider {
  const path = "providers." + name;
  const p = new Provider();
  p.name = name;
  if (v.kind != JsonKind.Object) {
    f.fail(path, "must be an object");
    return p;
  }
  f.only(v, path, PROVIDER);
  const o = p.options;
  const fb = f.object(v, "firebase", path + ".firebase");
  if (fb !== null) {
    f.only(fb, path + ".firebase", ["project_id", "cluster"]);
    const projectId = f.string(fb, "project_id", path + ".firebase.project_id", "", true);
    if (!fb.has("project_id")) f.fail(path + ".firebase.project_id", "is required");
    if (!validProjectId(projectId)) f.fail(path + ".firebase.project_id", "must be a Firebase project id (lower-case letters, digits, '-')");
    applyFirebase(p, projectId);
    if (!v.has("remote_jwks") && !v.has("local_jwks")) {
      p.source = JwksSource.fetched(firebaseJwks(f.string(fb, "cluster", path + ".firebase.cluster", FIREBASE_JWKS_CLUSTER, true)));
    }
    for (let i = 0; i < 4; i++) {
      const fixed = ["issuer", "issuers", "audiences", "algorithms"][i];
      if (v.has(fixed)) f.fail(path + "." + fixed, "is set by the firebase preset");
    }
  }
  const issuer = f.string(v, "issuer", path + ".issuer", "", true);
  if (issuer.length > 0) o.issuers.push(issuer);
  const issuers = f.strings(v, "issuers", path + ".issuers");
  for (let i = 0; i < issuers.length; i++) o.issuers.push(unchecked(issuers[i]));
  const audiences = f.strings(v, "audiences", path + ".audiences");
  for (let i = 0; i < audiences.length; i++) o.audiences.push(unchecked(audiences[i]));
  if (v.has("algorithms")) {
    const algs = f.strings(v, "algorithms", path + ".algorithms");
    let mask: u32 = 0;
    for (let i = 0; i < algs.length; i++) {
      const a = algFromName(unchecked(algs[i]));
      if (a < 0) f.fail(path + ".algorithms[" + i.toString() + "]", "unknown or refused algorithm " + unchecked(algs[i]));
      else mask |= (<u32>1) << <u32>a;
    }
    if (algs.length == 0) f.fail(path + ".algorithms", "must name at least one algorithm");
    o.algorithms = mask;
  }
  o.requireExpiration = f.bool(v, "require_expiration", path + ".require_expiration", o.requireExpiration);
  o.requireKid = f.bool(v, "require_kid", path + ".require_kid", o.requireKid);
  o.requireSubject = f.bool(v, "require_subject", path + ".require_subject", o.requireSubject);
  o.clockSkewSeconds = f.integer(v, "clock_skew_seconds", path + ".clock_skew_seconds", o.clockSkewSeconds, 0, 300);
  o.maxLifetimeSeconds = f.integer(v, "max_lifetime_seconds", path + ".max_lifetime_seconds", 0, 0, 1 << 40);
  o.limits.maxTokenBytes = <i32>f.integer(v, "max_token_bytes", path + ".max_token_bytes", o.limits.maxTokenBytes, 16, 1 << 20);
  const claims = f.objects(v, "claims", path + ".claims");
  for (let i = 0; i < claims.length; i++) {
    const r = parseClaim(f, unchecked(claims[i]), path + ".claims[" + i.toString() + "]");
    if (r !== null) o.requirements.push(r);
  }
  // Where the token comes from. Default: Authorization: Bearer (no query parameter unless asked).
  const headers = f.objects(v, "from_headers", path + ".from_headers");
  for (let i = 0; i < headers.length; i++) {
    const h = unchecked(headers[i]);
    const hp = path + ".from_headers[" + i.toString() + "]";
    f.only(h, hp, ["name", "value_prefix"]);
    const hn = f.string(h, "name", hp + ".name", "", true);
    if (!h.has("name")) f.fail(hp + ".name", "is required");
    else if (!headerName(hn)) f.fail(hp + ".name", HEADER_NAME);
    p.fromHeaders.push(new HeaderLocation(asciiLowerCase(hn), f.string(h, "value_prefix", hp + ".value_prefix", "")));
  }
  p.fromCookies = f.strings(v, "from_cookies", path + ".from_cookies");
  for (let i = 0; i < p.fromCookies.length; i++) {
    if (!plainName(unchecked(p.fromCookies[i]))) f.fail(path + ".from_cookies[" + i.toString() + "]", PLAIN_NAME);
  }
  p.fromParams = f.strings(v, "from_params", path + ".from_params");
  for (let i = 0; i < p.fromParams.length; i++) {
    if (!plainName(unchecked(p.fromParams[i]))) f.fail(path + ".from_params[" + i.toString() + "]", PLAIN_NAME);
  }
  if (!v.has("from_headers") && !v.has("from_cookies") && !v.has("from_params")) {
    p.fromHeaders.push(new HeaderLocation("authorization", "Bearer "));
  }
  p.forward = f.bool(v, "forward", path + ".forward", false);
  p.forwardPayloadHeader = asciiLowerCase(f.string(v, "forward_payload_header", path + ".forward_payload_header", "", true));
  if (p.forwardPayloadHeader.length > 0 && !headerName(p.forwardPayloadHeader)) {
    f.fail(path + ".forward_payload_header", HEADER_NAME);
  }
  const cths = f.objects(v, "claim_to_headers", path + ".claim_to_headers");
  for (let i = 0; i < cths.length; i++) {
    const ch = unchecked(cths[i]);
    const cp = path + ".claim_to_headers[" + i.toString() + "]";
    f.only(ch, cp, ["header_name", "claim_name"]);
    const hn = f.string(ch, "header_name", cp + ".header_name", "", true);
    const cn = f.string(ch, "claim_name", cp + ".claim_name", "", true);
    if (!ch.has("header_name") || !ch.has("claim_name")) f.fail(cp, "needs header_name and claim_name");
    if (!headerName(hn)) f.fail(cp + ".header_name", HEADER_NAME);
    p.claimToHeaders.push(new ClaimHeader(asciiLowerCase(hn), cn));
  }
  // Keys.
  const local = v.get("local_jwks");
  const remote = f.object(v, "remote_jwks", path + ".remote_jwks");
  if (local !== null && remote !== null) f.fail(path, "local_jwks and remote_jwks are exclusive");
  if (local !== null) {
    let text = "";
    if (local.kind == JsonKind.String) text = local.text;
    else if (local.kind == JsonKind.Object && local.has("inline_string")) text = f.string(local, "inline_string", path + ".local_jwks.inline_string", "");
    else f.fail(path + ".local_jwks", "must be a JWKS JSON string or {\"inline_string\": ...}");
    const jwks = new JwksOptions(65536, 64, new JwkOptions((o.algorithms & ALGS_HMAC) != 0));
    const set = parseJwks(Uint8Array.wrap(String.UTF8.encode(text)), jwks);
    if (!set.ok || set.keySet === null) f.fail(path + ".local_jwks", jwksErrorMessage(set.error));
    else p.source = JwksSource.inline(set.keySet!);
  } else if (remote !== null) {
    p.source = JwksSource.fetched(parseRemote(f, remote, path + ".remote_jwks"));
  } else if (fb === null) {
    f.fail(path, "needs local_jwks or remote_jwks");
  }
  const problem = validateVerifyOptions(o);
  if (problem !== null) f.fail(path + "." + problem.split(":")[0], problem.substring(problem.indexOf(":") + 2));
  return p;
}

function parseRemote(f: Fields, v: JsonValue, path: string): RemoteJwksConfig {
  f.only(v, path, REMOTE);
  const r = new RemoteJwksConfig();
  r.cluster = f.string(v, "cluster", path + ".cluster", "", true);
  if (!v.has("cluster")) f.fail(path + ".cluster", "is required (the Envoy cluster of the JWKS host)");
  if (v.has("uri")) {
    const uri = f.string(v, "uri", path + ".uri", "");
    let rest = uri.startsWith("https://") ? uri.substring(8) : uri.startsWith("http://") ? uri.substring(7) : "";
    const slash = rest.indexOf("/");
    if (rest.length == 0 || slash <= 0) f.fail(path + ".uri", "must be an http(s) URL with a host and a path");
    else {
      r.authority = rest.substring(0, slash);
      r.path = rest.substring(slash);
    }
    if (v.has("authority") || v.has("path")) f.fail(path + ".uri", "give either uri or authority and path");
  } else {
    r.authority = f.string(v, "authority", path + ".authority", "", true);
    r.path = f.string(v, "path", path + ".path", "", true);
    if (!v.has("authority")) f.fail(path + ".authority", "is required");
    if (!r.path.startsWith("/")) f.fail(path + ".path", "must start with /");
  }
  r.timeoutMs = <u32>f.integer(v, "timeout_ms", path + ".timeout_ms", 5000, 1, 60000);
  r.minLifetimeSeconds = f.integer(v, "min_lifetime_seconds", path + ".min_lifetime_seconds", 30, 1, 31536000);
  r.maxLifetimeSeconds = f.integer(v, "max_lifetime_seconds", path + ".max_lifetime_seconds", 86400, 1, 31536000);
  r.fallbackLifetimeSeconds = f.integer(v, "fallback_lifetime_seconds", path + ".fallback_lifetime_seconds", 600, 1, 31536000);
  if (r.minLifetimeSeconds > r.maxLifetimeSeconds) f.fail(path + ".min_lifetime_seconds", "must not exceed max_lifetime_seconds");
  r.refreshBeforeSeconds = f.integer(v, "refresh_before_seconds", path + ".refresh_before_seconds", 60, 0, 86400);
  r.backoffBaseMs = f.integer(v, "backoff_base_ms", path + ".backoff_base_ms", 1000, 10, 3600000);
  r.backoffMaxMs = f.integer(v, "backoff_max_ms", path + ".backoff_max_ms", 60000, 10, 3600000);
  if (r.backoffBaseMs > r.backoffMaxMs) f.fail(path + ".backoff_base_ms", "must not exceed backoff_max_ms");
  r.unknownKidMinIntervalMs = f.integer(v, "unknown_kid_min_interval_ms", path + ".unknown_kid_min_interval_ms", 30000, 0, 86400000);
  r.jwks.maxBytes = <i32>f.integer(v, "max_bytes", path + ".max_bytes", 65536, 256, 1 << 20);
  r.jwks.maxKeys = <i32>f.integer(v, "max_keys", path + ".max_keys", 64, 1, 1024);
  return r;
}

function parseClaim(f: Fields, v: JsonValue, path: string): ClaimRequirement | null {
  f.only(v, path, CLAIM);
  const name = f.string(v, "name", path + ".name", "", true);
  if (!v.has("name")) {
    f.fail(path + ".name", "is required");
    return null;
  }
  const eq = v.get("equals");
  if (eq !== null) {
    if (eq.kind == JsonKind.Bool) return new ClaimRequirement(name, eq.flag ? ClaimOp.IsTrue : ClaimOp.Equals, eq.flag ? [] : ["false"]);
    if (eq.kind == JsonKind.String || eq.kind == JsonKind.Number) return new ClaimRequirement(name, ClaimOp.Equals, [eq.text]);
    f.fail(path + ".equals", "must be a string, number or boolean");
    return null;
  }
  if (v.has("one_of")) return new ClaimRequirement(name, ClaimOp.OneOf, nonEmpty(f, f.strings(v, "one_of", path + ".one_of"), path + ".one_of"));
  if (v.has("contains_any")) return new ClaimRequirement(name, ClaimOp.ContainsAny, nonEmpty(f, f.strings(v, "contains_any", path + ".contains_any", true), path + ".contains_any"));
  if (v.has("contains_all")) return new ClaimRequirement(name, ClaimOp.ContainsAll, nonEmpty(f, f.strings(v, "contains_all", path + ".contains_all", true), path + ".contains_all"));
  if (v.has("is_true")) return new ClaimRequirement(name, ClaimOp.IsTrue);
  if (v.has("exists")) return new ClaimRequirement(name, ClaimOp.Exists);
  f.fail(path, "needs one of equals, one_of, contains_any, contains_all, is_true, exists");
  return null;
}

function nonEmpty(f: Fields, values: Array<string>, path: string): Array<string> {
  if (values.length == 0) f.fail(path, "needs at least one value");
  return values;
}

function parseRule(f: Fields, c: FilterConfig, v: JsonValue, path: string): Rule {
  f.only(v, path, ["match", "requires"]);
  const rule = new Rule();
  const m = f.object(v, "match", path + ".match");
  if (m === null) f.fail(path + ".match", "is required");
  else {
    f.only(m, path + ".match", ["path", "prefix", "headers"]);
    if (m.has("path")) rule.path = f.string(m, "path", path + ".match.path", "", true);
    if (m.has("prefix")) rule.prefix = f.string(m, "prefix", path + ".match.prefix", "", true);
    if ((rule.path === null) == (rule.prefix === null)) f.fail(path + ".match", "needs exactly one of path or prefix");
    // Requests are matched in normal form, so a rule written otherwise could never match as meant.
    const p = rule.path !== null ? rule.path! : rule.prefix !== null ? rule.prefix! : "/";
    const n = normalizePath(p, false);
    if (n.error != PathError.None || n.path != p || n.query.length > 0) {
      f.fail(path + ".match." + (rule.path !== null ? "path" : "prefix"), "must be a normalized path: starts with /, no . or .. segments, no //, no %2F, no \\, no ? or #, unreserved characters not percent-encoded, hex digits upper-case");
    }
    const hs = f.objects(m, "headers", path + ".match.headers");
    for (let i = 0; i < hs.length; i++) {
      const h = unchecked(hs[i]);
      f.only(h, path + ".match.headers[" + i.toString() + "]", ["name"]);
      rule.headers.push(asciiLowerCase(f.string(h, "name", path + ".match.headers[" + i.toString() + "].name", "", true)));
    }
  }
  const req = v.get("requires");
  if (req !== null) rule.requirement = parseRequirement(f, c, req, path + ".requires", 0);
  return rule;
}

function parseRequirement(f: Fields, c: FilterConfig, v: JsonValue, path: string, depth: i32): Requirement {
  const r = new Requirement();
  if (depth > 8) {
    f.fail(path, "nested too deeply");
    return r;
  }
  if (v.kind != JsonKind.Object) {
    f.fail(path, "must be an object");
    return r;
  }
  if (v.length == 0) return r; // no JWT needed
  if (v.length != 1) {
    f.fail(path, "must have exactly one of provider_name, requires_any, requires_all, allow_missing, allow_missing_or_failed");
    return r;
  }
  const kind = v.nameAt(0);
  if (kind == "provider_name") {
    const name = f.string(v, "provider_name", path + ".provider_name", "", true);
    r.kind = RequirementKind.Provider;
    for (let i = 0; i < c.providers.length; i++) if (unchecked(c.providers[i]).name == name) r.provider = i;
    if (r.provider < 0) f.fail(path + ".provider_name", "no provider named \"" + name + "\"");
  } else if (kind == "requires_any" || kind == "requires_all") {
    r.kind = kind == "requires_any" ? RequirementKind.RequiresAny : RequirementKind.RequiresAll;
    const list = f.object(v, kind, path + "." + kind);
    const items = list === null ? new Array<JsonValue>() : f.objects(list, "requirements", path + "." + kind + ".requirements");
    if (items.length < 2) f.fail(path + "." + kind + ".requirements", "needs at least two requirements");
    for (let i = 0; i < items.length; i++) {
      r.children.push(parseRequirement(f, c, unchecked(items[i]), path + "." + kind + ".requirements[" + i.toString() + "]", depth + 1));
    }
  } else if (kind == "allow_missing") r.kind = RequirementKind.AllowMissing;
  else if (kind == "allow_missing_or_failed") r.kind = RequirementKind.AllowMissingOrFailed;
  else f.fail(path + "." + kind, "unknown requirement");
  return r;
}

const HEADER_NAME = "must be a header name (letters, digits, -, _ or ., no pseudo-header)";

const PLAIN_NAME = "must be printable ASCII without spaces or any of = ; , & + % \" \\ ? #";

/** A cookie or query parameter name that needs no encoding, so it reads the same to every parser. */
function plainName(name: string): bool {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (c == 0x3d || c == 0x3b || c == 0x2c || c == 0x26 || c == 0x2b || c == 0x25 || c == 0x22 || c == 0x5c || c == 0x3f || c == 0x23) return false;
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

/** An HTTP field name (RFC 9110 token) the filter may write; pseudo-headers excluded. */
function headerName(name: string): bool {
  if (name.length == 0 || name.length > 256) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f || c == 0x2e;
    if (!ok) return false;
  }
  return true;
}
