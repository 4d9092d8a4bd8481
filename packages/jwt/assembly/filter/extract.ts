// SPDX-License-Identifier: Apache-2.0
// The strict token reader: finds every occurrence of a provider's token in the request (each value
// of each configured header, each cookie in each Cookie header, each query parameter), with names
// and values percent-decoded as an upstream's parser decodes them (and, for parameters and cookies,
// names PHP folds into the configured one: `access.token`), so that the token the filter
// verifies is the one an upstream reads, whichever occurrence it takes. More than one distinct
// token is a conflict (answered 400). Stripping removes every occurrence.
import { Provider } from "./model";
import { percentDecode } from "./percent";
import { RequestHeaders, trimOws } from "./request_headers";

/** Every place one provider's token was found, so that all of them can be stripped. */
export class FoundToken {
  /** True when the provider's locations hold more than one distinct token (smuggling). */
  conflict: bool = false;
  /**
   * Header names (as the request spells them) that held the token. Each list starts as the shared
   * empty NO_NAMES (never written to) and gets its own array with its first name (withName).
   */
  headerNames: Array<string> = NO_NAMES;
  /** Configured cookie names that matched, and configured query parameter names that matched. */
  cookieNames: Array<string> = NO_NAMES;
  paramNames: Array<string> = NO_NAMES;
  constructor(public token: string) {}
}

const NO_NAMES = new Array<string>(0);

/** Adds one occurrence; an empty value is no token. */
function note(found: FoundToken | null, token: string): FoundToken | null {
  if (token.length == 0) return found;
  if (found === null) return new FoundToken(token);
  if (found.token != token) found.conflict = true;
  return found;
}

/** `list` with `name` added once; the shared empty list is never written to (a new array instead). */
function withName(list: Array<string>, name: string): Array<string> {
  if (list.includes(name)) return list;
  const out = list === NO_NAMES ? new Array<string>() : list;
  out.push(name);
  return out;
}

/**
 * The provider's token with every place it was found, or null when none of its locations holds
 * one. `cookies` are the request's Cookie header values; `query` is the query string without `?`.
 * Headers are looked up in the request's one copy of the map: every name the client sent that a
 * CGI-style upstream reads as the configured one (any mix of `-` and `_`, any case).
 */
export function findToken(
  p: Provider,
  headers: RequestHeaders,
  cookies: Array<string>,
  query: string,
): FoundToken | null {
  let found: FoundToken | null = null;
  for (let i = 0; i < p.fromHeaders.length; i++) {
    const loc = unchecked(p.fromHeaders[i]);
    const names = headers.spellingsOf(loc.name);
    for (let k = 0; k < names.length; k++) {
      const name = unchecked(names[k]);
      const tokens = headers.valuesAfterPrefix(name, loc.prefix);
      for (let j = 0; j < tokens.length; j++) {
        const token = unchecked(tokens[j]);
        found = note(found, token);
        if (found !== null && token.length > 0) found.headerNames = withName(found.headerNames, name);
      }
    }
  }
  if (p.fromCookies.length > 0) {
    // Split on `;` (RFC 6265), and also on `,` as RFC 2965-era parsers (some Java containers) do:
    // `session=VALID, session=FORGED` is one junk value to the first and two tokens to the second.
    for (let j = 0; j < cookies.length; j++) found = notePairs(p, found, unchecked(cookies[j]), ";", ",", true);
  }
  // Read as WHATWG does (split on `&`) and as parsers that also split on `;` do (Python's before
  // 3.9.2, several Java and PHP setups): `x=1;access_token=FORGED` is an occurrence for the latter,
  // and `access_token=VALID;x` is `VALID;x` for the former. Every reading counts.
  if (p.fromParams.length > 0 && query.length > 0) found = notePairs(p, found, query, "&", ";", false);
  return found;
}

/**
 * Notes every cookie (`cookie`) or query parameter in `text`: each piece between `outer`
 * separators, and each piece of those again between `inner` ones (both readings, see findToken).
 */
function notePairs(
  p: Provider,
  found: FoundToken | null,
  text: string,
  outer: string,
  inner: string,
  cookie: bool,
): FoundToken | null {
  const pieces = text.split(outer);
  for (let k = 0; k < pieces.length; k++) {
    const piece = unchecked(pieces[k]);
    // The piece itself, then (when it holds `inner`) each of its parts: one list, one loop.
    const parts = piece.includes(inner) ? piece.split(inner) : NO_NAMES;
    for (let m = -1; m < parts.length; m++) {
      const part = m < 0 ? piece : unchecked(parts[m]);
      found = cookie ? noteCookie(p, found, part) : noteParam(p, found, part);
    }
  }
  return found;
}

/** Notes a cookie pair when its decoded name is read as one of the provider's cookies (cookieNameIn). */
function noteCookie(p: Provider, found: FoundToken | null, c: string): FoundToken | null {
  const eq = c.indexOf("=");
  if (eq < 0) return found;
  const name = cookieNameIn(c.substring(0, eq), p.fromCookies);
  if (name === null) return found;
  found = note(found, cookieValue(c.substring(eq + 1)));
  if (found !== null) found.cookieNames = withName(found.cookieNames, name);
  return found;
}

/** Notes `name=value` when its decoded name is read as one of the provider's parameters (nameIn). */
function noteParam(p: Provider, found: FoundToken | null, part: string): FoundToken | null {
  const eq = part.indexOf("=");
  const name = nameIn(percentDecode(eq < 0 ? part : part.substring(0, eq), true), p.fromParams);
  if (name === null) return found;
  found = note(found, eq < 0 ? "" : percentDecode(part.substring(eq + 1), true));
  if (found !== null) found.paramNames = withName(found.paramNames, name);
  return found;
}

/** A cookie value: trimmed, without surrounding double quotes, percent-decoded. */
function cookieValue(raw: string): string {
  let v = trimOws(raw);
  if (v.length >= 2 && v.charCodeAt(0) == 0x22 && v.charCodeAt(v.length - 1) == 0x22) v = v.substring(1, v.length - 1);
  return percentDecode(v, false);
}

/** `query` (without `?`) without any parameter whose decoded name is read as one of `names` (nameIn; `&`- or `;`-separated). */
export function queryWithout(query: string, names: Array<string>): string {
  return withoutNamed(query, "&", ";", "&", names, false);
}

/** Set by withoutNamed when it dropped something. */
let stripped = false;

/**
 * `text` without the pieces (between `outer` separators) and inner parts (between `inner` ones)
 * whose name is one of `names`, the rest joined again with `joiner` and `inner`: the two readings
 * findToken counts. Cookies (`cookie`) are read as cookieNamed does, trimmed, and an empty piece
 * goes; parameters as paramNamed does, kept as sent.
 */
function withoutNamed(
  text: string,
  outer: string,
  inner: string,
  joiner: string,
  names: Array<string>,
  cookie: bool,
): string {
  const pieces = text.split(outer);
  const kept = new Array<string>();
  for (let k = 0; k < pieces.length; k++) {
    const piece = unchecked(pieces[k]);
    if (cookie ? cookieNamed(piece, names) : paramNamed(piece, names)) {
      stripped = true;
      continue;
    }
    let rest = cookie ? trimOws(piece) : piece;
    if (rest.includes(inner)) {
      // A pair joined by `inner` to one of the names (see findToken) goes; the rest of it stays.
      const sub = rest.split(inner);
      const keptSub = new Array<string>();
      for (let m = 0; m < sub.length; m++) {
        const part = unchecked(sub[m]);
        if (cookie ? cookieNamed(part, names) : paramNamed(part, names)) stripped = true;
        else keptSub.push(part);
      }
      if (keptSub.length == 0) continue;
      rest = keptSub.join(inner);
      if (cookie) rest = trimOws(rest);
    }
    if (cookie && rest.length == 0) continue;
    kept.push(rest);
  }
  return kept.join(joiner);
}

function cookieNamed(c: string, names: Array<string>): bool {
  const eq = c.indexOf("=");
  return eq >= 0 && cookieNameIn(c.substring(0, eq), names) !== null;
}

function paramNamed(part: string, names: Array<string>): bool {
  const eq = part.indexOf("=");
  return nameIn(percentDecode(eq < 0 ? part : part.substring(0, eq), true), names) !== null;
}

/**
 * The name in `names` a decoded parameter or cookie name is read as, or null: the same name, or
 * one PHP reads as the same variable (phpVariableName), since an upstream in PHP takes the last.
 */
function nameIn(decoded: string, names: Array<string>): string | null {
  if (names.includes(decoded)) return decoded;
  const php = phpVariableName(decoded);
  if (php.length == 0) return null;
  for (let i = 0; i < names.length; i++) {
    const n = unchecked(names[i]);
    if (phpVariableName(n) == php) return n;
  }
  return null;
}

/** A raw cookie name read as nameIn does; PHP decodes `+` in cookie names as a space, so do we. */
function cookieNameIn(raw: string, names: Array<string>): string | null {
  const trimmed = trimOws(raw);
  const exact = percentDecode(trimmed, false);
  if (names.includes(exact)) return exact;
  return nameIn(percentDecode(trimmed, true), names);
}

/**
 * The variable PHP registers a parameter or cookie under (php_register_variable): leading spaces
 * dropped, then `.` and space read as `_` up to the first `[`; a `[` with a `]` after it makes
 * the name before it an array (which replaces a string of that name: last wins), a `[` without
 * one is read as `_` and the rest is kept as is. So `access.token`, `access token`, `access[token`
 * and `access_token[]` all overwrite `access_token`.
 */
export function phpVariableName(name: string): string {
  let start = 0;
  while (start < name.length && name.charCodeAt(start) == 0x20) start++;
  const chars = new Array<i32>();
  for (let i = start; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c == 0x20 || c == 0x2e) chars.push(0x5f);
    else if (c == 0x5b) {
      if (name.indexOf("]", i + 1) >= 0) break;
      chars.push(0x5f);
      for (let j = i + 1; j < name.length; j++) chars.push(name.charCodeAt(j));
      break;
    } else chars.push(c);
  }
  return String.fromCharCodes(chars);
}

/** Removes every cookie whose decoded name is read as one of `names` (cookieNameIn) from every Cookie header. */
export function stripCookies(headers: RequestHeaders, values: Array<string>, names: Array<string>): void {
  const rebuilt = new Array<string>();
  stripped = false;
  for (let j = 0; j < values.length; j++) {
    const value = withoutNamed(unchecked(values[j]), ";", ",", "; ", names, true);
    if (value.length > 0) rebuilt.push(value);
  }
  if (!stripped) return;
  headers.remove("cookie");
  for (let i = 0; i < rebuilt.length; i++) headers.add("cookie", unchecked(rebuilt[i]));
}
