// SPDX-License-Identifier: Apache-2.0
// The responder's JSON configuration (Envoy `configuration` / Istio `pluginConfig`) read into rules, strictly.
//
// {
//   "rules": [
//     { "match": { "method": ["GET", "HEAD"], "prefix": "/old/", "headers": { "x-debug": true } },
//       "status": 410, "headers": { "cache-control": "no-store", "link": ["<a>", "<b>"] },
//       "body": "gone\n", "grpc_status": 5, "details": "gone" }
//   ]
// }
//
// match (every given condition must hold; no match object = every request):
//   method  string or array of strings     path  exact path, query excluded    prefix  path prefix
//   headers object: name -> true (present) | false (absent) | "value" (one value equals)
//   any     array of match objects, one must hold        not  a match object that must not hold
// Unknown fields, wrong types, a status outside 200..599 and header names or values a filter may not
// send (core's headers/syntax.ts) are refused.
import { ConfigReader, JsonValue, JsonLimits, memberPath, itemPath, kindName } from "@getwild/json/assembly";
import {
  HEADER_NAME_RULE,
  isHeaderName,
  isHeaderSetByEnvoy,
  isHeaderValue,
  isToken,
} from "@getwild/core/assembly/headers/syntax";
import {
  Matcher,
  MethodMatcher,
  PathMatcher,
  PathPrefixMatcher,
  HeaderPresentMatcher,
  HeaderEqualsMatcher,
  AllOf,
  AnyOf,
  NotMatcher,
} from "./match";
import { LocalReply, GRPC_STATUS_MAX, reply as startReply } from "./reply";
import { Responder } from "./responder";

// "$schema" lets a configuration file name its JSON Schema for editors (schema/responder.schema.json);
// it must be a string and is otherwise ignored.
const TOP_FIELDS: string[] = ["$schema", "rules"];
const RULE_FIELDS: string[] = ["match", "status", "headers", "body", "grpc_status", "details"];
const MATCH_FIELDS: string[] = ["method", "path", "prefix", "headers", "any", "not"];

/** Status codes a configured reply may use: success through server error. */
export const MIN_RULE_STATUS: i32 = 200;
export const MAX_RULE_STATUS: i32 = 599;

/** Room for long bodies (e.g. ASCII art) and many rules, still bounded. */
// @ts-ignore: decorator
@lazy const CONFIG_LIMITS = new JsonLimits(1 << 20, 32, 1 << 16);

/** A parsed configuration, or every error found (each "<path>: <what is wrong>", joined with "; "). */
export class ResponderConfig {
  constructor(
    public readonly responder: Responder | null,
    public readonly error: string,
  ) {}

  get ok(): bool {
    return this.responder !== null;
  }
}

/**
 * Reads a responder configuration. Empty input (no configuration given) yields a responder with no
 * rules, which passes every request on.
 */
export function parseResponderConfig(bytes: Uint8Array): ResponderConfig {
  if (isBlank(bytes)) return new ResponderConfig(new Responder(), "");
  let reader = new ConfigReader();
  let root = reader.document(bytes, CONFIG_LIMITS);
  if (root === null) return new ResponderConfig(null, reader.error);
  let responder = readTop(reader, root);
  return reader.ok ? new ResponderConfig(responder, "") : new ResponderConfig(null, reader.error);
}

/** Same as parseResponderConfig, for configuration given as text. */
export function parseResponderConfigText(text: string): ResponderConfig {
  return parseResponderConfig(Uint8Array.wrap(String.UTF8.encode(text)));
}

function isBlank(bytes: Uint8Array): bool {
  for (let i = 0, n = bytes.length; i < n; i++) {
    let c = unchecked(bytes[i]);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return false;
  }
  return true;
}

// Every read goes on after an error, so one refusal lists all there is to fix; what is built from
// a wrong field is thrown away with the configuration.

function readTop(reader: ConfigReader, root: JsonValue): Responder {
  let responder = new Responder();
  reader.only(root, "", TOP_FIELDS);
  reader.string(root, "", "$schema", "");
  let rules = reader.required(root, "", "rules");
  if (rules === null || !reader.arrayValue(rules, "rules")) return responder;
  for (let i = 0, n = rules.length; i < n; i++) readRule(reader, rules.at(i)!, itemPath("rules", i), responder);
  return responder;
}

function readRule(reader: ConfigReader, rule: JsonValue, field: string, responder: Responder): void {
  if (!reader.objectValue(rule, field, RULE_FIELDS)) return;
  reader.required(rule, field, "status");
  let status = reader.integer(rule, field, "status", MIN_RULE_STATUS, MIN_RULE_STATUS, MAX_RULE_STATUS);
  let reply = startReply(<u32>status);
  let matchValue = rule.get("match");
  let matcher = matchValue === null ? new Matcher() : readMatch(reader, matchValue, memberPath(field, "match"));
  let headers = rule.get("headers");
  if (headers !== null) readReplyHeaders(reader, headers, memberPath(field, "headers"), reply);
  if (rule.has("body")) reply.text(reader.string(rule, field, "body", ""));
  if (rule.has("grpc_status")) reply.grpc(<i32>reader.integer(rule, field, "grpc_status", -1, 0, GRPC_STATUS_MAX));
  if (rule.has("details")) reply.withDetails(reader.string(rule, field, "details", reply.details));
  responder.when(matcher, reply);
}

function readReplyHeaders(reader: ConfigReader, headers: JsonValue, field: string, reply: LocalReply): void {
  if (!reader.objectValue(headers, field)) return;
  for (let i = 0, n = headers.length; i < n; i++) {
    let name = headers.nameAt(i);
    let where = memberPath(field, name);
    if (!isHeaderName(name)) {
      reader.fail(where, HEADER_NAME_RULE);
      continue;
    }
    if (isHeaderSetByEnvoy(name)) {
      reader.fail(where, "Envoy sets this header itself");
      continue;
    }
    let value = headers.valueAt(i)!;
    if (value.isArray) {
      for (let j = 0, m = value.length; j < m; j++)
        addReplyHeader(reader, reply, name, value.at(j)!, itemPath(where, j));
    } else if (value.isString) {
      addReplyHeader(reader, reply, name, value, where);
    } else {
      reader.fail(where, "must be a string or an array of strings, got " + kindName(value));
    }
  }
}

function addReplyHeader(reader: ConfigReader, reply: LocalReply, name: string, value: JsonValue, field: string): void {
  let text = reader.stringValue(value, field);
  if (text === null) return;
  if (!isHeaderValue(text)) {
    reader.fail(field, "must be a header value (no control characters but tab)");
    return;
  }
  reply.header(name, text);
}

function readMatch(reader: ConfigReader, match: JsonValue, field: string): Matcher {
  let all = new Array<Matcher>();
  if (!reader.objectValue(match, field, MATCH_FIELDS)) return new Matcher();
  let method = match.get("method");
  if (method !== null) all.push(readMethods(reader, method, memberPath(field, "method")));
  let path = match.get("path");
  if (path !== null) {
    let text = readPath(reader, path, memberPath(field, "path"));
    if (text !== null) all.push(new PathMatcher(text));
  }
  let prefix = match.get("prefix");
  if (prefix !== null) {
    let text = readPath(reader, prefix, memberPath(field, "prefix"));
    if (text !== null) all.push(new PathPrefixMatcher(text));
  }
  let headers = match.get("headers");
  if (headers !== null) readHeaderConditions(reader, headers, memberPath(field, "headers"), all);
  let any = reader.array(match, field, "any");
  if (any !== null) {
    let alternatives = new Array<Matcher>();
    for (let i = 0, n = any.length; i < n; i++) {
      alternatives.push(readMatch(reader, any.at(i)!, itemPath(memberPath(field, "any"), i)));
    }
    all.push(new AnyOf(alternatives));
  }
  let inner = match.get("not");
  if (inner !== null) all.push(new NotMatcher(readMatch(reader, inner, memberPath(field, "not"))));
  return all.length == 1 ? unchecked(all[0]) : new AllOf(all);
}

function readMethods(reader: ConfigReader, value: JsonValue, field: string): Matcher {
  let methods = new Array<string>();
  if (value.isArray) {
    if (value.length == 0) reader.fail(field, "must list at least one method");
    for (let i = 0, n = value.length; i < n; i++) addMethod(reader, value.at(i)!, itemPath(field, i), methods);
  } else {
    addMethod(reader, value, field, methods);
  }
  return new MethodMatcher(methods);
}

function addMethod(reader: ConfigReader, value: JsonValue, field: string, methods: string[]): void {
  let method = reader.stringValue(value, field);
  if (method === null) return;
  if (!isToken(method)) {
    reader.fail(field, 'must be a method (RFC 9110 token characters), got "' + method + '"');
    return;
  }
  methods.push(method);
}

function readPath(reader: ConfigReader, value: JsonValue, field: string): string | null {
  let path = reader.stringValue(value, field);
  if (path === null) return null;
  if (!path.startsWith("/")) {
    reader.fail(field, 'must start with "/"');
    return null;
  }
  if (path.includes("?") || path.includes("#")) {
    reader.fail(field, "must not contain a query or fragment (paths are matched without them)");
    return null;
  }
  return path;
}

function readHeaderConditions(reader: ConfigReader, headers: JsonValue, field: string, into: Matcher[]): void {
  if (!reader.objectValue(headers, field)) return;
  for (let i = 0, n = headers.length; i < n; i++) {
    let name = headers.nameAt(i);
    let where = memberPath(field, name);
    // Only looked up, never set: any RFC 9110 token, and request pseudo-headers (":authority").
    let bare = name.startsWith(":") ? name.substring(1) : name;
    if (!isToken(bare)) {
      reader.fail(where, "must be a header name (RFC 9110 token characters) or a pseudo-header");
      continue;
    }
    let condition = headers.valueAt(i)!;
    if (condition.isBool) {
      let present = new HeaderPresentMatcher(name);
      into.push(condition.flag ? <Matcher>present : new NotMatcher(present));
    } else if (condition.isString) {
      into.push(new HeaderEqualsMatcher(name, condition.text));
    } else {
      reader.fail(where, "must be true (present), false (absent) or a string (equals), got " + kindName(condition));
    }
  }
}
