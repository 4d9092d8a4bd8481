// SPDX-License-Identifier: Apache-2.0
// The JwtAuthn configuration once parsed and validated: providers, rules, requirements, policies.
import { VerifyOptions } from "../jose/jwt/options";
import { JwksSource } from "../cache/jwks_source";
import { DpopPolicy } from "./dpop_config";
import { ClaimState } from "./claims_out";
import { COMPILED_FEATURES, FEATURE_ROUTES } from "./features";

/**
 * A header the token may come in, with the text before it ("Bearer "; matched case-insensitively).
 * CGI-style upstreams (WSGI, PHP, Rack) read `x_token`, `X-Token` and `x-TOKEN_` mixes as one
 * variable, so the token reader looks at every name the client sent that equals `name` once `_`
 * is read as `-` and case is ignored (RequestHeaders.spellingsOf), not only at `name`.
 */
export class HeaderLocation {
  constructor(
    public name: string,
    public prefix: string,
  ) {}
}

export class ClaimHeader {
  constructor(
    public header: string,
    public claim: string,
  ) {}
}

export class Provider {
  name: string = "";
  options: VerifyOptions = new VerifyOptions();
  source: JwksSource = new JwksSource();
  fromHeaders: Array<HeaderLocation> = [];
  fromCookies: Array<string> = [];
  fromParams: Array<string> = [];
  /** Keep the token in the request sent upstream (default: strip it). */
  forward: bool = false;
  /** When set, the verified payload goes upstream base64url-encoded in this header. */
  forwardPayloadHeader: string = "";
  claimToHeaders: Array<ClaimHeader> = [];
  /** DPoP (RFC 9449) for this provider's tokens (docs/dpop.md), or null when not configured. */
  dpop: DpopPolicy | null = null;
  /** Claims written as Envoy filter state for its RBAC filter (claims_out.ts). */
  claimStates: Array<ClaimState> = [];
  /** A provider_and_audiences variant: the index of the provider it was made from; -1 otherwise. */
  variantOf: i32 = -1;
}

export const enum RequirementKind {
  Provider = 0,
  RequiresAny = 1,
  RequiresAll = 2,
  AllowMissing = 3,
  AllowMissingOrFailed = 4,
  /** An empty `requires`: no JWT needed. */
  None = 5,
}

export class Requirement {
  kind: RequirementKind = RequirementKind.None;
  provider: i32 = -1;
  children: Array<Requirement> = [];
}

/**
 * Requirements by name (`requirement_map`, and route name → requirement for `route_requirements`),
 * filled once at configure time. The names are kept in order and found by binary search: not a
 * Map<string, Requirement>, whose hashing, rehashing and entry code (~600 bytes) this read-only
 * table does not need.
 */
export class RequirementTable {
  // StaticArrays (one object each, no backing buffer) so the table keeps no more objects alive for
  // the collector to visit than the Map did (a Map and its two buffers).
  private names: StaticArray<string> = new StaticArray<string>(0);
  private requirements: StaticArray<Requirement> = new StaticArray<Requirement>(0);

  get size(): i32 {
    return this.names.length;
  }

  /** The requirement named `name`, or null. */
  get(name: string): Requirement | null {
    const i = this.find(name);
    return i >= 0 ? unchecked(this.requirements[i]) : null;
  }

  /** Names `requirement` `name`, replacing what `name` named before. */
  set(name: string, requirement: Requirement): void {
    let i = this.find(name);
    if (i >= 0) {
      unchecked((this.requirements[i] = requirement));
      return;
    }
    i = -i - 1; // where it goes
    const n = this.names.length;
    const names = new StaticArray<string>(n + 1);
    const requirements = new StaticArray<Requirement>(n + 1);
    for (let j = 0, k = 0; j <= n; j++) {
      if (j == i) {
        unchecked((names[j] = name));
        unchecked((requirements[j] = requirement));
      } else {
        unchecked((names[j] = this.names[k]));
        unchecked((requirements[j] = this.requirements[k]));
        k++;
      }
    }
    this.names = names;
    this.requirements = requirements;
  }

  /**
   * The position of `name`, or -(its insertion position) - 1 when absent. Names are ordered by
   * length first, so on a request (route_requirements) most steps compare two lengths, not texts.
   */
  private find(name: string): i32 {
    let low = 0;
    let high = this.names.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = unchecked(this.names[middle]);
      let order = at.length - name.length;
      if (order == 0) {
        if (at == name) return middle;
        order = at < name ? -1 : 1;
      }
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -low - 1;
  }
}

export class Rule {
  /** Exact path (without the query), or null. */
  path: string | null = null;
  /** Path prefix, or null. */
  prefix: string | null = null;
  /** Headers that must be present (lower-case names). */
  headers: Array<string> = [];
  requirement: Requirement = new Requirement();
}

export class FilterConfig {
  providers: Array<Provider> = [];
  rules: Array<Rule> = [];
  /** What applies when no rule matches: deny by default (Envoy allows). */
  unmatched: Requirement = new Requirement();
  unmatchedDeny: bool = true;
  /** CORS preflights pass without a token only when asked (Envoy's default too). */
  bypassCorsPreflight: bool = false;
  /**
   * %2F, %5C and `\` in the path: refused with 400 (default), or read as `/` for matching and
   * forwarded so (Envoy's UNESCAPE_AND_FORWARD).
   */
  unescapeSlashes: bool = false;
  /** 401 (RFC 6750, default) or 403 (Envoy) for an audience that is not allowed. */
  audienceStatus: u32 = 401;
  /** "json" (default) or "empty" failure bodies. */
  jsonBody: bool = true;
  /** WWW-Authenticate realm; "" means the request's URL without the query (as Envoy). */
  realm: string = "";
  /** When the JWKS cannot be had: deny (default) or let the request through unauthenticated. */
  failOpenWithoutJwks: bool = false;
  /** Verified-token cache entries per worker; 0 disables it. */
  tokenCacheSize: i32 = 100;
  /** Verified-token cache memory per worker (estimated bytes of the kept tokens and claims). */
  tokenCacheBytes: i32 = 1 << 20;
  statPrefix: string = "jwt_authn";
  /** Period of the tick that refreshes keys and polls other workers' fetches. */
  tickMs: u32 = 1000;
  /**
   * Names of every header the filter writes, removed from incoming requests always, under every
   * spelling a CGI-style upstream reads as the same name (RequestHeaders.remove).
   */
  outputHeaders: Array<string> = [];
  /**
   * `requirement_map`: named requirements (requirements.ts). Null in a build without routes
   * (features.ts), which then compiles no Map of requirements at all.
   */
  requirementMap: RequirementTable | null = COMPILED_FEATURES & FEATURE_ROUTES ? new RequirementTable() : null;
  /** `route_requirements`: Envoy route name → requirement; checked before `rules` (requirements.ts). Null likewise. */
  routeRequirements: RequirementTable | null = COMPILED_FEATURES & FEATURE_ROUTES ? new RequirementTable() : null;

  /** Whether `route_requirements` maps any route (then a request's path must arrive normal, stream.ts). */
  get routed(): bool {
    const routes = this.routeRequirements;
    return routes !== null && routes.size > 0;
  }

  /** Collects the output headers of every provider; call after changing providers in code. */
  finish(): FilterConfig {
    this.outputHeaders = [];
    for (let i = 0; i < this.providers.length; i++) {
      const p = unchecked(this.providers[i]);
      if (p.forwardPayloadHeader.length > 0) this.outputHeaders.push(p.forwardPayloadHeader);
      for (let j = 0; j < p.claimToHeaders.length; j++) this.outputHeaders.push(unchecked(p.claimToHeaders[j]).header);
    }
    return this;
  }

  /** A configuration with one provider required on every path (e.g. `FilterConfig.single(firebase("my-project"))`). */
  static single(provider: Provider): FilterConfig {
    const c = new FilterConfig();
    c.providers.push(provider);
    const rule = new Rule();
    rule.prefix = "/";
    rule.requirement.kind = RequirementKind.Provider;
    rule.requirement.provider = 0;
    c.rules.push(rule);
    return c.finish();
  }
}
