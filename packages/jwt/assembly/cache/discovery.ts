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
import { RootContext, HttpCallResponse, Result, logInfo } from "@getwild/core/assembly";
import { parseJsonText } from "@getwild/json/assembly";
import { asciiLowerCase } from "../jose/encoding/ascii";
import { JwksSource, KeysState, RemoteJwksConfig } from "./jwks_source";
import { readLease } from "./lease";
import { RemoteDocument } from "./remote_document";
import { startJsonGet } from "./remote_fetch";
import { decimalText } from "./shared_number";

/** The discovery document's path under the issuer (OpenID Connect Discovery 1.0 §4). */
// @ts-ignore: decorator (lazy: a build without OIDC discovery never reads it, so never builds it at start)
@lazy export const WELL_KNOWN = "/.well-known/openid-configuration";
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

/**
 * The discovery document of one OIDC source, fetched like the source's keys (same lease scheme, fetch
 * policy and back-off) under its own shared-data key; a good one points the source's key fetches at
 * its jwks_uri. Its failed fetches count as the source's.
 */
class DiscoveryDocument extends RemoteDocument {
  /** The root that started the fetch in flight: the key fetch that follows a good reply starts there. */
  private root: RootContext | null = null;

  constructor(private readonly source: OidcJwksSource) {
    super();
  }

  protected request(root: RootContext, timeoutMs: u32): Result<u32> {
    this.root = root;
    const d = this.source.discovery;
    return startJsonGet(root, d.cluster, d.location.authority, d.location.path, timeoutMs, this);
  }

  protected maxBytes(): u32 {
    return MAX_DOCUMENT_BYTES;
  }

  protected accept(response: HttpCallResponse, nowMs: i64): string {
    const source = this.source;
    const jwksUri = checkDocument(source.discovery, response.body().value);
    if (!jwksUri.startsWith("https://")) return jwksUri;
    const remote = this.remote!;
    const expires = this.expiresAt(response, nowMs);
    this.publish(nowMs, expires, Uint8Array.wrap(String.UTF8.encode(jwksUri)));
    source.adoptLocation(jwksUri, nowMs, expires);
    logInfo(
      "jwt: OIDC discovery for " +
        source.discovery.issuer +
        ": jwks_uri " +
        jwksUri +
        " through cluster " +
        remote.cluster +
        ", valid for " +
        decimalText((expires - nowMs) / 1000) +
        " s",
    );
    return "";
  }

  protected logSubject(): string {
    return "jwt: OIDC discovery for " + this.source.discovery.issuer;
  }

  protected keptAfterFailure(): string {
    return this.source.located ? " (keeping the last good jwks_uri)" : "";
  }

  protected countFailure(): void {
    this.source.fetchFailures++;
  }

  protected settled(nowMs: i64, succeeded: bool): void {
    this.source.discoverySettled(this.root!, nowMs, succeeded);
  }

  protected adoptPublished(body: Uint8Array, fetchedAtMs: i64, expiresAtMs: i64): bool {
    return this.source.adoptLocation(
      String.UTF8.decodeUnsafe(body.dataStart, <usize>body.length),
      fetchedAtMs,
      expiresAtMs,
    );
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
  private document: DiscoveryDocument = new DiscoveryDocument(this);

  static discovered(discovery: DiscoveryConfig, remote: RemoteJwksConfig): OidcJwksSource {
    const s = new OidcJwksSource();
    s.discovery = discovery;
    s.remote = remote;
    remote.cluster = discovery.cluster;
    s.label = "oidc " + discovery.issuer;
    // One key set per issuer and cluster, wherever its jwks_uri points over time.
    s.sharedKey = "getwild.jwt.jwks oidc " + discovery.cluster + " " + discovery.issuer;
    const document = s.document;
    document.remote = remote;
    document.sharedKey = "getwild.jwt.oidc " + discovery.cluster + " " + discovery.issuer;
    return s;
  }

  prepareLease(): void {
    this.document.createLease();
    super.prepareLease();
  }

  protected syncLocation(): void {
    this.document.syncPublished();
  }

  ensure(root: RootContext, nowMs: i64): KeysState {
    if (this.keys !== null) return KeysState.Ready;
    this.document.syncPublished();
    if (!this.located) return this.document.fetchRunsOrStarts(root, nowMs) ? KeysState.Wait : KeysState.Unavailable;
    return super.ensure(root, nowMs);
  }

  refetchForUnknownKid(root: RootContext, nowMs: i64): bool {
    return this.located ? super.refetchForUnknownKid(root, nowMs) : false;
  }

  tick(root: RootContext, nowMs: i64, wanted: bool): void {
    const document = this.document;
    document.syncPublished();
    if (!document.fetching) {
      const due = this.located ? nowMs >= document.refreshAtMs : wanted || document.seenCas == 0;
      const lease = readLease(document.leaseKey);
      if (due && !lease.busy(nowMs)) document.startFetch(root, nowMs, lease);
      else if (!this.located && wanted && !lease.running(nowMs)) this.settle(false);
    }
    if (this.located) super.tick(root, nowMs, wanted);
  }

  /** Points the key fetches at `jwksUri` (checked when it was fetched); false when it is unusable. */
  adoptLocation(jwksUri: string, fetchedAtMs: i64, expiresAtMs: i64): bool {
    const location = httpsLocation(jwksUri);
    if (location === null) return false;
    const cluster = jwksClusterFor(this.discovery, location);
    if (cluster.length == 0) return false;
    const remote = this.remote!;
    remote.cluster = cluster;
    remote.authority = location.authority;
    remote.path = location.path;
    this.located = true;
    this.document.schedule(fetchedAtMs, expiresAtMs);
    return true;
  }

  /** This VM's discovery fetch ended: on success the keys come next, at once; on failure waiting requests decide. */
  discoverySettled(root: RootContext, nowMs: i64, succeeded: bool): void {
    if (!succeeded) {
      if (!this.located) this.settle(false);
      return;
    }
    // A request waiting since the cold start keeps waiting for the keys.
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
