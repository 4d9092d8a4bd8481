// SPDX-License-Identifier: Apache-2.0
// JWK Set (RFC 7517 §5) parsing into a KeySet of imported keys, with size and count caps.
//
// Unusable keys are skipped and counted (with their reasons, for logs); the set fails only when
// the document itself is bad or when no key at all is usable. Only the parsed keys are kept,
// never the raw JSON.

import { JsonKind, JsonLimits, parseJson, JsonError } from "@getwild/json/assembly";
import { Jwk, JwkOptions, JwkSkip, parseJwk } from "./jwk";

export const enum JwksError {
  None = 0,
  /** Body larger than `maxBytes`. */
  TooLarge = 1,
  /** Not strict JSON (duplicate members included). */
  InvalidJson = 2,
  /** Not an object with a `keys` array. */
  KeysMissing = 3,
  /** More than `maxKeys` entries in `keys`. */
  TooManyKeys = 4,
  /** Parsed, but not one key is usable. */
  NoUsableKeys = 5,
}

// @ts-ignore: decorator
@lazy const JWKS_MESSAGES: StaticArray<string> = [
  "ok",
  "Jwks is larger than allowed",
  "Jwks is an invalid JSON",
  "Jwks does not have [keys] field",
  "Jwks has more keys than allowed",
  "Jwks doesn't have any valid public key",
];

export function jwksErrorMessage(e: JwksError): string {
  const i = <i32>e;
  return i >= 0 && i < JWKS_MESSAGES.length ? unchecked(JWKS_MESSAGES[i]) : "unknown Jwks error";
}

/** Caps and key policy for a JWKS document. */
export class JwksOptions {
  constructor(
    /** Largest body accepted (higress uses 64 KiB). */
    public maxBytes: i32 = 65536,
    /** Most entries in `keys`. */
    public maxKeys: i32 = 64,
    public keyOptions: JwkOptions = new JwkOptions(),
  ) {}
}

/** Usable keys in document order, and what was skipped. */
export class KeySet {
  keys: Array<Jwk> = new Array<Jwk>();
  /** One reason per skipped entry, in document order. */
  skipped: Array<JwkSkip> = new Array<JwkSkip>();

  get size(): i32 {
    return this.keys.length;
  }

  /** A set holding exactly `key` (e.g. one configured secret or public key). */
  static of(key: Jwk): KeySet {
    const s = new KeySet();
    s.keys.push(key);
    return s;
  }
}

export class JwksResult {
  constructor(
    public keySet: KeySet | null,
    public error: JwksError,
    /** JSON detail when error is InvalidJson. */
    public jsonError: JsonError = JsonError.None,
  ) {}
  get ok(): bool {
    return this.error == JwksError.None;
  }
}

/** Parses a JWKS body (UTF-8 JSON bytes). Never traps. */
export function parseJwks(body: Uint8Array, options: JwksOptions = new JwksOptions()): JwksResult {
  if (body.length > options.maxBytes) return new JwksResult(null, JwksError.TooLarge, JsonError.None);
  // Depth 8 covers `{"keys":[{"key_ops":[...]}]}` with room; values are capped by the body size.
  const parsed = parseJson(body, new JsonLimits(options.maxBytes, 8, options.maxBytes));
  const doc = parsed.value;
  if (doc == null) return new JwksResult(null, JwksError.InvalidJson, parsed.error);
  const keys = doc.get("keys");
  if (keys == null || keys.kind != JsonKind.Array) return new JwksResult(null, JwksError.KeysMissing, JsonError.None);
  const count = keys.length;
  if (count > options.maxKeys) return new JwksResult(null, JwksError.TooManyKeys, JsonError.None);
  const set = new KeySet();
  for (let i = 0; i < count; i++) {
    const r = parseJwk(keys.at(i)!, options.keyOptions);
    const key = r.key;
    if (key != null) set.keys.push(key);
    else set.skipped.push(r.skip);
  }
  if (set.keys.length == 0) return new JwksResult(set, JwksError.NoUsableKeys, JsonError.None);
  return new JwksResult(set, JwksError.None, JsonError.None);
}

/** Parses one JWK given as JSON bytes (a single configured key) into a one-key set. */
export function parseSingleJwk(body: Uint8Array, keyOptions: JwkOptions = new JwkOptions()): JwksResult {
  const parsed = parseJson(body, new JsonLimits(16384, 8, 4096));
  const doc = parsed.value;
  if (doc == null) return new JwksResult(null, JwksError.InvalidJson, parsed.error);
  const r = parseJwk(doc, keyOptions);
  const key = r.key;
  if (key == null) {
    const set = new KeySet();
    set.skipped.push(r.skip);
    return new JwksResult(set, JwksError.NoUsableKeys, JsonError.None);
  }
  return new JwksResult(KeySet.of(key), JwksError.None, JsonError.None);
}
