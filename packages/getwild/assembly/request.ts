// SPDX-License-Identifier: Apache-2.0
// The request as matchers see it: method and path read once, other headers looked up on demand.
import { HeaderMap } from "@getwild/core/assembly";
import { splitRequestPath } from "@getwild/core/assembly/http/request_path";

/**
 * Method and path of the current request plus live access to its headers. Valid during
 * onRequestHeaders (and later request callbacks). The path is split at the first `?` (or `#`), so
 * `/teapot?cups=2` matches the path `/teapot`; the query is kept in `query`.
 */
export class RequestView {
  /** Path without query string or fragment. */
  readonly path: string;
  /** Query string without the `?` ("" if none). */
  readonly query: string;

  constructor(
    /** `:method` as sent (methods are case-sensitive: "get" is not "GET"); "" if absent. */
    public readonly method: string,
    /** `:path` as sent, query included; "" if absent. */
    public readonly rawPath: string,
    /** The request header map, for header matchers. */
    public readonly headers: HeaderMap,
  ) {
    let parts = splitRequestPath(rawPath);
    this.path = parts.path;
    this.query = parts.query;
  }

  /** Reads `:method` and `:path` from `headers` (a stream's request headers). */
  static of(headers: HeaderMap): RequestView {
    // Values at once: the next get refills the same Result ("" when absent).
    let method = headers.get(":method").value;
    let path = headers.get(":path").value;
    return new RequestView(method, path, headers);
  }
}
