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
// Unknown fields, wrong types, a status outside 200..599 and invalid header names are refused.
import { JsonValue, JsonLimits, parseJson, jsonErrorMessage } from "@getwild/json/assembly";
import { ConfigError, ConfigReader, kindName, memberPath, itemPath } from "./config_reader";
import { isValidHeaderName, isValidHeaderValue, isHeaderSetByEnvoy } from "./header_syntax";
import {
  Matcher, MethodMatcher, PathMatcher, PathPrefixMatcher, HeaderPresentMatcher, HeaderEqualsMatcher,
  AllOf, AnyOf, NotMatcher,
} from "./match";
import { LocalReply, GRPC_STATUS_MAX } from "./reply";
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

/** A parsed configuration, or the first error with the field it is about. */
export class ResponderConfig {
  constructor(public readonly responder: Responder | null, public readonly error: ConfigError | null) {}

  get ok(): bool {
    return this.error === null;
  }
}

/**
 * Reads a responder configuration. Empty input (no configuration given) yields a responder with no
 * rules, which passes every request on.
 */
export function parseResponderConfig(bytes: Uint8Array): ResponderConfig {
  if (isBlank(bytes)) return new ResponderConfig(new Responder(), null);
  let parsed = parseJson(bytes, CONFIG_LIMITS);
  let root = parsed.value;
  if (!parsed.ok || root === null) {
    let message = jsonErrorMessage(parsed.error) + " at byte " + parsed.offset.toString();
    return new ResponderConfig(null, new ConfigError("", "invalid JSON: " + message));
  }
  let reader = new ConfigReader();
  let responder = readTop(reader, root);
  return reader.failed ? new ResponderConfig(null, reader.error) : new ResponderConfig(responder, null);
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

function readTop(reader: ConfigReader, root: JsonValue): Responder {
  let responder = new Responder();
  if (!reader.object(root, "", TOP_FIELDS)) return responder;
  let schema = root.get("$schema");
  if (schema !== null && reader.string(schema, "$schema") === null) return responder;
  let rules = root.get("rules");
  if (rules === null) {
    reader.fail("rules", "required field is missing");
    return responder;
  }
  if (!reader.array(rules, "rules")) return responder;
  for (let i = 0, n = rules.length; i < n && !reader.failed; i++) {
    readRule(reader, rules.at(i)!, itemPath("rules", i), responder);
  }
  return responder;
}

function readRule(reader: ConfigReader, rule: JsonValue, field: string, responder: Responder): void {
  if (!reader.object(rule, field, RULE_FIELDS)) return;
  let statusValue = rule.get("status");
  if (statusValue === null) {
    reader.fail(memberPath(field, "status"), "required field is missing");
    return;
  }
  let status = reader.integer(statusValue, memberPath(field, "status"), MIN_RULE_STATUS, MAX_RULE_STATUS);
  let reply = new LocalReply(<u32>status);
  let matchValue = rule.get("match");
  let matcher = matchValue === null ? new Matcher() : readMatch(reader, matchValue, memberPath(field, "match"));
  let headers = rule.get("headers");
  if (headers !== null) readReplyHeaders(reader, headers, memberPath(field, "headers"), reply);
  let body = rule.get("body");
  if (body !== null) {
    let text = reader.string(body, memberPath(field, "body"));
    if (text !== null) reply.text(text);
  }
  let grpc = rule.get("grpc_status");
  if (grpc !== null) reply.grpc(reader.integer(grpc, memberPath(field, "grpc_status"), 0, GRPC_STATUS_MAX));
  let details = rule.get("details");
  if (details !== null) {
    let text = reader.string(details, memberPath(field, "details"));
    if (text !== null) reply.withDetails(text);
  }
  if (!reader.failed) responder.when(matcher, reply);
}

function readReplyHeaders(reader: ConfigReader, headers: JsonValue, field: string, reply: LocalReply): void {
  if (!headers.isObject) {
    reader.fail(field, "expected an object, got " + kindName(headers));
    return;
  }
  for (let i = 0, n = headers.length; i < n && !reader.failed; i++) {
    let name = headers.nameAt(i);
    let where = memberPath(field, name);
    if (!isValidHeaderName(name)) {
      reader.fail(where, "invalid header name (RFC 9110 token characters only)");
      return;
    }
    if (isHeaderSetByEnvoy(name)) {
      reader.fail(where, "Envoy sets this header itself");
      return;
    }
    let value = headers.valueAt(i)!;
    if (value.isArray) {
      for (let j = 0, m = value.length; j < m; j++) addReplyHeader(reader, reply, name, value.at(j)!, itemPath(where, j));
    } else {
      addReplyHeader(reader, reply, name, value, where);
    }
  }
}

function addReplyHeader(reader: ConfigReader, reply: LocalReply, name: string, value: JsonValue, field: string): void {
  if (!value.isString) {
    reader.fail(field, "expected a string or an array of strings, got " + kindName(value));
    return;
  }
  if (!isValidHeaderValue(value.text)) {
    reader.fail(field, "invalid header value (control characters)");
    return;
  }
  reply.header(name, value.text);
}

function readMatch(reader: ConfigReader, match: JsonValue, field: string): Matcher {
  let all = new Array<Matcher>();
  if (!reader.object(match, field, MATCH_FIELDS)) return new Matcher();
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
  let any = match.get("any");
  if (any !== null && reader.array(any, memberPath(field, "any"))) {
    let alternatives = new Array<Matcher>();
    for (let i = 0, n = any.length; i < n && !reader.failed; i++) {
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
  let method = reader.string(value, field);
  if (method === null) return;
  if (!isValidHeaderName(method)) {
    reader.fail(field, "invalid method \"" + method + "\"");
    return;
  }
  methods.push(method);
}

function readPath(reader: ConfigReader, value: JsonValue, field: string): string | null {
  let path = reader.string(value, field);
  if (path === null) return null;
  if (!path.startsWith("/")) {
    reader.fail(field, "must start with \"/\"");
    return null;
  }
  if (path.includes("?") || path.includes("#")) {
    reader.fail(field, "must not contain a query or fragment (paths are matched without them)");
    return null;
  }
  return path;
}

function readHeaderConditions(reader: ConfigReader, headers: JsonValue, field: string, into: Matcher[]): void {
  if (!headers.isObject) {
    reader.fail(field, "expected an object, got " + kindName(headers));
    return;
  }
  for (let i = 0, n = headers.length; i < n && !reader.failed; i++) {
    let name = headers.nameAt(i);
    let where = memberPath(field, name);
    // Request pseudo-headers (":authority", ":scheme") are matchable; the rest must be a token.
    let bare = name.startsWith(":") ? name.substring(1) : name;
    if (!isValidHeaderName(bare)) {
      reader.fail(where, "invalid header name (RFC 9110 token characters only)");
      return;
    }
    let condition = headers.valueAt(i)!;
    if (condition.isBool) {
      let present = new HeaderPresentMatcher(name);
      into.push(condition.flag ? <Matcher>present : new NotMatcher(present));
    } else if (condition.isString) {
      into.push(new HeaderEqualsMatcher(name, condition.text));
    } else {
      reader.fail(where, "expected true (present), false (absent) or a string (equals), got " + kindName(condition));
    }
  }
}
