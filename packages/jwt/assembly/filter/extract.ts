// SPDX-License-Identifier: Apache-2.0
// Finds a provider's token in the request (headers with a prefix, cookies, query parameters) and
// removes it when the provider does not forward it.
import { HeaderMap } from "@getwild/core/assembly";
import { asciiStartsWithFold } from "../encoding/ascii";
import { Provider } from "./model";

/** Where a token was found, so it can be stripped. */
export const enum TokenPlace {
  None = 0,
  Header = 1,
  Cookie = 2,
  Param = 3,
}

export class FoundToken {
  /** True when another of the provider's locations holds a different token (smuggling). */
  conflict: bool = false;
  constructor(public token: string, public place: TokenPlace, public name: string) {}
}

/** Keeps the first token found; marks a conflict when a later location holds a different one. */
function keep(first: FoundToken | null, next: FoundToken): FoundToken {
  if (first === null) return next;
  if (first.token != next.token) first.conflict = true;
  return first;
}

function isTokenChar(c: i32): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f || c == 0x2e;
}

/** The value after `prefix` (compared case-insensitively: RFC 9110 auth schemes), trimmed; null if absent. */
export function afterPrefix(value: string, prefix: string): string | null {
  if (value.length < prefix.length) return null;
  if (!asciiStartsWithFold(value, prefix)) return null;
  let start = prefix.length;
  while (start < value.length && value.charCodeAt(start) == 0x20) start++;
  let end = value.length;
  while (end > start && value.charCodeAt(end - 1) == 0x20) end--;
  return value.substring(start, end);
}

/**
 * The provider's token: the first location that holds one. Every location is looked at, so that a
 * second, different token (say a header and a cookie) is noticed: which one counts would otherwise
 * depend on this order, and one of them was never checked.
 */
export function findToken(p: Provider, headers: HeaderMap, path: string): FoundToken | null {
  let found: FoundToken | null = null;
  for (let i = 0; i < p.fromHeaders.length; i++) {
    const loc = unchecked(p.fromHeaders[i]);
    // Every value: a second Authorization header must not slip through unchecked.
    const values = headers.getAll(loc.name);
    for (let j = 0; j < values.length; j++) {
      const token = afterPrefix(unchecked(values[j]), loc.prefix);
      if (token !== null && token.length > 0) found = keep(found, new FoundToken(token, TokenPlace.Header, loc.name));
    }
  }
  if (p.fromCookies.length > 0) {
    const cookies = headers.getAll("cookie");
    for (let i = 0; i < p.fromCookies.length; i++) {
      const name = unchecked(p.fromCookies[i]);
      for (let j = 0; j < cookies.length; j++) {
        const v = cookieValue(unchecked(cookies[j]), name);
        if (v !== null && v.length > 0) found = keep(found, new FoundToken(v, TokenPlace.Cookie, name));
      }
    }
  }
  if (p.fromParams.length > 0) {
    const q = path.indexOf("?");
    if (q >= 0) {
      for (let i = 0; i < p.fromParams.length; i++) {
        const name = unchecked(p.fromParams[i]);
        const v = paramValue(path.substring(q + 1), name);
        if (v !== null && v.length > 0) found = keep(found, new FoundToken(v, TokenPlace.Param, name));
      }
    }
  }
  return found;
}

function cookieValue(header: string, name: string): string | null {
  const parts = header.split(";");
  for (let i = 0; i < parts.length; i++) {
    const part = unchecked(parts[i]).trim();
    const eq = part.indexOf("=");
    if (eq > 0 && part.substring(0, eq) == name) {
      let v = part.substring(eq + 1);
      if (v.length >= 2 && v.charCodeAt(0) == 0x22 && v.charCodeAt(v.length - 1) == 0x22) v = v.substring(1, v.length - 1);
      return v;
    }
  }
  return null;
}

function paramValue(query: string, name: string): string | null {
  const parts = query.split("&");
  for (let i = 0; i < parts.length; i++) {
    const part = unchecked(parts[i]);
    const eq = part.indexOf("=");
    if (eq > 0 && part.substring(0, eq) == name) {
      const v = part.substring(eq + 1);
      // A JWT is base64url and dots: anything else (percent-encoding included) is not a token.
      for (let k = 0; k < v.length; k++) if (!isTokenChar(v.charCodeAt(k))) return "";
      return v;
    }
  }
  return null;
}

/** `path` without query parameter `name`. */
export function pathWithoutParam(path: string, name: string): string {
  const q = path.indexOf("?");
  if (q < 0) return path;
  const parts = path.substring(q + 1).split("&");
  const kept = new Array<string>();
  for (let i = 0; i < parts.length; i++) {
    const part = unchecked(parts[i]);
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.substring(0, eq);
    if (key != name) kept.push(part);
  }
  return kept.length == 0 ? path.substring(0, q) : path.substring(0, q + 1) + kept.join("&");
}
