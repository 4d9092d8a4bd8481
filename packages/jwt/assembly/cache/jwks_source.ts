// SPDX-License-Identifier: Apache-2.0
// One JWKS source as seen by one worker VM: inline keys, or remote keys fetched with
// proxy_http_call and shared by every worker of the proxy through shared data.
//
// Shared data (scope: the vm_id): `<base>` holds "<expiresAtMs>\n<fetchedAtMs>\n<JWKS body>" of the
// last good fetch; `<base>.lease` says who fetches (see lease.ts); `<base>.forced` holds the time of
// the last refetch forced by an unknown `kid`, so that rate limit is proxy-wide too. Each worker
// parses the body once per change (CAS differs) and keeps the parsed keys; the raw JSON is not
// kept in the VM. Keys past their lifetime are still used until a fetch succeeds (last good keys).
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
import { KeySet, JwksOptions, parseJwks, jwksErrorMessage } from "../jose/jwks/jwks";
import { Lease, createLeaseIfAbsent, readLease, releaseLease } from "./lease";
import {
  documentExpiresAtMs,
  holdLeaseAfterFailure,
  refreshDueMs,
  replyProblem,
  startJsonGet,
  takeFetchLease,
} from "./remote_fetch";

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
 * A source is also the handler of its own fetches (core's HttpCallHandler): a VM runs at most one
 * fetch per source at a time (`fetching`), so the reply reaches the source that asked, with its
 * state, and no table of tokens is needed.
 */
export class JwksSource extends HttpCallHandler {
  keys: KeySet | null = null;
  remote: RemoteJwksConfig | null = null;
  listener: JwksListener | null = null;
  /** Where this source shows up in logs: "cluster authority/path" or "inline". */
  label: string = "inline";
  sharedKey: string = "";
  seenCas: u32 = 0;
  expiresAtMs: i64 = 0;
  refreshAtMs: i64 = 0;
  /** True while this VM has a fetch in flight. */
  fetching: bool = false;
  /** Counters read by the filter's metrics. */
  fetchSuccesses: i32 = 0;
  fetchFailures: i32 = 0;
  forcedRefetches: i32 = 0;
  /** Reason of the last failed fetch ("" when none), for logs. */
  lastError: string = "";

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
    if (this.remote !== null) createLeaseIfAbsent(this.sharedKey + ".lease");
  }

  /** Adopts keys another worker already published (VM start, every tick). True when they changed. */
  syncFromShared(): bool {
    if (this.remote === null) return false;
    const got = getSharedData(this.sharedKey);
    const bytes = got.value;
    if (!got.ok || got.cas == this.seenCas) return false;
    this.seenCas = got.cas;
    // "<expiresAtMs>\n<fetchedAtMs>\n<body>"
    let first = -1,
      second = -1;
    for (let i = 0; i < bytes.length; i++) {
      if (unchecked(bytes[i]) == 0x0a) {
        if (first < 0) first = i;
        else {
          second = i;
          break;
        }
      }
    }
    if (second < 0) return false;
    const expires = I64.parseInt(String.UTF8.decode(bytes.buffer.slice(0, first)));
    const fetchedAt = I64.parseInt(String.UTF8.decode(bytes.buffer.slice(first + 1, second)));
    const parsed = parseJwks(bytes.subarray(second + 1), this.remote!.jwks);
    const set = parsed.keySet;
    if (!parsed.ok || set === null) return false;
    this.adopt(set, fetchedAt, expires);
    return true;
  }

  private adopt(set: KeySet, fetchedAtMs: i64, expiresAtMs: i64): void {
    this.keys = set;
    this.expiresAtMs = expiresAtMs;
    this.refreshAtMs = refreshDueMs(fetchedAtMs, expiresAtMs, this.remote!.refreshBeforeSeconds);
  }

  /** For a request: are keys there, is a fetch worth waiting for, or neither? Starts a fetch if none runs. */
  ensure(root: RootContext, nowMs: i64): KeysState {
    if (this.keys !== null) return KeysState.Ready;
    if (this.remote === null) return KeysState.Unavailable;
    if (this.syncFromShared()) return KeysState.Ready;
    if (this.fetching) return KeysState.Wait;
    const lease = readLease(this.sharedKey + ".lease");
    if (lease.running(nowMs)) return KeysState.Wait;
    return this.startFetch(root, nowMs, lease) ? KeysState.Wait : KeysState.Unavailable;
  }

  /**
   * A token's `kid` is not among the keys: refetch, at most once per interval proxy-wide. True when
   * a fetch is running (started now, or already) so the request should wait for it.
   */
  refetchForUnknownKid(root: RootContext, nowMs: i64): bool {
    if (this.remote === null) return false;
    if (this.fetching) return true;
    const lease = readLease(this.sharedKey + ".lease");
    if (lease.running(nowMs)) return true;
    const forcedKey = this.sharedKey + ".forced";
    const last = getSharedData(forcedKey);
    const lastCas = last.ok ? last.cas : 0; // taken now: the next shared-data read refills `last`
    let lastMs: i64 = -1;
    if (last.ok) lastMs = I64.parseInt(String.UTF8.decode(last.value.buffer));
    if (lastMs >= 0 && nowMs - lastMs < this.remote!.unknownKidMinIntervalMs) return false;
    const mark = Uint8Array.wrap(String.UTF8.encode(nowMs.toString()));
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
    const lease = readLease(this.sharedKey + ".lease");
    const due = this.keys === null ? wanted || this.seenCas == 0 : nowMs >= this.refreshAtMs;
    if (!due || lease.busy(nowMs)) {
      // A fetch elsewhere ended without new keys (failure): let waiting requests decide now.
      if (wanted && !lease.running(nowMs)) this.notify(false);
      return;
    }
    if (!this.startFetch(root, nowMs, lease) && wanted) this.notify(false);
  }

  private startFetch(root: RootContext, nowMs: i64, lease: Lease): bool {
    const remote = this.remote!;
    if (!takeFetchLease(this.sharedKey + ".lease", lease, nowMs, remote.timeoutMs)) return false;
    const started = startJsonGet(root, remote.cluster, remote.authority, remote.path, remote.timeoutMs, this);
    if (started.status != Status.Ok) {
      this.failed(nowMs, lease.failures, "proxy_http_call refused: " + statusName(started.status));
      return false;
    }
    this.fetching = true;
    return true;
  }

  private failed(nowMs: i64, previousFailures: i32, why: string): void {
    const remote = this.remote!;
    const leaseKey = this.sharedKey + ".lease";
    const backoff = holdLeaseAfterFailure(leaseKey, remote.backoffBaseMs, remote.backoffMaxMs, nowMs, previousFailures);
    this.fetchFailures++;
    this.lastError = why;
    logWarn(
      "jwt: JWKS fetch from " +
        this.label +
        " failed: " +
        why +
        (this.keys !== null ? " (keeping the last good keys)" : "") +
        "; next try in " +
        backoff.toString() +
        " ms",
    );
  }

  /** Handles this VM's fetch reply: success, failure or timeout. */
  onHttpCallResponse(response: HttpCallResponse): void {
    this.fetching = false;
    const remote = this.remote!;
    const nowMs = <i64>getCurrentTimeMilliseconds().value;
    const lease = readLease(this.sharedKey + ".lease");
    let why = replyProblem(response, <u32>remote.jwks.maxBytes);
    if (why.length == 0) {
      const body = response.body().value;
      const parsed = parseJwks(body, remote.jwks);
      const set = parsed.keySet;
      if (!parsed.ok || set === null) {
        why = jwksErrorMessage(parsed.error);
      } else {
        const expires = documentExpiresAtMs(
          response,
          nowMs,
          remote.minLifetimeSeconds,
          remote.maxLifetimeSeconds,
          remote.fallbackLifetimeSeconds,
        );
        const head = Uint8Array.wrap(String.UTF8.encode(expires.toString() + "\n" + nowMs.toString() + "\n"));
        const value = new Uint8Array(head.length + body.length);
        value.set(head, 0);
        value.set(body, head.length);
        setSharedData(this.sharedKey, value, 0);
        this.seenCas = getSharedData(this.sharedKey).cas;
        this.adopt(set, nowMs, expires);
        releaseLease(this.sharedKey + ".lease", 0, 0);
        this.fetchSuccesses++;
        this.lastError = "";
        logInfo(
          "jwt: JWKS from " +
            this.label +
            ": " +
            set.size.toString() +
            " keys, " +
            set.skipped.length.toString() +
            " skipped, valid for " +
            ((expires - nowMs) / 1000).toString() +
            " s",
        );
        this.notify(true);
        return;
      }
    }
    this.failed(nowMs, lease.failures, why);
    this.notify(false);
  }

  private notify(succeeded: bool): void {
    const listener = this.listener;
    if (listener !== null) listener.jwksSettled(this, succeeded);
  }
}
