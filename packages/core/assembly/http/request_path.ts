// SPDX-License-Identifier: Apache-2.0
// A request's `:path` split into path and query, the one place where filters cut at `?`.
//
// The request target of an HTTP request is origin-form (RFC 9112 §3.2.1): path, then `?` and the
// query; a fragment (`#`, RFC 3986 §3.5) is never sent by a conforming client, and when one is,
// Envoy and the upstreams drop it, so it is dropped here too. The query is kept exactly as sent.

export class RequestPath {
  constructor(
    /** Everything before the first `?` or `#`. */
    public readonly path: string,
    /** Everything after the first `?` and before a `#`, without the `?` ("" when none). */
    public readonly query: string,
    /** Whether there was a `?` (a bare "/a?" has one, with an empty query). */
    public readonly hasQuery: bool,
  ) {}

  /** The path with its query as sent (fragment dropped): what an upstream should receive. */
  toString(): string {
    return this.withPath(this.path);
  }

  /** Another path (a normalised one, say) with this query as sent. */
  withPath(path: string): string {
    return this.hasQuery ? path + "?" + this.query : path;
  }
}

/** Splits a `:path` value at its first `?` (and drops any fragment). */
export function splitRequestPath(raw: string): RequestPath {
  let end = raw.indexOf("#");
  if (end < 0) end = raw.length;
  let question = raw.indexOf("?");
  if (question < 0 || question > end)
    return new RequestPath(end == raw.length ? raw : raw.substring(0, end), "", false);
  return new RequestPath(raw.substring(0, question), raw.substring(question + 1, end), true);
}

/** `path` with `query` after a `?`, or `path` alone when the query is empty (a query rebuilt without some parameters). */
export function joinPathQuery(path: string, query: string): string {
  return query.length == 0 ? path : path + "?" + query;
}
