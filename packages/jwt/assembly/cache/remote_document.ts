// SPDX-License-Identifier: Apache-2.0
// One document fetched by one worker for the whole proxy and shared through shared data: the JWKS
// (jwks_source.ts) and the OIDC discovery document (discovery.ts). Both run the same flow around the
// helpers in remote_fetch.ts: take the lease, start the GET, and on the reply either publish and
// release the lease or count the failure and hold the lease through the back-off. That flow is
// written here once; a document says only where it lives, what makes its body good, how a failure
// reads in the log and whom to tell when a fetch ends.
//
// Shared data: `<key>` = "<expiresAtMs>\n<fetchedAtMs>\n<body>" of the last good fetch, `<key>.lease`
// (lease.ts).
import {
  RootContext,
  HttpCallHandler,
  HttpCallResponse,
  Result,
  Status,
  getSharedData,
  setSharedData,
  getCurrentTimeMilliseconds,
  logWarn,
  statusName,
} from "@getwild/core/assembly";
import { RemoteJwksConfig } from "./jwks_source";
import { Lease, createLeaseIfAbsent, readLease, releaseLease } from "./lease";
import { documentExpiresAtMs, holdLeaseAfterFailure, refreshDueMs, replyProblem, takeFetchLease } from "./remote_fetch";
import { decimalText, sharedI64 } from "./shared_number";

/**
 * A fetched, shared document and the handler of its own fetches: a VM runs at most one fetch per
 * document, so the reply reaches the document that asked, with its state.
 */
export abstract class RemoteDocument extends HttpCallHandler {
  /** The fetch policy (timeouts, lifetimes, back-off); null for a source that never fetches (inline keys). */
  remote: RemoteJwksConfig | null = null;
  /** Where the last good document is published; `<sharedKey>.lease` says who fetches. */
  sharedKey: string = "";
  /** Fetch counts the filter's metrics read (a JWKS source counts its key sets as successes). */
  fetchSuccesses: i32 = 0;
  fetchFailures: i32 = 0;
  /** CAS of the published document this VM last read (0: none yet). */
  seenCas: u32 = 0;
  refreshAtMs: i64 = 0;
  /** True while this VM has a fetch in flight (a VM runs at most one per document). */
  fetching: bool = false;

  /** Starts the GET through `startJsonGet`, with this document as the handler. */
  protected abstract request(root: RootContext, timeoutMs: u32): Result<u32>;
  /** The largest body accepted. */
  protected abstract maxBytes(): u32;
  /** Takes a document published in shared data (by any worker); false when it is not usable. */
  protected abstract adoptPublished(body: Uint8Array, fetchedAtMs: i64, expiresAtMs: i64): bool;
  /** Checks a 2xx body and, when good, publishes and adopts it (and logs that): "" then, else why not. */
  protected abstract accept(response: HttpCallResponse, nowMs: i64): string;
  /** How a log line about this fetch starts: "jwt: JWKS fetch from …", "jwt: OIDC discovery for …". */
  protected abstract logSubject(): string;
  /** What a failure leaves in use (" (keeping the last good …)"), or "" when nothing. */
  protected abstract keptAfterFailure(): string;
  /** This VM's fetch ended (after the lease was given back or held): tell whoever waits. */
  protected abstract settled(nowMs: i64, succeeded: bool): void;

  /** Counts a failed fetch for the metrics: here, unless the document counts into its owner's. */
  protected countFailure(): void {
    this.fetchFailures++;
  }

  get leaseKey(): string {
    return this.sharedKey + ".lease";
  }

  /** Makes the proxy-wide fetch lease exist before workers race for it (see createLeaseIfAbsent). */
  createLease(): void {
    createLeaseIfAbsent(this.leaseKey);
  }

  /**
   * Adopts the published document when it changed since this VM last looked and is well formed; true
   * when the document took it (adoptPublished).
   */
  syncPublished(): bool {
    const got = getSharedData(this.sharedKey);
    if (!got.ok || got.cas == this.seenCas) return false;
    this.seenCas = got.cas;
    const bytes = got.value;
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
    // Decoded in place from the view (no ArrayBuffer#slice copies, nor that function in the module).
    const expires = sharedI64(String.UTF8.decodeUnsafe(bytes.dataStart, <usize>first));
    const fetchedAt = sharedI64(
      String.UTF8.decodeUnsafe(bytes.dataStart + <usize>(first + 1), <usize>(second - first - 1)),
    );
    return this.adoptPublished(bytes.subarray(second + 1), fetchedAt, expires);
  }

  /** Publishes a good `body` fetched at `nowMs` for every worker, and notes its CAS as seen here. */
  protected publish(nowMs: i64, expiresAtMs: i64, body: Uint8Array): void {
    const head = Uint8Array.wrap(String.UTF8.encode(decimalText(expiresAtMs) + "\n" + decimalText(nowMs) + "\n"));
    const value = new Uint8Array(head.length + body.length);
    value.set(head, 0);
    value.set(body, head.length);
    setSharedData(this.sharedKey, value, 0);
    this.seenCas = getSharedData(this.sharedKey).cas;
  }

  /** When a document fetched now expires: its Cache-Control max-age within the policy's bounds, else the fallback. */
  protected expiresAt(response: HttpCallResponse, nowMs: i64): i64 {
    const remote = this.remote!;
    return documentExpiresAtMs(
      response,
      nowMs,
      remote.minLifetimeSeconds,
      remote.maxLifetimeSeconds,
      remote.fallbackLifetimeSeconds,
    );
  }

  /** Notes a document's lifetime and when to refresh it. */
  schedule(fetchedAtMs: i64, expiresAtMs: i64): void {
    this.refreshAtMs = refreshDueMs(fetchedAtMs, expiresAtMs, this.remote!.refreshBeforeSeconds);
  }

  /**
   * For a request: true when a fetch runs (here, in another worker, or started now), so waiting is
   * worth it; false when none can run now (back-off).
   */
  fetchRunsOrStarts(root: RootContext, nowMs: i64): bool {
    if (this.fetching) return true;
    const lease = readLease(this.leaseKey);
    if (lease.running(nowMs)) return true;
    return this.startFetch(root, nowMs, lease);
  }

  /** Takes the lease (read as `lease`) and starts the fetch; false when the lease is busy or the call was refused. */
  startFetch(root: RootContext, nowMs: i64, lease: Lease): bool {
    const timeoutMs = this.remote!.timeoutMs;
    if (!takeFetchLease(this.leaseKey, lease, nowMs, timeoutMs)) return false;
    const started = this.request(root, timeoutMs);
    if (started.status != Status.Ok) {
      this.fail(nowMs, "proxy_http_call refused: " + statusName(started.status));
      return false;
    }
    this.fetching = true;
    return true;
  }

  /** Counts a failed fetch and holds the lease (which this VM holds) through the back-off. */
  private fail(nowMs: i64, why: string): void {
    const remote = this.remote!;
    const leaseKey = this.leaseKey;
    const previousFailures = readLease(leaseKey).failures;
    const backoff = holdLeaseAfterFailure(leaseKey, remote.backoffBaseMs, remote.backoffMaxMs, nowMs, previousFailures);
    this.countFailure();
    logWarn(
      this.logSubject() + " failed: " + why + this.keptAfterFailure() + "; next try in " + decimalText(backoff) + " ms",
    );
  }

  /** Handles this VM's fetch reply: success, failure or timeout. */
  onHttpCallResponse(response: HttpCallResponse): void {
    this.fetching = false;
    const nowMs = <i64>getCurrentTimeMilliseconds().value;
    let why = replyProblem(response, this.maxBytes());
    if (why.length == 0) why = this.accept(response, nowMs);
    const succeeded = why.length == 0;
    if (succeeded) releaseLease(this.leaseKey, 0, 0);
    else this.fail(nowMs, why);
    this.settled(nowMs, succeeded);
  }
}
