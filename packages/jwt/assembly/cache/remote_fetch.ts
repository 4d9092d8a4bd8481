// SPDX-License-Identifier: Apache-2.0
// What the JWKS fetch (jwks_source.ts) and the OIDC discovery fetch (discovery.ts) share: the GET of
// a JSON document through a callout, the backoff and lease hold after a failed fetch, and when to
// refresh a document before it expires. One definition, so that both fetches keep the same schedule.
import { RootContext, HeaderPair, HttpCallHandler, HttpCallResponse, Result } from "@getwild/core/assembly";
import { jwksLifetimeMs } from "./cache_control";
import { Lease, releaseLease, takeLease } from "./lease";

/**
 * Takes the fetch lease at `leaseKey` (read as `lease`) unless another worker holds it or its
 * back-off has not ended; held for the callout's timeout plus a second, so a worker that dies
 * mid-fetch does not block the others for longer.
 */
export function takeFetchLease(leaseKey: string, lease: Lease, nowMs: i64, timeoutMs: u32): bool {
  if (lease.busy(nowMs)) return false;
  return takeLease(leaseKey, lease, nowMs + <i64>timeoutMs + 1000);
}

/** What is wrong with a callout's reply before its body is read ("" when it is a 2xx within `maxBytes`). */
export function replyProblem(response: HttpCallResponse, maxBytes: u32): string {
  if (response.failed) return "no reply (" + response.failure().value + ")";
  if (!response.ok) return "status " + response.statusCode.toString();
  if (response.bodySize > maxBytes) return "body of " + response.bodySize.toString() + " bytes is over the cap";
  return "";
}

/** When a document fetched at `nowMs` expires: its Cache-Control max-age within the bounds, else the fallback. */
export function documentExpiresAtMs(
  response: HttpCallResponse,
  nowMs: i64,
  minSeconds: i64,
  maxSeconds: i64,
  fallbackSeconds: i64,
): i64 {
  const cacheControl = response.header("cache-control");
  return nowMs + jwksLifetimeMs(cacheControl.ok ? cacheControl.value : null, minSeconds, maxSeconds, fallbackSeconds);
}

/** Starts `GET https://<authority><path>` (accepting JSON) through `cluster`; `handler` gets the outcome. */
export function startJsonGet(
  root: RootContext,
  cluster: string,
  authority: string,
  path: string,
  timeoutMs: u32,
  handler: HttpCallHandler,
): Result<u32> {
  const headers: HeaderPair[] = [
    new HeaderPair(":method", "GET"),
    new HeaderPair(":path", path),
    new HeaderPair(":authority", authority),
    new HeaderPair(":scheme", "https"),
    new HeaderPair("accept", "application/json"),
  ];
  return root.httpCall(cluster, headers, null, null, timeoutMs, handler);
}

/** The wait after the `failures`-th failed fetch in a row: `baseMs` doubled per earlier failure, at most `maxMs`. */
export function backoffMs(baseMs: i64, maxMs: i64, failures: i32): i64 {
  let backoff = baseMs;
  for (let i = 1; i < failures && backoff < maxMs; i++) backoff <<= 1;
  if (backoff > maxMs) backoff = maxMs;
  return backoff;
}

/**
 * After a failed fetch (the `previousFailures + 1`-th in a row): gives the lease back with the
 * failure counted and held until the back-off ends, so that no worker of the proxy tries sooner;
 * answers that back-off (ms) for the caller's log line.
 */
export function holdLeaseAfterFailure(
  leaseKey: string,
  baseMs: i64,
  maxMs: i64,
  nowMs: i64,
  previousFailures: i32,
): i64 {
  const failures = previousFailures + 1;
  const backoff = backoffMs(baseMs, maxMs, failures);
  releaseLease(leaseKey, nowMs + backoff, failures);
  return backoff;
}

/** When to refresh a document fetched at `fetchedAtMs` and good until `expiresAtMs`: `beforeSeconds` early, at most half its lifetime. */
export function refreshDueMs(fetchedAtMs: i64, expiresAtMs: i64, beforeSeconds: i64): i64 {
  const lifetime = expiresAtMs - fetchedAtMs;
  let before = beforeSeconds * 1000;
  if (before > lifetime / 2) before = lifetime / 2;
  return expiresAtMs - before;
}
