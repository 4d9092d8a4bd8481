// SPDX-License-Identifier: Apache-2.0
// JwtAuthn stream context: one request's rule, tokens, requirement evaluation, outputs and answer.
import {
  HttpContext, Action, getCurrentTimeMilliseconds, HeaderMap, logInfo, logDebug,
} from "@getwild/core/assembly";
import { JsonKind } from "../encoding/json";
import { JwtError } from "../jwt/errors";
import { verifyJwt } from "../verify";
import { JwksSource, KeysState } from "../cache/jwks_source";
import { FilterConfig, Requirement, RequirementKind, Rule } from "./model";
import { FoundToken, TokenPlace, findToken, pathWithoutParam } from "./extract";
import { Denial, DenyKind, failureReply, realmOf } from "./failure";
import { VerifiedToken } from "./token_cache";
import { JwtAuthnRoot } from "./root";

const enum Outcome {
  Ok = 0,
  Missing = 1,
  Failed = 2,
  Wait = 3,
}

/** One provider's result for one request. */
class Check {
  outcome: Outcome = Outcome.Missing;
  denial: Denial = new Denial(DenyKind.Missing);
  found: FoundToken | null = null;
  verified: VerifiedToken | null = null;
  waitOn: JwksSource | null = null;
}

/** A short, non-reversible tag for logs: never the token itself. */
function tokenTag(token: string): string {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = (h ^ <u32>token.charCodeAt(i)) * 0x01000193;
  return "len=" + token.length.toString() + " fnv=" + h.toString(16);
}

export class JwtAuthnStream extends HttpContext {
  waitOn: JwksSource | null = null;
  waitDeadlineMs: i64 = 0;
  private checks: Array<Check | null> = [];
  private path: string = "/";
  private rule: Requirement | null = null;
  private decided: bool = false;

  get authn(): JwtAuthnRoot {
    return this.root as JwtAuthnRoot;
  }

  /** The verified claims of `providerName`'s token for an allowed request, else null. */
  verifiedToken(providerName: string): VerifiedToken | null {
    const providers = this.authn.config.providers;
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c !== null && c.outcome == Outcome.Ok && unchecked(providers[i]).name == providerName) return c.verified;
    }
    return null;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): Action {
    const root = this.authn;
    const config = root.config;
    const headers = this.requestHeaders;
    // Output headers are ours: a client's copy never reaches the upstream, whatever the rule.
    for (let i = 0; i < config.outputHeaders.length; i++) headers.remove(unchecked(config.outputHeaders[i]));
    const method = headers.get(":method");
    if (config.bypassCorsPreflight && method !== null && method == "OPTIONS" && headers.has("origin") && headers.has("access-control-request-method")) {
      root.metrics!.corsBypassed.increment();
      return Action.Continue;
    }
    const path = headers.get(":path");
    this.path = path === null ? "/" : path;
    this.rule = this.matchRule(config, headers);
    return this.run(false);
  }

  private matchRule(config: FilterConfig, headers: HeaderMap): Requirement | null {
    let p = this.path;
    const q = p.indexOf("?");
    if (q >= 0) p = p.substring(0, q);
    for (let i = 0; i < config.rules.length; i++) {
      const r = unchecked(config.rules[i]);
      if (!ruleMatches(r, p, headers)) continue;
      return r.requirement;
    }
    return config.unmatchedDeny ? null : config.unmatched;
  }

  /** Decides the request; Pause while waiting for keys, or after a local reply. */
  run(resumed: bool): Action {
    const root = this.authn;
    const config = root.config;
    const metrics = root.metrics!;
    const requirement = this.rule;
    if (requirement === null) return this.deny(new Denial(DenyKind.NoRule));
    this.checks = new Array<Check | null>(config.providers.length);
    const check = this.evaluate(requirement, !resumed);
    if (check.outcome == Outcome.Wait) {
      this.waitOn = check.waitOn;
      const remote = check.waitOn!.remote;
      const timeout: i64 = remote === null ? 0 : <i64>remote.timeoutMs;
      this.waitDeadlineMs = <i64>getCurrentTimeMilliseconds() + timeout + 2 * <i64>config.tickMs;
      root.waiting.set(this.id, this);
      return Action.Pause;
    }
    if (check.outcome != Outcome.Ok) {
      if (check.denial.kind == DenyKind.JwksUnavailable && config.failOpenWithoutJwks) {
        logInfo("jwt_authn: JWKS unavailable, request let through (jwks_unavailable: allow)");
      } else return this.deny(check.denial);
    }
    this.applyOutputs();
    metrics.allowed.increment();
    this.decided = true;
    root.onAllowed(this);
    return Action.Continue;
  }

  private deny(denial: Denial): Action {
    const root = this.authn;
    root.metrics!.deny(denial.reason);
    this.decided = true;
    // The realm is built only for a refusal: the request headers are still held (paused) here.
    const headers = this.requestHeaders;
    const realm = realmOf(root.config, headers.get(":scheme"), headers.get(":authority"), this.path);
    const reply = failureReply(root.config, denial, realm);
    return this.sendLocalResponse(reply.status, reply.details, reply.body, reply.headers);
  }

  /** Combines provider checks as the requirement says. */
  private evaluate(r: Requirement, mayWait: bool): Check {
    const kind = r.kind;
    if (kind == RequirementKind.None) return okCheck();
    if (kind == RequirementKind.Provider) return this.checkProvider(r.provider, mayWait);
    if (kind == RequirementKind.RequiresAll) {
      let last = okCheck();
      for (let i = 0; i < r.children.length; i++) {
        const c = this.evaluate(unchecked(r.children[i]), mayWait);
        if (c.outcome != Outcome.Ok) return c;
        last = c;
      }
      return last;
    }
    if (kind == RequirementKind.RequiresAny) {
      let failure: Check | null = null;
      let wait: Check | null = null;
      for (let i = 0; i < r.children.length; i++) {
        const c = this.evaluate(unchecked(r.children[i]), mayWait);
        if (c.outcome == Outcome.Ok) return c;
        if (c.outcome == Outcome.Wait) { if (wait === null) wait = c; }
        else if (failure === null || (failure.outcome == Outcome.Missing && c.outcome == Outcome.Failed)) failure = c;
      }
      if (wait !== null) return wait;
      return failure !== null ? failure : new Check();
    }
    // allow_missing / allow_missing_or_failed: check every provider that has a token.
    const providers = this.authn.config.providers;
    let result = okCheck();
    for (let i = 0; i < providers.length; i++) {
      const c = this.checkProvider(i, mayWait);
      if (c.outcome == Outcome.Wait) return c;
      if (c.outcome == Outcome.Failed && kind == RequirementKind.AllowMissing && result.outcome == Outcome.Ok) result = c;
    }
    if (kind == RequirementKind.AllowMissing) {
      for (let i = 0; i < this.checks.length; i++) {
        const c = unchecked(this.checks[i]);
        if (c !== null && c.outcome == Outcome.Ok) return c; // one good token is enough
      }
    }
    return result;
  }

  private checkProvider(index: i32, mayWait: bool): Check {
    const memo = unchecked(this.checks[index]);
    if (memo !== null) return memo;
    const root = this.authn;
    const provider = unchecked(root.config.providers[index]);
    const c = new Check();
    this.checks[index] = c;
    const found = findToken(provider, this.requestHeaders, this.path);
    if (found === null) return c; // Missing
    c.found = found;
    if (found.conflict) {
      c.outcome = Outcome.Failed;
      c.denial = new Denial(DenyKind.MultipleTokens);
      return c;
    }
    const nowMs = <i64>getCurrentTimeMilliseconds();
    const now = nowMs / 1000;
    const cached = root.cache.get(found.token, index, provider.source.keys, now);
    if (cached !== null) {
      root.metrics!.cacheHit.increment();
      c.outcome = Outcome.Ok;
      c.verified = cached;
      return c;
    }
    const source = provider.source;
    const state = source.ensure(root, nowMs);
    if (state != KeysState.Ready) {
      if (state == KeysState.Wait && mayWait) return waitFor(c, source);
      c.outcome = Outcome.Failed;
      c.denial = new Denial(DenyKind.JwksUnavailable);
      return c;
    }
    root.metrics!.cacheMiss.increment();
    const keys = source.keys!;
    const r = verifyJwt(found.token, keys, provider.options, now);
    if (r.error == JwtError.KeyNotFound && r.kid !== null && mayWait && source.refetchForUnknownKid(root, nowMs)) {
      root.countFetches();
      return waitFor(c, source);
    }
    if (!r.ok) {
      logDebug("jwt_authn: provider " + provider.name + " refused token (" + tokenTag(found.token) + "): " + r.code);
      c.outcome = Outcome.Failed;
      c.denial = new Denial(DenyKind.Token, r.error);
      return c;
    }
    const entry = new VerifiedToken(found.token, index, r.expiresAt, r.claims!, r.payloadBytes!, keys);
    root.cache.put(entry, now);
    c.outcome = Outcome.Ok;
    c.verified = entry;
    return c;
  }

  /** Strips forwarded tokens, adds payload and claim headers of every verified provider. */
  private applyOutputs(): void {
    const headers = this.requestHeaders;
    const providers = this.authn.config.providers;
    for (let i = 0; i < this.checks.length; i++) {
      const c = unchecked(this.checks[i]);
      if (c === null || c.outcome != Outcome.Ok) continue;
      const p = unchecked(providers[i]);
      const found = c.found;
      if (!p.forward && found !== null) {
        if (found.place == TokenPlace.Header) headers.remove(found.name);
        else if (found.place == TokenPlace.Param) headers.set(":path", pathWithoutParam(this.path, found.name));
      }
      const v = c.verified;
      if (v === null) continue;
      if (p.forwardPayloadHeader.length > 0) {
        // The token's own middle segment: it was verified, so it has exactly two dots, and the strict
        // decoder accepted it, so it is the one base64url spelling of the payload (no re-encoding).
        const token = v.token;
        const first = token.indexOf(".");
        headers.set(p.forwardPayloadHeader, token.substring(first + 1, token.indexOf(".", first + 1)));
      }
      for (let k = 0; k < p.claimToHeaders.length; k++) {
        const ch = unchecked(p.claimToHeaders[k]);
        const claim = v.claims.getPath(ch.claim);
        if (claim === null) continue;
        // A signed claim is still attacker-chosen text for a header: CR, LF or NUL would break the
        // header block, so such a value is not copied at all.
        if (claim.kind == JsonKind.String || claim.kind == JsonKind.Number) {
          if (headerSafe(claim.text)) headers.set(ch.header, claim.text);
        }
        else if (claim.kind == JsonKind.Bool) headers.set(ch.header, claim.flag ? "true" : "false");
      }
    }
  }

  onDelete(): void {
    this.authn.waiting.delete(this.id);
  }
}



function ruleMatches(r: Rule, path: string, headers: HeaderMap): bool {
  const exact = r.path;
  if (exact !== null && path != exact) return false;
  const prefix = r.prefix;
  if (prefix !== null && !path.startsWith(prefix)) return false;
  for (let i = 0; i < r.headers.length; i++) if (!headers.has(unchecked(r.headers[i]))) return false;
  return true;
}

function okCheck(): Check {
  const c = new Check();
  c.outcome = Outcome.Ok;
  return c;
}

function waitFor(c: Check, source: JwksSource): Check {
  c.outcome = Outcome.Wait;
  c.waitOn = source;
  return c;
}

/** True when `value` has no control character but tab (RFC 9110 §5.5 field values). */
function headerSafe(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}
