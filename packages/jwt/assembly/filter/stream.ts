// SPDX-License-Identifier: Apache-2.0
// JwtAuthn stream context: one request's rule, tokens, requirement evaluation, outputs and answer.
// It reads what its root configured through a FilterState and parks on the state's Waiters while
// keys are fetched; it imports nothing from root.ts (the root imports it).
import {
  HttpContext,
  RootContext,
  Action,
  Status,
  getCurrentTimeMilliseconds,
  setEffectiveContext,
  logInfo,
  logDebug,
} from "@getwild/core/assembly";
import { RequestPath, joinPathQuery } from "@getwild/core/assembly/http/request_path";
import { isHeaderValue } from "@getwild/core/assembly/headers/syntax";
import { JsonKind } from "@getwild/json/assembly";
import { JwtError } from "../jose/jwt/errors";
import { verifyJwt } from "../jose/verify";
import { JwksSource, KeysState } from "../cache/jwks_source";
import { FilterConfig, Provider, Requirement, RequirementKind, Rule } from "./model";
import { FoundToken, findToken, queryWithout, stripCookies } from "./extract";
import { normalizePath, PathError } from "./path";
import { issuedElsewhere } from "./issuer";
import { Denial, DenyKind, failureReply, realmOf } from "./failure";
import { VerifiedToken } from "./token_cache";
import { FilterState } from "./state";
import { Parked } from "./waiters";
import { RequestHeaders } from "./request_headers";
import { bindingDenial, checkBinding, readConfirmation } from "./binding";
import { routeRequirementOf } from "./requirements";
import { writeClaimStates } from "./claims_out";

/** The query of a request not read yet. */
const NO_QUERY = new RequestPath("/", "", false);

/** Denials are never changed after they are made: one shared "missing" saves an object per check. */
const MISSING = new Denial(DenyKind.Missing);

const enum Outcome {
  Ok = 0,
  Missing = 1,
  Failed = 2,
  Wait = 3,
}

/** One provider's result for one request. */
class Check {
  outcome: Outcome = Outcome.Missing;
  denial: Denial = MISSING;
  found: FoundToken | null = null;
  verified: VerifiedToken | null = null;
  waitOn: JwksSource | null = null;
  /** A failed token another involved provider verified: it was never this provider's token. */
  belongsTo: i32 = -1;
  /**
   * Keys unavailable under `jwks_unavailable: "allow"`: this provider's token counts as passing
   * where the rule names this provider, and only there (the rest of the rule is still enforced).
   */
  failedOpen: bool = false;
}

/** A short, non-reversible tag for logs: never the token itself. */
function tokenTag(token: string): string {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = (h ^ (<u32>token.charCodeAt(i))) * 0x01000193;
  return "len=" + token.length.toString() + " fnv=" + hexText(h);
}

/**
 * `v` in lower-case hex without leading zeros, as `toString(16)` writes it. Local because it was the
 * module's one non-decimal toString: without it every caller of utoa32 passes radix 10 and the
 * optimizer drops utoa32's other radix paths.
 */
function hexText(v: u32): string {
  const digits = new StaticArray<u16>(8);
  let i = 8;
  do {
    const d = v & 15;
    unchecked((digits[--i] = <u16>(d < 10 ? 0x30 + d : 0x57 + d)));
    v >>>= 4;
  } while (v != 0);
  return String.UTF16.decodeUnsafe(changetype<usize>(digits) + ((<usize>i) << 1), (<usize>(8 - i)) << 1);
}

/** Told about every allowed request, after its headers are set (JwtAuthnRoot.onAllowed). */
export abstract class AllowedHook {
  abstract allowed(stream: JwtAuthnStream): void;
}

/** A stream parked until its key source settles: waking decides it again. */
class ParkedStream extends Parked {
  constructor(
    private readonly stream: JwtAuthnStream,
    source: JwksSource,
    deadlineMs: i64,
  ) {
    super(source, deadlineMs);
  }
  wake(): void {
    this.stream.resumeAfterWait();
  }
}

/** The checks of a request not decided yet: run() gives every request its own array (this one is never written). */
const NO_CHECKS = new Array<Check | null>(0);

/** Which providers the current run() involves: one array for the VM, filled afresh by each run (never re-entered). */
const involvedScratch = new Array<bool>();

export class JwtAuthnStream extends HttpContext<RootContext> {
  private checks: Array<Check | null> = NO_CHECKS;
  /** The normalised path (the one rules match and the upstream receives), and the query as sent. */
  private path: string = "/";
  private query: RequestPath = NO_QUERY;
  private cookies: Array<string> | null = null;
  /** Key sources this request has waited for: each at most once, so a wait can never loop (made at the first wait). */
  private waited: Array<JwksSource> | null = null;
  private rule: Requirement | null = null;
  private decided: bool = false;
  /** Its entry in the waiters while parked for keys. */
  private parked: ParkedStream | null = null;
  /** The request headers, read from the host once per request (see request_headers.ts). */
  private headers: RequestHeaders | null = null;

  /**
   * `root` starts the key fetches (callouts run on the root), `state` is what the root configured,
   * `allowedHook` hears of every allowed request.
   */
  constructor(
    id: u32,
    root: RootContext,
    readonly state: FilterState,
    private readonly allowedHook: AllowedHook,
  ) {
    super(id, root);
  }

  /** The verified claims of `providerName`'s token for an allowed request, else null. */
  verifiedToken(providerName: string): VerifiedToken | null {
    const providers = this.state.config.providers;
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c !== null && c.outcome == Outcome.Ok && unchecked(providers[i]).name == providerName) return c.verified;
    }
    return null;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    const state = this.state;
    const config = state.config;
    const headers = RequestHeaders.read(this.requestHeaders);
    this.headers = headers;
    // Output headers are ours: a client's copy never reaches the upstream, whatever the rule
    // (removed only when the client sent one: the read above says so without a host call).
    for (let i = 0; i < config.outputHeaders.length; i++) headers.remove(unchecked(config.outputHeaders[i]));
    // Rules match the path as a normalising upstream reads it, and the upstream gets that path, so
    // `/public/../admin` cannot pass as public and then be served as admin.
    const raw = headers.get(":path");
    const normalized = normalizePath(raw === null ? "/" : raw, config.unescapeSlashes);
    if (normalized.error != PathError.None) {
      this.path = raw === null ? "/" : raw;
      const bad = new Denial(DenyKind.BadPath);
      bad.pathError = normalized.error;
      const refused = this.deny(bad);
      headers.release();
      return refused;
    }
    this.path = normalized.path;
    this.query = normalized.query;
    const full = normalized.full;
    // The route Envoy chose may decide the requirement (route_requirements); Envoy chooses again
    // after this filter changes the path, so with routes in play a request must arrive already
    // normal: a rewritten path could select a mapped route whose requirement was never checked,
    // whether the raw path matched an unmapped route or no route at all (then Envoy reports no
    // route name, so the name cannot tell those apart).
    const choice = routeRequirementOf(config);
    const routed = choice.requirement;
    const pathChanges = raw === null || raw != full;
    if (pathChanges && config.routed) {
      const refused = this.deny(new Denial(DenyKind.PathChangesRoute));
      headers.release();
      return refused;
    }
    if (pathChanges) headers.set(":path", full);
    const method = headers.get(":method");
    if (
      config.bypassCorsPreflight &&
      method !== null &&
      method == "OPTIONS" &&
      headers.has("origin") &&
      headers.has("access-control-request-method")
    ) {
      state.metrics!.corsBypassed.increment();
      headers.release();
      return Action.Continue;
    }
    this.rule = routed !== null ? routed : this.matchRule(config, headers);
    const action = this.run(false);
    // A decided request reads no more headers: the host block goes back now (a paused one keeps it).
    if (this.decided) headers.release();
    return action;
  }

  /**
   * Decides the request again after a wait (the Waiters call it through ParkedStream): its key
   * source settled or the wait's deadline passed. Resumed or answered, never left hanging.
   */
  resumeAfterWait(): void {
    this.parked = null;
    if (setEffectiveContext(this.id) != Status.Ok) return; // the stream has gone
    const action = this.run(true);
    // Decided now: the header block kept during the wait is not needed any more.
    const headers = this.headers;
    if (this.decided && headers !== null) headers.release();
    if (action == Action.Continue) this.continueRequest();
  }

  /** The request's header copy (read now if onRequestHeaders has not: never a null to trap on). */
  private reqHeaders(): RequestHeaders {
    let headers = this.headers;
    if (headers === null) {
      headers = RequestHeaders.read(this.requestHeaders);
      this.headers = headers;
    }
    return headers;
  }

  private matchRule(config: FilterConfig, headers: RequestHeaders): Requirement | null {
    for (let i = 0; i < config.rules.length; i++) {
      const r = unchecked(config.rules[i]);
      if (!ruleMatches(r, this.path, headers)) continue;
      return r.requirement;
    }
    return config.unmatchedDeny ? null : config.unmatched;
  }

  /**
   * Decides the request; Pause while waiting for keys, or after a local reply. `resumed` is true
   * after a wait; a request waits at most once per key source (two cold providers: one after the
   * other), and never again for a source it has waited for.
   */
  run(resumed: bool): Action {
    const state = this.state;
    const config = state.config;
    const metrics = state.metrics!;
    const requirement = this.rule;
    if (requirement === null) return this.deny(new Denial(DenyKind.NoRule));
    const n = config.providers.length;
    const before = this.checks;
    this.checks = new Array<Check | null>(n);
    // After a wait, a provider that already passed stands: checking it again would record its
    // DPoP proof a second time and refuse the request as a replay of itself.
    if (resumed && before.length == n) {
      for (let i = 0; i < n; i++) {
        const c = unchecked(before[i]);
        if (c !== null && c.outcome == Outcome.Ok) unchecked((this.checks[i] = c));
      }
    }
    // Every provider the rule involves is checked, whatever the outcome of the others: a token that
    // is present must verify, so the answer never depends on the order or on which keys are warm.
    const involved = involvedScratch;
    involved.length = n;
    involved.fill(false);
    markInvolved(requirement, involved);
    let wait: Check | null = null;
    for (let i = 0; i < n; i++) {
      if (!unchecked(involved[i])) continue;
      const c = this.checkProvider(i);
      if (c.outcome == Outcome.Wait && wait === null) wait = c;
    }
    if (wait !== null) {
      const source = wait.waitOn!;
      let waited = this.waited;
      if (waited === null) {
        waited = new Array<JwksSource>();
        this.waited = waited;
      }
      waited.push(source);
      const remote = source.remote;
      const timeout: i64 = remote === null ? 0 : <i64>remote.timeoutMs;
      const deadline = <i64>getCurrentTimeMilliseconds().value + timeout + 2 * <i64>config.tickMs;
      const parked = new ParkedStream(this, source, deadline);
      this.parked = parked;
      state.waiters.park(parked);
      return Action.Pause;
    }
    const tolerateFailures = hasKind(requirement, RequirementKind.AllowMissingOrFailed);
    let failOpen = false;
    for (let i = 0; i < n; i++) {
      const c = unchecked(this.checks[i]);
      if (c === null || c.outcome != Outcome.Failed) continue;
      // Two different tokens for one provider: which one counts would depend on the reader.
      if (c.denial.kind == DenyKind.MultipleTokens) return this.deny(c.denial);
      // A token that fails here but another involved provider verified at the same places is that
      // provider's token (two providers reading one header): for this provider it is missing.
      c.belongsTo = this.verifiedAtSamePlaces(c.found!);
      if (c.belongsTo >= 0) {
        c.outcome = Outcome.Missing;
        c.denial = MISSING;
        continue;
      }
      if (tolerateFailures) continue;
      if (c.denial.kind == DenyKind.JwksUnavailable && config.failOpenWithoutJwks) {
        // Only this token is let through unchecked: the requirement is still evaluated below, so
        // a provider that is simply missing (or another rule branch) is enforced as usual.
        c.failedOpen = true;
        failOpen = true;
        continue;
      }
      return this.deny(c.denial);
    }
    const check = this.evaluate(requirement);
    if (check.outcome != Outcome.Ok) return this.deny(check.denial);
    if (failOpen) logInfo("jwt_authn: JWKS unavailable, a token let through unchecked (jwks_unavailable: allow)");
    // Checks of this request against its verified tokens (token binding such as DPoP, per-route
    // requirements) go here: they run on cache hits too, before any output header is written;
    // a refusal is `return this.deny(...)`.
    this.applyOutputs();
    metrics.allowed.increment();
    this.decided = true;
    this.allowedHook.allowed(this);
    return Action.Continue;
  }

  /**
   * The involved provider that verified the same token at every place `failed` was found, or -1.
   * Equal values are not enough: a provider's token copied into a location only the failing
   * provider reads must still fail there (and must not reach the upstream as that provider's).
   */
  private verifiedAtSamePlaces(failed: FoundToken): i32 {
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c === null || c.outcome != Outcome.Ok) continue;
      const found = c.found;
      if (found !== null && found.token == failed.token && sameLocations(failed, found)) return i;
    }
    return -1;
  }

  private deny(denial: Denial): Action {
    const state = this.state;
    state.metrics!.deny(denial.reason);
    this.decided = true;
    // The realm is built only for a refusal: the request headers are still held (paused) here.
    const headers = this.reqHeaders();
    const realm = realmOf(state.config, headers.get(":scheme"), headers.get(":authority"), this.path);
    return failureReply(state.config, denial, realm).send(this);
  }

  /** Combines the provider checks (each Ok or Missing by now, Failed when failures are tolerated, or failed open). */
  private evaluate(r: Requirement): Check {
    const kind = r.kind;
    if (
      kind == RequirementKind.None ||
      kind == RequirementKind.AllowMissing ||
      kind == RequirementKind.AllowMissingOrFailed
    )
      return okCheck();
    if (kind == RequirementKind.Provider) {
      const c = unchecked(this.checks[r.provider])!;
      return c.failedOpen ? okCheck() : c;
    }
    if (kind == RequirementKind.RequiresAll) {
      let last = okCheck();
      for (let i = 0; i < r.children.length; i++) {
        const c = this.evaluate(unchecked(r.children[i]));
        if (c.outcome != Outcome.Ok) return c;
        last = c;
      }
      return last;
    }
    // requires_any: the first that passes; otherwise the most specific failure.
    let failure: Check | null = null;
    for (let i = 0; i < r.children.length; i++) {
      const c = this.evaluate(unchecked(r.children[i]));
      if (c.outcome == Outcome.Ok) return c;
      if (failure === null || (failure.outcome == Outcome.Missing && c.outcome == Outcome.Failed)) failure = c;
    }
    return failure !== null ? failure : new Check();
  }

  private checkProvider(index: i32): Check {
    const memo = unchecked(this.checks[index]);
    if (memo !== null) return memo;
    const state = this.state;
    const provider = unchecked(state.config.providers[index]);
    const waited = this.waited;
    const mayWait = waited === null || !waited.includes(provider.source);
    const c = new Check();
    this.checks[index] = c;
    const cookies = provider.fromCookies.length > 0 ? this.cookieHeaders() : NO_COOKIES;
    const found = findToken(provider, this.reqHeaders(), cookies, this.query.query);
    if (found === null) return c; // Missing
    c.found = found;
    if (found.conflict) {
      c.outcome = Outcome.Failed;
      c.denial = new Denial(DenyKind.MultipleTokens);
      return c;
    }
    const nowMs = <i64>getCurrentTimeMilliseconds().value;
    const now = nowMs / 1000;
    const cached = state.cache.get(found.token, index, provider.source.keys, now);
    if (cached !== null) {
      state.metrics!.cacheHit.increment();
      return this.bound(c, provider, cached, now);
    }
    const source = provider.source;
    const keysState = source.ensure(this.root, nowMs);
    if (keysState != KeysState.Ready) {
      if (issuedElsewhere(provider, found.token)) return failed(c, JwtError.IssuerNotAllowed);
      if (keysState == KeysState.Wait && mayWait) return waitFor(c, source);
      c.outcome = Outcome.Failed;
      c.denial = new Denial(DenyKind.JwksUnavailable);
      return c;
    }
    state.metrics!.cacheMiss.increment();
    const keys = source.keys!;
    const r = verifyJwt(found.token, keys, provider.options, now);
    if (r.error == JwtError.KeyNotFound && issuedElsewhere(provider, found.token))
      return failed(c, JwtError.IssuerNotAllowed);
    if (r.error == JwtError.KeyNotFound && r.kid !== null && mayWait && source.refetchForUnknownKid(this.root, nowMs)) {
      state.countFetches();
      return waitFor(c, source);
    }
    if (!r.ok) {
      logDebug("jwt_authn: provider " + provider.name + " refused token (" + tokenTag(found.token) + "): " + r.code);
      return failed(c, r.error);
    }
    const entry = new VerifiedToken(found.token, index, r.expiresAt, r.claims!, r.payloadBytes!, keys);
    prepareOutputs(provider, entry);
    state.cache.put(entry, now);
    return this.bound(c, provider, entry, now);
  }

  /** A verified token passes only if its sender constraint (`cnf`, binding.ts) fits this request too. */
  private bound(c: Check, provider: Provider, verified: VerifiedToken, now: i64): Check {
    let cnf = verified.confirmation;
    if (cnf === null) {
      cnf = readConfirmation(verified.claims);
      verified.confirmation = cnf;
    }
    const b = checkBinding(provider, verified.token, cnf, this.reqHeaders(), now);
    if (!b.ok) {
      c.outcome = Outcome.Failed;
      c.denial = bindingDenial(provider, b);
      return c;
    }
    c.outcome = Outcome.Ok;
    c.verified = verified;
    return c;
  }

  /** The request's Cookie header values, read once per request (as the client sent them). */
  private cookieHeaders(): Array<string> {
    let cookies = this.cookies;
    if (cookies === null) {
      cookies = this.reqHeaders().getAll("cookie");
      this.cookies = cookies;
    }
    return cookies;
  }

  /**
   * Strips verified tokens at every place they were found (unless the provider forwards them), and
   * adds the payload and claim headers of every verified provider. A token that failed stays only
   * under allow_missing_or_failed (any other rule refused the request).
   */
  private applyOutputs(): void {
    const headers = this.reqHeaders();
    const providers = this.state.config.providers;
    let cookies: Array<string> | null = null;
    let params: Array<string> | null = null;
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c === null) continue;
      const owner = c.outcome == Outcome.Ok ? i : c.belongsTo;
      const found = c.found;
      if (owner < 0 || found === null || unchecked(providers[owner]).forward) continue;
      for (let k = 0; k < found.headerNames.length; k++) headers.remove(unchecked(found.headerNames[k]));
      for (let k = 0; k < found.cookieNames.length; k++) {
        if (cookies === null) cookies = new Array<string>();
        cookies.push(unchecked(found.cookieNames[k]));
      }
      for (let k = 0; k < found.paramNames.length; k++) {
        if (params === null) params = new Array<string>();
        params.push(unchecked(found.paramNames[k]));
      }
    }
    if (cookies !== null) stripCookies(headers, this.cookieHeaders(), cookies);
    if (params !== null) {
      headers.set(":path", joinPathQuery(this.path, queryWithout(this.query.query, params)));
    }
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c === null || c.outcome != Outcome.Ok) continue;
      const p = unchecked(providers[i]);
      const v = c.verified;
      if (v === null) continue;
      // The values were made when the token was verified (prepareOutputs): a cache hit reads no JSON.
      if (p.forwardPayloadHeader.length > 0) headers.set(p.forwardPayloadHeader, v.payloadHeaderValue);
      if (p.claimStates.length > 0) writeClaimStates(p.claimStates, v.claims);
      const values = v.claimHeaderValues;
      for (let k = 0; k < p.claimToHeaders.length && k < values.length; k++) {
        const value = unchecked(values[k]);
        if (value !== null) headers.set(unchecked(p.claimToHeaders[k]).header, value);
      }
    }
  }

  onDelete(): void {
    const parked = this.parked;
    if (parked !== null) this.state.waiters.cancel(parked);
    const headers = this.headers;
    if (headers !== null) headers.release();
  }
}

/** Marks the providers a requirement involves; allow_missing* involve every provider (as Envoy). */
function markInvolved(r: Requirement, involved: Array<bool>): void {
  const kind = r.kind;
  if (kind == RequirementKind.Provider) involved[r.provider] = true;
  else if (kind == RequirementKind.AllowMissing || kind == RequirementKind.AllowMissingOrFailed) {
    for (let i = 0; i < involved.length; i++) involved[i] = true;
  } else {
    for (let i = 0; i < r.children.length; i++) markInvolved(unchecked(r.children[i]), involved);
  }
}

/** True when every place `inner` was found is also a place `outer` found its token. */
function sameLocations(inner: FoundToken, outer: FoundToken): bool {
  return (
    containsAll(outer.headerNames, inner.headerNames) &&
    containsAll(outer.cookieNames, inner.cookieNames) &&
    containsAll(outer.paramNames, inner.paramNames)
  );
}

function containsAll(list: Array<string>, items: Array<string>): bool {
  for (let i = 0; i < items.length; i++) if (!list.includes(unchecked(items[i]))) return false;
  return true;
}

function hasKind(r: Requirement, kind: RequirementKind): bool {
  if (r.kind == kind) return true;
  for (let i = 0; i < r.children.length; i++) if (hasKind(unchecked(r.children[i]), kind)) return true;
  return false;
}

function ruleMatches(r: Rule, path: string, headers: RequestHeaders): bool {
  const exact = r.path;
  if (exact !== null && path != exact) return false;
  const prefix = r.prefix;
  if (prefix !== null && !path.startsWith(prefix)) return false;
  for (let i = 0; i < r.headers.length; i++) if (!headers.has(unchecked(r.headers[i]))) return false;
  return true;
}

const NO_COOKIES = new Array<string>();

function okCheck(): Check {
  const c = new Check();
  c.outcome = Outcome.Ok;
  return c;
}

function failed(c: Check, error: JwtError): Check {
  c.outcome = Outcome.Failed;
  const d = new Denial(DenyKind.Token);
  d.error = error;
  c.denial = d;
  return c;
}

function waitFor(c: Check, source: JwksSource): Check {
  c.outcome = Outcome.Wait;
  c.waitOn = source;
  return c;
}

/** Makes the output header values of a freshly verified token once, for this and every cache hit. */
function prepareOutputs(p: Provider, v: VerifiedToken): void {
  if (p.forwardPayloadHeader.length > 0) {
    // The token's own middle segment: it was verified, so it has exactly two dots, and the strict
    // decoder accepted it, so it is the one base64url spelling of the payload (no re-encoding).
    const token = v.token;
    const first = token.indexOf(".");
    v.payloadHeaderValue = token.substring(first + 1, token.indexOf(".", first + 1));
  }
  const values = new Array<string | null>(p.claimToHeaders.length);
  for (let k = 0; k < p.claimToHeaders.length; k++) {
    const claim = v.claims.getPath(unchecked(p.claimToHeaders[k]).claim);
    let value: string | null = null;
    // A signed claim is still attacker-chosen text for a header: CR, LF or NUL would break the
    // header block, so such a value is not copied at all.
    if (claim !== null) {
      if (claim.kind == JsonKind.String || claim.kind == JsonKind.Number) {
        if (isHeaderValue(claim.text)) value = claim.text;
      } else if (claim.kind == JsonKind.Bool) value = claim.flag ? "true" : "false";
    }
    values[k] = value;
  }
  v.claimHeaderValues = values;
}
