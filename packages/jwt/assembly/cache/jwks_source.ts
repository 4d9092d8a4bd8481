// SPDX-License-Identifier: Apache-2.0
// One JWKS source as seen by one worker VM: inline keys, or remote keys fetched with
// proxy_http_call and shared by every worker of the proxy through shared data.
//
// Shared data (scope: the vm_id): `<base>` holds "<expiresAtMs>\n<fetchedAtMs>\n<JWKS body>" of the
// last good fetch; `<base>.lease` says who fetches (see lease.ts); `<base>.forced` holds the time of
// the last refetch forced by an unknown `kid`, so that rate limit is proxy-wide too. Each worker
// parses the body once per change (CAS differs) and keeps the parsed keys; the raw JSON is not
// kept in the VM. Keys past their lifetime are still used until a fetch succeeds (last good keys).
// The fetch itself (lease, GET, reply, back-off) is remote_document.ts's flow, shared with OIDC discovery.
import {
  RootContext,
  HttpCallResponse,
  Result,
  Status,
  getSharedData,
  setSharedData,
  logInfo,
} from "@getwild/core/assembly";
import { KeySet, JwksOptions, parseJwks, jwksErrorMessage } from "../jose/jwks/jwks";
import { COMPILED_FEATURES, FEATURE_OIDC } from "../filter/features";
import { readLease } from "./lease";
import { RemoteDocument } from "./remote_document";
import { startJsonGet } from "./remote_fetch";
import { decimalText, sharedI64 } from "./shared_number";

/** Told when a source's fetch ended or its shared keys changed: time to look at waiting requests. */
export abstract class JwksListener {
  abstract jwksSettled(source: JwksSource, fetchSucceeded: bool): void;
}

/** Remote source settings (all validated at configure time). */
export class RemoteJwksConfig {
  cluster: string = "";
  authority: string = "";
  path: string = "";
  timeoutMs: u32 = 5000;
  /** Bounds and fallback of the lifetime taken from Cache-Control: max-age, in seconds. */
  minLifetimeSeconds: i64 = 30;
  maxLifetimeSeconds: i64 = 86400;
  fallbackLifetimeSeconds: i64 = 600;
  /** Refresh this long before expiry (at most half the lifetime). */
  refreshBeforeSeconds: i64 = 60;
  /** Backoff after failed fetches: base × 2^(failures−1), capped. */
  backoffBaseMs: i64 = 1000;
  backoffMaxMs: i64 = 60000;
  /** At most one refetch forced by an unknown kid per this interval, proxy-wide. */
  unknownKidMinIntervalMs: i64 = 30000;
  jwks: JwksOptions = new JwksOptions();
}

export const enum KeysState {
  /** Keys are there (maybe past their lifetime: last good keys). */
  Ready = 0,
  /** A fetch is running (here or in another worker): pause and wait. */
  Wait = 1,
  /** No keys and no fetch can run now (backoff): fail closed or open by policy. */
  Unavailable = 2,
}

/**
 * A source is also the handler of its own fetches (a RemoteDocument, whose fetch flow it shares with
 * OIDC discovery): a VM runs at most one fetch per source at a time, so the reply reaches the source
 * that asked, with its state, and no table of tokens is needed.
 */
export class JwksSource extends RemoteDocument {
  keys: KeySet | null = null;
  listener: JwksListener | null = null;
  /** Where this source shows up in logs: "cluster authority/path" or "inline". */
  label: string = "inline";
  forcedRefetches: i32 = 0;

  static inline(keys: KeySet): JwksSource {
    const s = new JwksSource();
    s.keys = keys;
    return s;
  }

  static fetched(config: RemoteJwksConfig): JwksSource {
    const s = new JwksSource();
    s.remote = config;
    s.label = config.cluster + " " + config.authority + config.path;
    s.sharedKey = "getwild.jwt.jwks " + config.cluster + " " + config.authority + config.path;
    return s;
  }

  get isRemote(): bool {
    return this.remote !== null;
  }

  /** Makes the proxy-wide fetch lease exist before workers race for it (see createLeaseIfAbsent). */
  prepareLease(): void {
    if (this.remote !== null) this.createLease();
  }

  /** Adopts keys another worker already published (VM start, every tick). True when they changed. */
  syncFromShared(): bool {
    // Not overridden, so a build without OIDC discovery (no call below) carries no dispatch for it.
    if (COMPILED_FEATURES & FEATURE_OIDC) this.syncLocation();
    return this.remote !== null && this.syncPublished();
  }

  /** Adopts a published key location before the keys: an OIDC source's jwks_uri (discovery.ts). */
  protected syncLocation(): void {}

  protected adoptPublished(body: Uint8Array, fetchedAtMs: i64, expiresAtMs: i64): bool {
    const parsed = parseJwks(body, this.remote!.jwks);
    const set = parsed.keySet;
    if (!parsed.ok || set === null) return false;
    this.adopt(set, fetchedAtMs, expiresAtMs);
    return true;
  }

  private adopt(set: KeySet, fetchedAtMs: i64, expiresAtMs: i64): void {
    this.keys = set;
    this.schedule(fetchedAtMs, expiresAtMs);
  }

  /** For a request: are keys there, is a fetch worth waiting for, or neither? Starts a fetch if none runs. */
  ensure(root: RootContext, nowMs: i64): KeysState {
    if (this.keys !== null) return KeysState.Ready;
    if (this.remote === null) return KeysState.Unavailable;
    if (this.syncFromShared()) return KeysState.Ready;
    return this.fetchRunsOrStarts(root, nowMs) ? KeysState.Wait : KeysState.Unavailable;
  }

  /**
   * A token's `kid` is not among the keys: refetch, at most once per interval proxy-wide. True when
   * a fetch is running (started now, or already) so the request should wait for it.
   */
  refetchForUnknownKid(root: RootContext, nowMs: i64): bool {
    if (this.remote === null) return false;
    if (this.fetching) return true;
    const lease = readLease(this.leaseKey);
    if (lease.running(nowMs)) return true;
    const forcedKey = this.sharedKey + ".forced";
    const last = getSharedData(forcedKey);
    const lastCas = last.ok ? last.cas : 0; // taken now: the next shared-data read refills `last`
    let lastMs: i64 = -1;
    if (last.ok) lastMs = sharedI64(String.UTF8.decode(last.value.buffer));
    if (lastMs >= 0 && nowMs - lastMs < this.remote!.unknownKidMinIntervalMs) return false;
    const mark = Uint8Array.wrap(String.UTF8.encode(decimalText(nowMs)));
    if (setSharedData(forcedKey, mark, lastCas) != Status.Ok) return false;
    if (!this.startFetch(root, nowMs, lease)) return false;
    this.forcedRefetches++;
    logInfo("jwt: unknown kid, refetching JWKS from " + this.label);
    return true;
  }

  /** Periodic work: adopt shared keys, refresh before expiry, retry after backoff. */
  tick(root: RootContext, nowMs: i64, wanted: bool): void {
    if (this.remote === null) return;
    if (this.syncFromShared()) {
      this.notify(true);
      return;
    }
    if (this.fetching) return;
    const lease = readLease(this.leaseKey);
    const due = this.keys === null ? wanted || this.seenCas == 0 : nowMs >= this.refreshAtMs;
    if (!due || lease.busy(nowMs)) {
      // A fetch elsewhere ended without new keys (failure): let waiting requests decide now.
      if (wanted && !lease.running(nowMs)) this.notify(false);
      return;
    }
    if (!this.startFetch(root, nowMs, lease) && wanted) this.notify(false);
  }

  protected request(root: RootContext, timeoutMs: u32): Result<u32> {
    const remote = this.remote!;
    return startJsonGet(root, remote.cluster, remote.authority, remote.path, timeoutMs, this);
  }

  protected maxBytes(): u32 {
    return <u32>this.remote!.jwks.maxBytes;
  }

  protected accept(response: HttpCallResponse, nowMs: i64): string {
    const remote = this.remote!;
    const body = response.body().value;
    const parsed = parseJwks(body, remote.jwks);
    const set = parsed.keySet;
    if (!parsed.ok || set === null) return jwksErrorMessage(parsed.error);
    const expires = this.expiresAt(response, nowMs);
    this.publish(nowMs, expires, body);
    this.adopt(set, nowMs, expires);
    this.fetchSuccesses++;
    logInfo(
      "jwt: JWKS from " +
        this.label +
        ": " +
        set.size.toString() +
        " keys, " +
        set.skipped.length.toString() +
        " skipped, valid for " +
        decimalText((expires - nowMs) / 1000) +
        " s",
    );
    return "";
  }

  protected logSubject(): string {
    return "jwt: JWKS fetch from " + this.label;
  }

  protected keptAfterFailure(): string {
    return this.keys !== null ? " (keeping the last good keys)" : "";
  }

  protected settled(nowMs: i64, succeeded: bool): void {
    this.notify(succeeded);
  }

  private notify(succeeded: bool): void {
    const listener = this.listener;
    if (listener !== null) listener.jwksSettled(this, succeeded);
  }
}
