// SPDX-License-Identifier: Apache-2.0
// Named requirements and per-route requirements (Envoy jwt_authn's `requirement_map`, its rules'
// `requirement_name`, its per-route `requirement_name`) and `provider_and_audiences`, read from
// the JSON configuration. See docs/routes.md.
//
// Envoy gives a wasm filter no per-route typed configuration, so a route is told apart by the name
// Envoy reports for the request (the `xds.route_name` property, readable from the request headers
// on), and `route_requirements` maps route names to requirement names.
import { ConfigReader, JsonValue, memberPath } from "@getwild/json/assembly";
import { getPropertyString } from "@getwild/core/assembly";
import { FilterConfig, Provider, Requirement, RequirementKind } from "./model";
import { COMPILED_FEATURES, FEATURE_ROUTES } from "./features";
import { N, named, namesFrom } from "./names";

/** The config reader's own functions, passed in so that this file does not import config.ts back. */
export type ProviderReader = (r: ConfigReader, name: string, v: JsonValue) => Provider;
export type RequirementReader = (
  r: ConfigReader,
  c: FilterConfig,
  v: JsonValue,
  path: string,
  depth: i32,
) => Requirement;

/** At most this many provider variants made by `provider_and_audiences`: each is a provider checked per request. */
const MAX_VARIANTS: i32 = 64;

/** What a configuration being read offers to `provider_and_audiences` (set by readRequirementMap). */
class Reading {
  constructor(
    public providers: JsonValue | null,
    public readProvider: ProviderReader,
  ) {}
}

let reading: Reading | null = null;

/**
 * Reads `requirement_map` (name → requirement) into `c.requirementMap`. Call after the providers
 * and before the rules, which may name these requirements (`requirement_name`).
 */
export function readRequirementMap(
  r: ConfigReader,
  c: FilterConfig,
  root: JsonValue,
  readProvider: ProviderReader,
  readRequirement: RequirementReader,
): void {
  reading = new Reading(root.get(named(N.Providers)), readProvider);
  const map = r.object(root, "", named(N.RequirementMap));
  if (map === null) return;
  for (let i = 0, n = map.length; i < n; i++) {
    const name = map.nameAt(i);
    const path = memberPath(named(N.RequirementMap), name);
    if (name.length == 0) r.fail(path, "a requirement name must not be empty");
    c.requirementMap!.set(name, readRequirement(r, c, map.valueAt(i)!, path, 0));
  }
}

/**
 * Reads `route_requirements` (Envoy route name → requirement name). Call after the rules. Ends the
 * reading started by readRequirementMap.
 */
export function readRouteRequirements(r: ConfigReader, c: FilterConfig, root: JsonValue): void {
  reading = null;
  const routes = r.object(root, "", named(N.RouteRequirements));
  if (routes === null) return;
  for (let i = 0, n = routes.length; i < n; i++) {
    const route = routes.nameAt(i);
    const path = memberPath(named(N.RouteRequirements), route);
    const v = routes.valueAt(i)!;
    const name = r.stringValue(v, path, 1);
    if (name === null) continue;
    if (route.length == 0) r.fail(path, 'a route name must not be empty (Envoy reports unnamed routes as "")');
    c.routeRequirements!.set(route, namedRequirement(r, c, name, path));
  }
}

/** The requirement `name` of `requirement_map`; an unknown name is a configuration error at `path`. */
export function namedRequirement(r: ConfigReader, c: FilterConfig, name: string, path: string): Requirement {
  const found = c.requirementMap!.get(name); // read only in a build with routes, where it is never null
  if (found !== null) return found;
  r.fail(path, 'no requirement named "' + name + '" in requirement_map');
  // Refused configurations never run; the placeholder only keeps the reader going.
  const missing = new Requirement();
  missing.kind = RequirementKind.RequiresAll;
  return missing;
}

/**
 * `{"provider_and_audiences": {"provider_name": "...", "audiences": [...]}}`: the provider's token,
 * with `aud` checked against these audiences instead of the provider's own. Made into a provider
 * of its own (a variant) read from the same JSON, so that every provider rule (issuer, algorithms,
 * claims, token locations, and whatever later versions add) applies to it too; it shares the
 * provider's key source, so nothing is fetched twice.
 */
export function readProviderAndAudiences(r: ConfigReader, c: FilterConfig, v: JsonValue, path: string): Requirement {
  const req = new Requirement();
  req.kind = RequirementKind.Provider;
  const where = memberPath(path, named(N.ProviderAndAudiences));
  const known = namesFrom(N.ProviderName, N.ProviderName);
  known.push(named(N.Audiences));
  const spec = r.object(v, path, named(N.ProviderAndAudiences), known);
  if (spec === null) return req;
  const name = r.nonEmpty(spec, where, named(N.ProviderName));
  r.required(spec, where, named(N.ProviderName));
  const audiences = r.strings(spec, where, named(N.Audiences));
  if (audiences.length == 0) r.fail(memberPath(where, named(N.Audiences)), "needs at least one audience");
  let base = -1;
  for (let i = 0; i < c.providers.length; i++) {
    const p = unchecked(c.providers[i]);
    if (p.name == name && p.variantOf < 0) base = i;
  }
  if (base < 0) {
    if (name.length > 0) r.fail(memberPath(where, named(N.ProviderName)), 'no provider named "' + name + '"');
    return req;
  }
  const label = name + " (audiences " + audiences.join(", ") + ")";
  for (let i = 0; i < c.providers.length; i++) {
    const p = unchecked(c.providers[i]);
    if (p.name != label) continue;
    if (p.variantOf == base) {
      req.provider = i;
      return req;
    }
    // provider_name lookups go by name: a provider of the variant's name would be ambiguous.
    r.fail(where, 'a provider is already named "' + label + '"');
    return req;
  }
  const now = reading;
  if (now === null || now.providers === null) return req;
  const json = now.providers!.get(name);
  if (json === null) return req;
  let variants = 0;
  for (let i = 0; i < c.providers.length; i++) if (unchecked(c.providers[i]).variantOf >= 0) variants++;
  if (variants >= MAX_VARIANTS) {
    r.fail(where, "at most " + MAX_VARIANTS.toString() + " different provider_and_audiences in one configuration");
    return req;
  }
  // Read again from its JSON: errors there are already listed under providers.<name> (the reader
  // lists a line once), and a variant of a refused provider is never used.
  const variant = now.readProvider(r, name, json);
  const original = unchecked(c.providers[base]);
  variant.name = label;
  variant.variantOf = base;
  variant.source = original.source;
  variant.options.audiences = audiences;
  req.provider = c.providers.length;
  c.providers.push(variant);
  return req;
}

/** The requirement of rules[i].requirement_name. */
export function readRuleRequirementName(r: ConfigReader, c: FilterConfig, v: JsonValue, path: string): Requirement {
  const name = r.nonEmpty(v, path, named(N.RequirementName));
  return namedRequirement(r, c, name, memberPath(path, named(N.RequirementName)));
}

/** The route Envoy chose for this request: the mapped requirement, or null (then `rules` apply). */
export class RouteChoice {
  constructor(
    public route: string | null,
    public requirement: Requirement | null,
  ) {}
}

const NO_ROUTE = new RouteChoice(null, null);

/**
 * Looks the request's route name up in `route_requirements`. The host is asked only when the map
 * is not empty. A route without a name, or an unknown one, falls through to `rules`/`unmatched`
 * (denied by default), so a route nobody mapped is never open by accident.
 */
export function routeRequirementOf(config: FilterConfig): RouteChoice {
  if (!(COMPILED_FEATURES & FEATURE_ROUTES)) return NO_ROUTE; // built without routes (features.ts)
  const routes = config.routeRequirements!; // never null in a build with routes
  if (routes.size == 0) return NO_ROUTE;
  const read = getPropertyString(["xds", "route_name"]);
  if (!read.ok) return NO_ROUTE;
  const route = read.value;
  return new RouteChoice(route, routes.get(route));
}
