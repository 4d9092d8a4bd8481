// SPDX-License-Identifier: Apache-2.0
// Failure answers per RFC 6750 §3: 401 with `WWW-Authenticate: Bearer realm="..."` (plus
// `error="invalid_token"` unless the token is missing), 403 `insufficient_scope` for claim policy,
// the audience status by configuration; a JSON or empty body that never contains the token.
import { LocalReply } from "@getwild/core/assembly/http/local_reply";
import { splitRequestPath } from "@getwild/core/assembly/http/request_path";
import { JwtError, jwtErrorName } from "../jose/jwt/errors";
import { FilterConfig } from "./model";
import { PathError, pathErrorReason } from "./path";
import { BindingChallenge, dpopChallengeForMissing } from "./binding_challenge";
import { COMPILED_FEATURES, FEATURE_ROUTES } from "./features";

/** Why a request is refused, beyond the verifier's codes. */
export const enum DenyKind {
  Token = 0,
  Missing = 1,
  JwksUnavailable = 2,
  NoRule = 3,
  /** Two different tokens for one provider (RFC 6750 §2: one method per request). */
  MultipleTokens = 4,
  /** A path that cannot be matched safely (encoded slash, malformed escape, ambiguous dots): 400. */
  BadPath = 5,
  /**
   * The route Envoy chose decides the requirement (route_requirements), but the path must be
   * normalised first, after which Envoy chooses the route anew: 400 (requirements.ts).
   */
  PathChangesRoute = 6,
  /** A verified token whose sender constraint (DPoP, mTLS) does not fit the request (binding.ts). */
  Binding = 7,
}

export class Denial {
  /**
   * Only the kind is a parameter: optional ones would compile a varargs trampoline and an argument
   * count write at every `new Denial`; the two kinds with a detail set it on the new object.
   */
  constructor(public kind: DenyKind) {}
  /** For DenyKind.Token: the verifier's code. */
  error: JwtError = JwtError.Ok;
  /** For DenyKind.BadPath: what is wrong with the path. */
  pathError: PathError = PathError.None;
  /** For DenyKind.Binding: the reason, error code and challenge binding.ts chose. */
  binding: BindingChallenge | null = null;

  /** Stable snake_case reason (metrics, details, body). */
  get reason(): string {
    if (this.kind == DenyKind.Missing) return "missing";
    if (this.kind == DenyKind.JwksUnavailable) return "jwks_unavailable";
    if (this.kind == DenyKind.NoRule) return "no_rule_matched";
    if (this.kind == DenyKind.MultipleTokens) return "multiple_tokens";
    if (this.kind == DenyKind.BadPath) return pathErrorReason(this.pathError);
    const binding = this.binding;
    if (binding !== null) return binding.reason;
    // Only route_requirements refuse so (requirements.ts), and a build without them has none.
    if (COMPILED_FEATURES & FEATURE_ROUTES && this.kind == DenyKind.PathChangesRoute) return "path_changes_route";
    return jwtErrorName(this.error);
  }
}

/** The realm: configured, else the request URL without its query (as Envoy), at most 256 chars. */
export function realmOf(
  config: FilterConfig,
  scheme: string | null,
  authority: string | null,
  path: string | null,
): string {
  if (config.realm.length > 0) return config.realm;
  const p = path === null ? "/" : splitRequestPath(path).path;
  let url = (scheme === null ? "http" : scheme) + "://" + (authority === null ? "" : authority) + p;
  if (url.length > 256) url = url.substring(0, 256);
  return escapeQuotedString(url);
}

/**
 * `s` with `"` as %22 and `\` as %5C: either would end the quoted-string early. A loop of its own,
 * because String#replaceAll costs ~700 bytes of module for two one-character patterns.
 */
function escapeQuotedString(s: string): string {
  const n = s.length;
  let specials = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22 || c == 0x5c) specials++;
  }
  if (specials == 0) return s;
  const out = changetype<string>(__new((<usize>(n + 2 * specials)) << 1, idof<string>()));
  let at = changetype<usize>(out);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x22 || c == 0x5c) {
      store<u16>(at, 0x25); // '%'
      store<u16>(at, c == 0x22 ? 0x32 : 0x35, 2); // '2' or '5'
      store<u16>(at, c == 0x22 ? 0x32 : 0x43, 4); // '2' or 'C'
      at += 6;
    } else {
      store<u16>(at, <u16>c);
      at += 2;
    }
  }
  return out;
}

/** The answer to a refused request, as core's one local-reply type. */
export function failureReply(config: FilterConfig, denial: Denial, realm: string): LocalReply {
  const r = new LocalReply(401);
  const reason = denial.reason;
  let error = "invalid_token";
  if (denial.kind == DenyKind.Missing || denial.kind == DenyKind.NoRule) error = "";
  const badRequest =
    denial.kind == DenyKind.BadPath || (COMPILED_FEATURES & FEATURE_ROUTES && denial.kind == DenyKind.PathChangesRoute);
  if (denial.kind == DenyKind.MultipleTokens || badRequest) {
    r.status = 400;
    error = "invalid_request";
  }
  if (denial.kind == DenyKind.Token) {
    if (denial.error == JwtError.AudienceNotAllowed) r.status = config.audienceStatus;
    if (denial.error == JwtError.ClaimRequirementFailed) {
      r.status = 403;
      error = "insufficient_scope";
    }
  }
  const binding = denial.binding;
  if (binding !== null) error = binding.error;
  r.details = "jwt_authn_access_denied{" + reason + "}";
  // A path refused before any rule applies is no authentication problem: no challenge.
  if (!badRequest) {
    let challenge = 'Bearer realm="' + realm + '"';
    if (error.length > 0) challenge += ', error="' + error + '"';
    if (binding !== null && binding.dpopHeader.length > 0) challenge = binding.dpopHeader;
    r.header("www-authenticate", challenge);
    // A client without a token also learns that a provider takes DPoP, and with which algorithms.
    if (denial.kind == DenyKind.Missing) {
      const dpop = dpopChallengeForMissing(config);
      if (dpop.length > 0) r.header("www-authenticate", dpop);
    }
  }
  if (config.jsonBody) {
    const json = '{"error":"' + (error.length > 0 ? error : "unauthorized") + '","reason":"' + reason + '"}';
    r.text(json).contentType("application/json");
  }
  return r;
}
