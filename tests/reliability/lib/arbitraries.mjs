// SPDX-License-Identifier: Apache-2.0
// fast-check generators for hostile input: mutated and random compact JWS, JWKS bodies and callout
// replies, plugin configurations, header maps and bodies.
import fc from "fast-check";
import { ALGS, mint, signSegments } from "./keys.mjs";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64 = (x) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

/** Strings from the base64url alphabet, plus the characters tokens get confused with. */
const b64Chars = fc.constantFrom(...B64URL, "=", "+", "/", ".", " ", "%", "\u00e9");
const segment = (max) => fc.string({ unit: b64Chars, maxLength: max });

/** Bytes that are not UTF-8 (lone continuation, overlong, surrogate, > U+10FFFF, truncated). */
const badUtf8 = fc.constantFrom(
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xff],
  [0xfe, 0xff],
);

/** A header JSON text made hostile: invalid UTF-8 inside the alg or kid, duplicates, deep nesting. */
const hostileHeaderSegment = fc.oneof(
  fc
    .tuple(badUtf8, fc.constantFrom(...ALGS))
    .map(([bad, alg]) =>
      Buffer.concat([Buffer.from(`{"alg":"${alg}","kid":"`), Buffer.from(bad), Buffer.from('"}')]).toString(
        "base64url",
      ),
    ),
  fc.constantFrom(...ALGS).map((alg) => b64(`{"alg":"${alg}","alg":"none"}`)),
  fc.integer({ min: 1, max: 5000 }).map((depth) => b64(`{"alg":"RS256","x":${"[".repeat(depth)}${"]".repeat(depth)}}`)),
  fc.constantFrom("none", "None", "HS512", "RS256 ", "", "ES256K", "PS256").map((alg) => b64({ alg })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("base64url")),
);

/** One token mutation, applied to a valid token. */
function mutate(token, mutation, other) {
  const parts = token.split(".");
  switch (mutation.kind) {
    case "flip": {
      const i = mutation.at % token.length;
      return token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << mutation.bit)) + token.slice(i + 1);
    }
    case "truncate":
      return token.slice(0, mutation.at % (token.length + 1));
    case "extend":
      return token + mutation.text;
    case "swap":
      return [parts[mutation.order[0]], parts[mutation.order[1]], parts[mutation.order[2]]].join(".");
    case "splice": {
      // a segment from another (valid) token of another algorithm or key
      const from = other.split(".");
      parts[mutation.at % 3] = from[mutation.at % 3];
      return parts.join(".");
    }
    case "huge":
      parts[mutation.at % 3] += "A".repeat(mutation.size);
      return parts.join(".");
    case "insert": {
      const i = mutation.at % (token.length + 1);
      return token.slice(0, i) + mutation.text + token.slice(i);
    }
    case "dots":
      return token.replaceAll(".", mutation.text);
    case "header":
      parts[0] = mutation.segment;
      return parts.join(".");
    case "claims": {
      // re-encode the payload with changed claims, keep the signature
      parts[1] = b64(mutation.claims);
      return parts.join(".");
    }
    default:
      return token;
  }
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("flip"), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("truncate"), at: fc.nat() }),
  fc.record({ kind: fc.constant("extend"), text: fc.oneof(segment(40), fc.string({ maxLength: 20 })) }),
  fc.record({ kind: fc.constant("swap"), order: fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }) }),
  fc.record({ kind: fc.constant("splice"), at: fc.nat() }),
  fc.record({ kind: fc.constant("huge"), at: fc.nat(), size: fc.integer({ min: 1000, max: 20000 }) }),
  fc.record({
    kind: fc.constant("insert"),
    at: fc.nat(),
    text: fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("dots"), text: fc.constantFrom("", "..", ",", " . ") }),
  fc.record({ kind: fc.constant("header"), segment: hostileHeaderSegment }),
  fc.record({
    kind: fc.constant("claims"),
    claims: fc.record({
      iss: fc.constantFrom("https://issuer.example", "https://evil.example"),
      sub: fc.string(),
      aud: fc.constant("reliability"),
      exp: fc.integer({ min: 0, max: 2 ** 40 }),
    }),
  }),
);

/**
 * Hostile tokens for keys `keys` at time `now`: mutated valid tokens (one or two mutations),
 * attacker-made tokens (alg none, HS256 keyed with the RSA public key, tokens signed by
 * other keys), and random strings. `other` keys sign tokens the filter must refuse.
 */
export function hostileToken(keys, otherKeys, now, claims = {}) {
  const valid = fc.constantFrom(...ALGS).map((alg) => mint(keys, alg, now, claims));
  const foreign = fc.constantFrom(...ALGS).map((alg) => mint(otherKeys, alg, now, claims));
  const mutated = fc
    .tuple(valid, foreign, fc.array(mutation, { minLength: 1, maxLength: 2 }))
    .map(([token, other, ms]) => ms.reduce((t, m) => mutate(t, m, other), token));
  const confusion = fc.constantFrom(
    // alg none, unsigned and with a signature
    `${b64({ alg: "none" })}.${b64({ iss: "https://issuer.example", aud: "reliability", sub: "x", exp: now + 60 })}.`,
    // RS256 token relabelled HS256 and keyed with the RSA public key's JWK text
    signSegments(
      { HS256: { private: { k: Buffer.from(JSON.stringify(keys.RS256.private.n)).toString("base64url") } } },
      "HS256",
      b64({ alg: "HS256", kid: keys.RS256.kid }),
      b64({ iss: "https://issuer.example", aud: "reliability", sub: "x", exp: now + 60 }),
    ),
  );
  const random = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.tuple(segment(120), segment(400), segment(400)).map((p) => p.join(".")),
    fc.string({ unit: "binary", maxLength: 100 }),
  );
  const hostileSigned = fc
    .tuple(fc.constantFrom(...ALGS), hostileHeaderSegment)
    .map(([alg, h]) =>
      signSegments(otherKeys, alg, h, b64({ iss: "https://issuer.example", sub: "x", exp: now + 60 })),
    );
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: foreign },
    { weight: 1, arbitrary: confusion },
    { weight: 2, arbitrary: random },
    { weight: 1, arbitrary: hostileSigned },
  );
}

/** JSON values with hostile shapes: wrong types, huge numbers, deep nesting. */
const hugeNumber = fc.constantFrom(
  "1e999999",
  "-0",
  "123456789012345678901234567890",
  "1.7976931348623157e309",
  "0.0000000000000000000001",
  "9007199254740993",
);
const deep = fc
  .integer({ min: 1, max: 3000 })
  .chain((depth) =>
    fc.constantFrom(`${"[".repeat(depth)}${"]".repeat(depth)}`, `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  );
export const hostileJsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  hugeNumber,
  deep,
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
);

/** JWKS-shaped documents whose keys are all broken in some way. */
const badJwk = fc.oneof(
  fc.record(
    {
      kty: fc.constantFrom("RSA", "EC", "OKP", "oct", "rsa", 7, null),
      kid: fc.oneof(fc.string(), fc.integer()),
      n: fc.oneof(fc.string(), fc.integer()),
      e: fc.constantFrom("AQAB", "AAAA", "", 3),
      x: fc.string(),
      y: fc.string(),
      crv: fc.constantFrom("P-256", "P-384", "Ed25519", "X25519", "secp256k1", 1),
    },
    { requiredKeys: [] },
  ),
  fc.record({ kty: fc.constant("oct"), k: fc.constantFrom("", "AA", "c2hvcnQ") }),
  fc.record({
    kty: fc.constant("RSA"),
    n: fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => Buffer.from(b).toString("base64url")),
    e: fc.constantFrom("AQAB", "Aw", "AQ", "AA"),
  }),
  fc.record({
    kty: fc.constant("EC"),
    crv: fc.constant("P-256"),
    x: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64url")),
    y: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString("base64url")),
  }),
  fc.record({
    kty: fc.constant("OKP"),
    crv: fc.constant("Ed25519"),
    x: fc.constantFrom(
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      "7P_____________________________________________x".slice(0, 43),
    ),
  }),
);
export const badJwksText = fc.oneof(
  fc.array(badJwk, { maxLength: 20 }).map((keys) => JSON.stringify({ keys })),
  fc
    .integer({ min: 65, max: 400 })
    .map((n) => JSON.stringify({ keys: Array.from({ length: n }, () => ({ kty: "oct", k: "AA" })) })),
  fc.constantFrom('{"keys":{}}', '{"keys":"x"}', '{"keys":null}', '{"keys":[]}', "{}", "[]", '{"keys":[1,2,3]}'),
  hostileJsonText,
);

/** A callout reply as the host delivers it: status, headers (or none), body (up to oversize). */
export const hostileReply = fc.oneof(
  fc.record({
    status: fc.constantFrom(200, 200, 200, 201, 204, 301, 404, 500, 503),
    headers: fc.constantFrom(
      {},
      { "content-type": "application/json" },
      { "content-type": "text/html", "cache-control": "max-age=-1" },
      { "cache-control": "max-age=99999999999999999999" },
    ),
    body: badJwksText,
  }),
  fc.record({
    status: fc.constant(200),
    headers: fc.constant({}),
    body: fc.integer({ min: 64 * 1024, max: 2 * 1024 * 1024 }).map((n) => `{"keys":[${" ".repeat(n)}]}`),
  }),
  fc.record({ status: fc.constant(200), headers: fc.constant({}), body: fc.uint8Array({ maxLength: 4096 }) }),
  fc.constantFrom("reset", "timeout"),
);

/** Plugin configuration text: hostile JSON, and valid configurations with one member broken. */
export function hostileConfig(validConfigs) {
  const mutated = fc
    .tuple(
      fc.constantFrom(...validConfigs),
      fc.nat(),
      fc.oneof(fc.json({ maxDepth: 2 }), hugeNumber, fc.constant(""), fc.constant("\u0000")),
    )
    .map(([text, at, junk]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + junk + text.slice(i);
    });
  const retyped = fc.tuple(fc.constantFrom(...validConfigs), fc.json({ maxDepth: 3 })).map(([text, junk]) => {
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      return text;
    }
    if (value === null || typeof value !== "object") return text;
    const names = Object.keys(value);
    if (names.length > 0) value[names[junk.length % names.length]] = JSON.parse(junk);
    return JSON.stringify(value);
  });
  return fc.oneof(hostileJsonText, mutated, retyped, badJwksText);
}

/** Header names and values a client can send (Envoy forbids only NUL, CR and LF in values). */
const headerName = fc.oneof(
  fc.stringMatching(/^[a-z0-9!#$%&'*+\-.^_`|~]{1,30}$/),
  fc.constantFrom(
    "authorization",
    "Authorization",
    "AUTHORIZATION",
    "x-trap",
    "content-length",
    "cookie",
    "x-keep",
    "te",
    ":path",
    ":method",
  ),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 20 }).filter((s) => !/[\0\r\n]/.test(s)),
);
const headerValue = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 80 }).filter((s) => !/[\0\r\n]/.test(s)),
  fc.string({ unit: "binary", maxLength: 80 }).filter((s) => !/[\0\r\n]/.test(s)),
  fc.integer({ min: 1, max: 9000 }).map((n) => "B".repeat(n)),
  fc.constantFrom("Bearer ", "Bearer", "Bearer  x.y.z", "Basic dXNlcjpwYXNz", "bearer abc"),
);
export const hostileHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 60 });
export const hostileMethod = fc.oneof(
  fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "get", ""),
  fc.string({ maxLength: 10 }),
);
export const hostilePath = fc.oneof(
  fc.constantFrom("/", "/teapot", "/old/x", "/a", "/b", "/teapot?x=1", "", "*"),
  fc.string({ maxLength: 200 }).map((s) => "/" + s),
);
export const hostileBody = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 2048 }),
  fc.array(fc.uint8Array({ maxLength: 512 }), { minLength: 1, maxLength: 6 }),
  fc.integer({ min: 1, max: 1_200_000 }).map((n) => new Uint8Array(n).fill(0xff)),
);
