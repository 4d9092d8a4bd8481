// SPDX-License-Identifier: Apache-2.0
// The request path as a normalising upstream reads it, for rule matching: what Envoy's
// `normalize_path` + `merge_slashes` do (RFC 3986 §6.2.2: percent-encoded unreserved characters
// decoded and other escapes upper-cased, dot segments removed, then runs of slashes merged).
// Encoded slashes (%2F), encoded backslashes (%5C) and raw backslashes are refused by default, as
// a strict gateway does, because upstreams disagree on whether they separate segments. A path whose
// result depends on the order of the last two steps (`/a//../b`: `/a/b` in Envoy's order, `/b`
// when slashes are merged first) is refused too, so every normalising upstream agrees with the
// rule chosen here.
import { RequestPath, splitRequestPath } from "@getwild/core/assembly/http/request_path";
import { HEX_UPPER, hexValue, isUnreserved, removeDotSegments } from "../jose/encoding/uri";

export const enum PathError {
  None = 0,
  /** %2F, %5C or `\` while they are refused. */
  EscapedSlash = 1,
  /** A `%` not followed by two hex digits. */
  Malformed = 2,
  /** Dot segments and repeated slashes whose meaning depends on the order they are resolved in. */
  Ambiguous = 3,
  /** Not origin-form (does not start with `/`) and not `*`. */
  NotOrigin = 4,
}

/** The stable reason of a path refusal (metrics, details, body). */
export function pathErrorReason(e: PathError): string {
  if (e == PathError.EscapedSlash) return "path_escaped_slash";
  if (e == PathError.Malformed) return "path_malformed";
  if (e == PathError.Ambiguous) return "path_ambiguous";
  return "path_not_origin_form";
}

export class NormalizedPath {
  constructor(
    /** The normalised path, without query or fragment ("" when refused). */
    public path: string,
    /** The query as sent, without its `?` (core's RequestPath). */
    public query: RequestPath,
    public error: PathError,
  ) {}

  /** The normalised path with the query as sent: what rules match against, plus what the upstream receives. */
  get full(): string {
    return this.query.withPath(this.path);
  }
}

/**
 * Splits `raw` (a `:path`) into path and query, and normalises the path. The fragment, if a client
 * sent one, is dropped as Envoy does. `unescapeSlashes` turns %2F, %5C and `\` into `/` instead of
 * refusing them (Envoy's UNESCAPE_AND_FORWARD).
 */
export function normalizePath(raw: string, unescapeSlashes: bool): NormalizedPath {
  const query = splitRequestPath(raw);
  const path = query.path;
  if (path == "*") return new NormalizedPath(path, query, PathError.None);
  if (path.length == 0 || path.charCodeAt(0) != 0x2f) return new NormalizedPath("", query, PathError.NotOrigin);
  // 1. Percent-encoding normalisation (and slash policy).
  let decoded = path;
  if (path.includes("%") || path.includes("\\")) {
    // Built as character codes (one array, one string at the end), not as pieces joined.
    const out = new Array<i32>();
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      if (c == 0x5c) {
        if (!unescapeSlashes) return new NormalizedPath("", query, PathError.EscapedSlash);
        out.push(0x2f);
        continue;
      }
      if (c != 0x25) {
        out.push(c);
        continue;
      }
      const hi = i + 2 < path.length ? hexValue(path.charCodeAt(i + 1)) : -1;
      const lo = hi >= 0 ? hexValue(path.charCodeAt(i + 2)) : -1;
      if (lo < 0) return new NormalizedPath("", query, PathError.Malformed);
      const v = (hi << 4) | lo;
      if (v == 0x2f || v == 0x5c) {
        if (!unescapeSlashes) return new NormalizedPath("", query, PathError.EscapedSlash);
        out.push(0x2f);
      } else if (isUnreserved(v)) {
        out.push(v);
      } else {
        // The escape in its normal form: `%` and upper-case hex digits.
        out.push(0x25);
        out.push(HEX_UPPER.charCodeAt(hi));
        out.push(HEX_UPPER.charCodeAt(lo));
      }
      i += 2;
    }
    decoded = String.fromCharCodes(out);
  }
  // 2. and 3. Dot segments, then merged slashes (Envoy's order), checked against the other order.
  const result = mergeSlashes(removeDotSegments(decoded));
  if (decoded.includes("//") && removeDotSegments(mergeSlashes(decoded)) != result) {
    return new NormalizedPath("", query, PathError.Ambiguous);
  }
  return new NormalizedPath(result, query, PathError.None);
}

/** Runs of `/` become one (a character code loop: no split pieces, no join). */
export function mergeSlashes(path: string): string {
  if (!path.includes("//")) return path;
  const out = new Array<i32>();
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c != 0x2f || i == 0 || path.charCodeAt(i - 1) != 0x2f) out.push(c);
  }
  return String.fromCharCodes(out);
}
