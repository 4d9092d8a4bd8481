// SPDX-License-Identifier: Apache-2.0
// The `htu` comparison of RFC 9449 §4.3: the proof's URI against the request's, both without query
// and fragment, after the syntax- and scheme-based normalization of RFC 3986 §6.2.2–6.2.3 (which
// the RFC recommends to avoid false refusals): scheme and host in lower case, the scheme's default
// port dropped, an empty path read as "/", hex digits of escapes in upper case, escaped unreserved
// characters decoded, and dot segments removed. Only http and https URIs can name a request.
import { asciiLowerCase } from "../encoding/ascii";
import { hexValue, isUnreserved, percentEscape, removeDotSegments } from "../encoding/uri";

/** `uri` normalized for comparison, without query and fragment; null when it is no absolute http(s) URI. */
export function normalizeHttpUri(uri: string): string | null {
  const sep = uri.indexOf("://");
  if (sep <= 0) return null;
  const scheme = asciiLowerCase(uri.substring(0, sep));
  if (scheme != "http" && scheme != "https") return null;
  let end = uri.length;
  const q = uri.indexOf("?", sep + 3);
  if (q >= 0) end = q;
  const f = uri.indexOf("#", sep + 3);
  if (f >= 0 && f < end) end = f;
  let slash = uri.indexOf("/", sep + 3);
  if (slash < 0 || slash > end) slash = end;
  const authority = normalizeAuthority(uri.substring(sep + 3, slash), scheme);
  if (authority === null) return null;
  const path = normalizePathPart(uri.substring(slash, end));
  if (path === null) return null;
  return scheme + "://" + authority + path;
}

/**
 * The request's URI as a client names it in `htu`: `scheme://authority` plus the request path
 * exactly as received (query dropped), normalized as `normalizeHttpUri`. Null when the parts do not
 * make a URI (no authority, a path that is not origin-form).
 */
export function requestUri(scheme: string, authority: string, path: string): string | null {
  if (authority.length == 0 || !path.startsWith("/")) return null;
  return normalizeHttpUri(scheme + "://" + authority + path);
}

/** Host in lower case and the default port dropped; null for userinfo, an empty host, or a bad port. */
function normalizeAuthority(authority: string, scheme: string): string | null {
  if (authority.length == 0 || authority.includes("@")) return null;
  let host = authority;
  let port = "";
  // The port follows the last ':' unless that ':' sits inside an IPv6 literal.
  const colon = authority.lastIndexOf(":", i32.MAX_VALUE); // every argument given: no @varargs trampolines
  if (colon >= 0 && colon > authority.lastIndexOf("]", i32.MAX_VALUE)) {
    host = authority.substring(0, colon);
    port = authority.substring(colon + 1);
    for (let i = 0; i < port.length; i++) {
      const c = port.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
    }
    if (port.length > 5) return null;
  }
  if (host.length == 0) return null;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c == 0x2f || c == 0x5c) return null;
  }
  host = asciiLowerCase(host);
  // Leading zeros do not make another port ("0443" is 443).
  let value = 0;
  for (let i = 0; i < port.length; i++) value = value * 10 + (port.charCodeAt(i) - 0x30);
  if (value > 65535) return null;
  if (port.length == 0 || (scheme == "http" && value == 80) || (scheme == "https" && value == 443)) return host;
  return host + ":" + value.toString();
}

/** A path with escapes normalized and dot segments removed; "/" when empty; null for a bad escape or a control character. */
function normalizePathPart(path: string): string | null {
  let text = "";
  const n = path.length;
  for (let i = 0; i < n; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c == 0x7f) return null;
    if (c != 0x25) {
      text += String.fromCharCode(c, -1);
      continue;
    }
    if (i + 2 >= n) return null;
    const hi = hexValue(path.charCodeAt(i + 1));
    const lo = hexValue(path.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return null;
    const byte = (hi << 4) | lo;
    if (isUnreserved(byte)) text += String.fromCharCode(byte, -1);
    else text += percentEscape(hi, lo);
    i += 2;
  }
  if (text.length == 0) return "/";
  return removeDotSegments(text);
}
