// SPDX-License-Identifier: Apache-2.0
// OIDC discovery (OpenID Connect Discovery 1.0 §4): a provider that gives only its `issuer` gets its
// JWKS location from `<issuer>/.well-known/openid-configuration`, fetched through a configured
// cluster. The document's `issuer` must equal the configured one (§4.3), or it is not used. Only
// `jwks_uri` is kept, cached like the JWKS: one fetch per proxy (a lease in shared data), the
// lifetime from Cache-Control clamped to the provider's bounds, refreshed before expiry, the last
// good location kept when a refresh fails, backoff after failures. See docs/routes.md, "OIDC discovery".
//
// Which cluster reaches the jwks_uri: the discovery cluster when the jwks_uri's host is the
// issuer's host (Auth0, Okta, Keycloak, Entra ID's per-tenant hosts…), else `jwks_cluster`, which
// must then be configured (Google's issuer accounts.google.com serves keys from
// www.googleapis.com). A document naming any other host is refused: the host comes from a fetched
// document, and a cluster (with its TLS settings) is the operator's choice of where to connect.
//
// Shared data: `<key>` = "<expiresAtMs>\n<fetchedAtMs>\n<jwks_uri>", `<key>.lease` (lease.ts).
import {
  RootContext,
  HttpCallHandler,
  HttpCallResponse,
  Status,
  getSharedData,
  setSharedData,
  getCurrentTimeMilliseconds,
  logInfo,
  logWarn,
  statusName,
} from "@getwild/core/assembly";
import { parseJsonText } from "@getwild/json/assembly";
import { asciiLowerCase } from "../jose/encoding/ascii";
import { JwksSource, KeysState, RemoteJwksConfig } from "./jwks_source";
import { createLeaseIfAbsent, readLease, releaseLease } from "./lease";
import {
  documentExpiresAtMs,
  holdLeaseAfterFailure,
  refreshDueMs,
  replyProblem,
  startJsonGet,
  takeFetchLease,
} from "./remote_fetch";

/** The discovery document's path under the issuer (OpenID Connect Discovery 1.0 §4). */
export const WELL_KNOWN = "/.well-known/openid-configuration";
/** Discovery documents are a few KiB; a bigger body is refused as a failed fetch. */
const MAX_DOCUMENT_BYTES: u32 = 65536;

/** An https URL split for a callout: the `:authority` and the `:path` (with any query). */
export class HttpsLocation {
  constructor(
    public authority: string,
    public path: string,
  ) {}
}

/** `https://host[:port]/path`, without userinfo or fragment; null otherwise. */
export function httpsLocation(url: string): HttpsLocation | null {
  if (!url.startsWith("https://")) return null;
  const rest = url.substring(8);
  let slash = rest.indexOf("/");
  if (slash < 0) slash = rest.length;
  const authority = rest.substring(0, slash);
  if (authority.length == 0 || authority.includes("@") || rest.includes("#")) return null;
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return null;
  }
  const path = slash < rest.length ? rest.substring(slash) : "/";
  return new HttpsLocation(asciiLowerCase(authority), path);
}

/** Settings of `oidc_discovery` (validated at configure time). */
export class DiscoveryConfig {
  issuer: string = "";
  /** The cluster that reaches the issuer's host (the discovery document, and keys on that host). */
  cluster: string = "";
  /** The cluster for a jwks_uri on another host; "" when none is allowed. */
  jwksCluster: string = "";
  /** Where the document is: the issuer's host, and its path + WELL_KNOWN. */
  location: HttpsLocation = new HttpsLocation("", "");
}

/** One discovery fetch: the callout's handler, which hands the reply to the source that asked. */
class DiscoveryFetch extends HttpCallHandler {
  constructor(
    private readonly source: OidcJwksSource,
    private readonly root: RootContext,
  ) {
    super();
  }
  onHttpCallResponse(response: HttpCallResponse): void {
    this.source.discoveryReceived(this.root, response);
  }
}

/**
 * A remote JWKS source whose location comes from the issuer's discovery document. Until that is
 * known, requests wait for (or fail on) the discovery fetch; once it is, this is a JwksSource like
 * any other, whose key fetch starts at once so that a request waiting since the cold start waits
 * through both fetches.
 */
export class OidcJwksSource extends JwksSource {
  discovery: DiscoveryConfig = new DiscoveryConfig();
  /** True once a jwks_uri was adopted (from this VM's fetch or shared data). */
  located: bool = false;
  discoveryKey: string = "";
  discoverySeenCas: u32 = 0;
  discoveryExpiresAtMs: i64 = 0;
  discoveryRefreshAtMs: i64 = 0;
  discovering: bool = false;
  /** Reason of the last failed discovery ("" when none), for logs and tests. */
  discoveryError: string = "";

  static discovered(discovery: DiscoveryConfig, remote: RemoteJwksConfig): OidcJwksSource {
    const s = new OidcJwksSource();
    s.discovery = discovery;
    s.remote = remote;
    remote.cluster = discovery.cluster;
    s.label = "oidc " + discovery.issuer;
    // One key set per issuer and cluster, wherever its jwks_uri points over time.
    s.sharedKey = "getwild.jwt.jwks oidc " + discovery.cluster + " " + discovery.issuer;
    s.discoveryKey = "getwild.jwt.oidc " + discovery.cluster + " " + discovery.issuer;
    return s;
  }

  prepareLease(): void {
    createLeaseIfAbsent(this.discoveryKey + ".lease");
    super.prepareLease();
  }

  syncFromShared(): bool {
    this.syncDiscovery();
    return super.syncFromShared();
  }

  ensure(root: RootContext, nowMs: i64): KeysState {
    if (this.keys !== null) return KeysState.Ready;
    this.syncDiscovery();
    if (!this.located) {
      if (this.discovering) return KeysState.Wait;
      const lease = readLease(this.discoveryKey + ".lease");
      if (lease.running(nowMs)) return KeysState.Wait;
      return this.startDiscovery(root, nowMs) ? KeysState.Wait : KeysState.Unavailable;
    }
    return super.ensure(root, nowMs);
  }

  refetchForUnknownKid(root: RootContext, nowMs: i64): bool {
    return this.located ? super.refetchForUnknownKid(root, nowMs) : false;
  }

  tick(root: RootContext, nowMs: i64, wanted: bool): void {
    this.syncDiscovery();
    if (!this.discovering) {
      const due = this.located ? nowMs >= this.discoveryRefreshAtMs : wanted || this.discoverySeenCas == 0;
      const lease = readLease(this.discoveryKey + ".lease");
      if (due && !lease.busy(nowMs)) this.startDiscovery(root, nowMs);
      else if (!this.located && wanted && !lease.running(nowMs)) this.settle(false);
    }
    if (this.located) super.tick(root, nowMs, wanted);
  }

  /** Adopts a location another worker published. */
  private syncDiscovery(): void {
    const got = getSharedData(this.discoveryKey);
    if (!got.ok || got.cas == this.discoverySeenCas) return;
    this.discoverySeenCas = got.cas;
    const text = String.UTF8.decode(got.value.buffer);
    const first = text.indexOf("\n");
    const second = first < 0 ? -1 : text.indexOf("\n", first + 1);
    if (second < 0) return;
    const expires = I64.parseInt(text.substring(0, first));
    const fetchedAt = I64.parseInt(text.substring(first + 1, second));
    this.adoptLocation(text.substring(second + 1), fetchedAt, expires);
  }

  /** Points the key fetches at `jwksUri` (checked when it was fetched); false when it is unusable. */
  private adoptLocation(jwksUri: string, fetchedAtMs: i64, expiresAtMs: i64): bool {
    const location = httpsLocation(jwksUri);
    if (location === null) return false;
    const cluster = jwksClusterFor(this.discovery, location);
    if (cluster.length == 0) return false;
    const remote = this.remote!;
    remote.cluster = cluster;
    remote.authority = location.authority;
    remote.path = location.path;
    this.located = true;
    this.discoveryExpiresAtMs = expiresAtMs;
    this.discoveryRefreshAtMs = refreshDueMs(fetchedAtMs, expiresAtMs, remote.refreshBeforeSeconds);
    return true;
  }

  private startDiscovery(root: RootContext, nowMs: i64): bool {
    const remote = this.remote!;
    const leaseKey = this.discoveryKey + ".lease";
    const lease = readLease(leaseKey);
    if (!takeFetchLease(leaseKey, lease, nowMs, remote.timeoutMs)) return false;
    const where = this.discovery.location;
    const started = startJsonGet(
      root,
      this.discovery.cluster,
      where.authority,
      where.path,
      remote.timeoutMs,
      new DiscoveryFetch(this, root),
    );
    if (started.status != Status.Ok) {
      this.discoveryFailed(nowMs, lease.failures, "proxy_http_call refused: " + statusName(started.status));
      return false;
    }
    this.discovering = true;
    return true;
  }

  private discoveryFailed(nowMs: i64, previousFailures: i32, why: string): void {
    const remote = this.remote!;
    const leaseKey = this.discoveryKey + ".lease";
    const backoff = holdLeaseAfterFailure(leaseKey, remote.backoffBaseMs, remote.backoffMaxMs, nowMs, previousFailures);
    this.fetchFailures++;
    this.discoveryError = why;
    logWarn(
      "jwt: OIDC discovery for " +
        this.discovery.issuer +
        " failed: " +
        why +
        (this.located ? " (keeping the last good jwks_uri)" : "") +
        "; next try in " +
        backoff.toString() +
        " ms",
    );
  }

  /** Handles this VM's discovery reply. */
  discoveryReceived(root: RootContext, response: HttpCallResponse): void {
    this.discovering = false;
    const nowMs = <i64>getCurrentTimeMilliseconds().value;
    const leaseKey = this.discoveryKey + ".lease";
    const lease = readLease(leaseKey);
    let why = replyProblem(response, MAX_DOCUMENT_BYTES);
    let jwksUri = "";
    if (why.length == 0) {
      const checked = checkDocument(this.discovery, response.body().value);
      if (checked.startsWith("https://")) jwksUri = checked;
      else why = checked;
    }
    if (why.length > 0) {
      this.discoveryFailed(nowMs, lease.failures, why);
      if (!this.located) this.settle(false);
      return;
    }
    const remote = this.remote!;
    const expires = documentExpiresAtMs(
      response,
      nowMs,
      remote.minLifetimeSeconds,
      remote.maxLifetimeSeconds,
      remote.fallbackLifetimeSeconds,
    );
    setSharedData(
      this.discoveryKey,
      Uint8Array.wrap(String.UTF8.encode(expires.toString() + "\n" + nowMs.toString() + "\n" + jwksUri)),
      0,
    );
    this.discoverySeenCas = getSharedData(this.discoveryKey).cas;
    this.adoptLocation(jwksUri, nowMs, expires);
    releaseLease(leaseKey, 0, 0);
    this.discoveryError = "";
    logInfo(
      "jwt: OIDC discovery for " +
        this.discovery.issuer +
        ": jwks_uri " +
        jwksUri +
        " through cluster " +
        remote.cluster +
        ", valid for " +
        ((expires - nowMs) / 1000).toString() +
        " s",
    );
    // Keys next, at once: a request waiting since the cold start keeps waiting for them.
    if (this.keys === null) {
      // Keys another worker published are adopted here (Ready); a fetch that cannot start now
      // (Unavailable) lets the waiting requests decide at once.
      const state = super.ensure(root, nowMs);
      if (state != KeysState.Wait) this.settle(state == KeysState.Ready);
    }
  }

  private settle(succeeded: bool): void {
    const listener = this.listener;
    if (listener !== null) listener.jwksSettled(this, succeeded);
  }
}

/** The cluster for keys at `location`: the issuer's cluster on the issuer's host, else jwks_cluster ("" when not allowed). */
function jwksClusterFor(d: DiscoveryConfig, location: HttpsLocation): string {
  if (location.authority == d.location.authority) return d.cluster;
  return d.jwksCluster;
}

/** The document's jwks_uri when it is usable, else the reason it is not. */
function checkDocument(d: DiscoveryConfig, body: Uint8Array): string {
  const doc = parseJsonText(String.UTF8.decode(body.buffer)).value;
  if (doc === null || !doc.isObject) return "the discovery document is not a JSON object";
  const issuer = doc.get("issuer");
  if (issuer === null || !issuer.isString) return "the discovery document has no issuer";
  // OpenID Connect Discovery 1.0 §4.3: exactly the issuer the document was fetched for.
  if (issuer.text != d.issuer) return "the discovery document's issuer " + issuer.text + " is not " + d.issuer;
  const uri = doc.get("jwks_uri");
  if (uri === null || !uri.isString) return "the discovery document has no jwks_uri";
  const location = httpsLocation(uri.text);
  if (location === null) return "jwks_uri " + uri.text + " is not an https URL with a host";
  if (jwksClusterFor(d, location).length == 0) {
    return (
      "jwks_uri host " +
      location.authority +
      " is not the issuer's host " +
      d.location.authority +
      " and oidc_discovery.jwks_cluster is not set"
    );
  }
  return uri.text;
}
