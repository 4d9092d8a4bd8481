// SPDX-License-Identifier: Apache-2.0
// What the JWKS fetch (jwks_source.ts) and the OIDC discovery fetch (discovery.ts) share: the GET of
// a JSON document through a callout, the backoff after a failed fetch, and when to refresh a document
// before it expires. One definition, so that both fetches keep the same schedule.
import { RootContext, HeaderPair, HttpCallHandler, Result } from "@getwild/core/assembly";

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

/** When to refresh a document fetched at `fetchedAtMs` and good until `expiresAtMs`: `beforeSeconds` early, at most half its lifetime. */
export function refreshDueMs(fetchedAtMs: i64, expiresAtMs: i64, beforeSeconds: i64): i64 {
  const lifetime = expiresAtMs - fetchedAtMs;
  let before = beforeSeconds * 1000;
  if (before > lifetime / 2) before = lifetime / 2;
  return expiresAtMs - before;
}
