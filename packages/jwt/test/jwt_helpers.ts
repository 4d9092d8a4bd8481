// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the jwt_* suites: a typed wrapper over the jwt_verify fixture, the stable
// error-code table, key generation with node:crypto and token minting with jose / node:crypto.
import {
  generateKeyPairSync,
  createSign,
  createHmac,
  sign as cryptoSign,
  constants,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { SignJWT } from "jose";
import { loadFixture, type Fixture } from "./wasm";

/** The stable contract: code → name. Never renumbered (the docs table is this list). */
export const CODES = [
  "ok",
  "token_missing",
  "token_too_large",
  "token_malformed",
  "header_encoding",
  "header_json",
  "alg_missing",
  "alg_none",
  "alg_unknown",
  "alg_not_allowed",
  "alg_unavailable",
  "crit_unsupported",
  "kid_invalid",
  "kid_required",
  "typ_invalid",
  "payload_encoding",
  "payload_json",
  "signature_encoding",
  "key_not_found",
  "signature_invalid",
  "claim_invalid",
  "claim_missing",
  "expired",
  "not_yet_valid",
  "issued_in_future",
  "lifetime_too_long",
  "issuer_not_allowed",
  "audience_not_allowed",
  "subject_not_allowed",
  "claim_requirement_failed",
  "key_set_empty",
] as const;
export type Code = (typeof CODES)[number];
export const code = (name: Code): number => CODES.indexOf(name);

interface Exports {
  setJwks(body: number, allowSymmetric: number, rsaMinBits: number, maxKeys: number, maxBytes: number): number;
  setSingleJwk(body: number, allowSymmetric: number): number;
  keyCount(): number;
  skippedReasons(): number;
  jwkSkip(text: number, allowSymmetric: number): number;
  jwkKeyError(): number;
  configure(text: number): number;
  lastConfigError(): number;
  verify(token: number, now: bigint): number;
  lastClaim(): number;
  lastJsonError(): number;
  lastCode(): number;
  lastMessage(): number;
  lastKid(): number;
  lastExpiresAt(): bigint;
  lastPayload(): number;
  lastClaimString(path: number): number;
  errorName(code: number): number;
  errorMessage(code: number): number;
  errorReason(code: number): number;
  lastReason(): number;
  algByName(name: number): number;
  algInfo(alg: number): number;
  algNameOf(alg: number): number;
  compiledAlgs(): number;
}

export class Verifier {
  readonly f: Fixture<Exports>;
  constructor(fixture = "jwt_verify") {
    this.f = loadFixture<Exports>(fixture);
  }
  private str(s: string): number {
    return this.f.exports.__newString(s);
  }
  private get(p: number): string {
    return this.f.exports.__getString(p);
  }
  /** Loads a JWKS (object or raw text/bytes); returns the JwksError code. */
  jwks(
    doc: unknown,
    o: { allowSymmetric?: boolean; rsaMinBits?: number; maxKeys?: number; maxBytes?: number } = {},
  ): number {
    const bytes =
      doc instanceof Uint8Array ? doc : new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc));
    const r = this.f.exports.setJwks(
      this.f.bytes(bytes),
      o.allowSymmetric ? 1 : 0,
      o.rsaMinBits ?? 2048,
      o.maxKeys ?? 64,
      o.maxBytes ?? 65536,
    );
    this.f.release();
    return r;
  }
  singleJwk(doc: unknown, allowSymmetric = false): number {
    const r = this.f.exports.setSingleJwk(
      this.f.bytes(new TextEncoder().encode(JSON.stringify(doc))),
      allowSymmetric ? 1 : 0,
    );
    this.f.release();
    return r;
  }
  keyCount(): number {
    return this.f.exports.keyCount();
  }
  skipped(): number[] {
    return Array.from(this.f.read(this.f.exports.skippedReasons()));
  }
  jwkSkip(jwk: unknown, allowSymmetric = false): { skip: number; keyError: number } {
    const skip = this.f.exports.jwkSkip(this.str(JSON.stringify(jwk)), allowSymmetric ? 1 : 0);
    return { skip, keyError: this.f.exports.jwkKeyError() };
  }
  /** Sets verify options (see the fixture for field names); throws on a refused config. */
  configure(o: Record<string, unknown>): void {
    if (this.f.exports.configure(this.str(JSON.stringify(o))) !== 0)
      throw new Error(`config refused: ${this.get(this.f.exports.lastConfigError())}`);
  }
  configureError(o: Record<string, unknown>): string | null {
    return this.f.exports.configure(this.str(JSON.stringify(o))) === 0
      ? null
      : this.get(this.f.exports.lastConfigError());
  }
  /** Verifies and returns the stable code name. */
  verify(token: string, now: number): Code {
    const c = this.f.exports.verify(this.str(token), BigInt(now));
    const name = this.get(this.f.exports.lastCode());
    // Core's minimal runtime collects only when asked: a filter does when its outermost callback
    // returns, so the fixture's caller does after each verify (what the last* reads return is
    // held in the fixture's globals).
    this.f.exports.__collect();
    if (CODES[c] !== name) throw new Error(`code ${c} has name ${name}`);
    return name as Code;
  }
  claim(): string {
    return this.get(this.f.exports.lastClaim());
  }
  jsonError(): number {
    return this.f.exports.lastJsonError();
  }
  message(): string {
    return this.get(this.f.exports.lastMessage());
  }
  kid(): string {
    return this.get(this.f.exports.lastKid());
  }
  expiresAt(): bigint {
    return this.f.exports.lastExpiresAt();
  }
  payload(): string {
    return this.get(this.f.exports.lastPayload());
  }
  claimString(path: string): string {
    return this.get(this.f.exports.lastClaimString(this.str(path)));
  }
  errorName(c: number): string {
    return this.get(this.f.exports.errorName(c));
  }
  errorMessage(c: number): string {
    return this.get(this.f.exports.errorMessage(c));
  }
  errorReason(c: number): string {
    return this.get(this.f.exports.errorReason(c));
  }
  reason(): string {
    return this.get(this.f.exports.lastReason());
  }
  algByName(n: string): number {
    return this.f.exports.algByName(this.str(n));
  }
  algInfo(a: number): number {
    return this.f.exports.algInfo(a);
  }
  algNameOf(a: number): string {
    return this.get(this.f.exports.algNameOf(a));
  }
  compiledAlgs(): number {
    return this.f.exports.compiledAlgs() >>> 0;
  }
}

export const ALGS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "HS256",
  "HS384",
  "HS512",
  "EdDSA",
] as const;
export type AlgName = (typeof ALGS)[number];

export interface TestKey {
  alg: AlgName;
  /** What jose/node:crypto sign with. */
  signingKey: KeyObject | Uint8Array;
  /** Public JWK (or oct JWK for HMAC) without kid/alg. */
  jwk: Record<string, unknown>;
}

const hashBytes = (alg: string) => Number(alg.slice(2)) / 8;

/** A fresh key pair (or secret) for `alg`, with its JWK. */
export function makeKey(alg: AlgName, rsaBits = 2048): TestKey {
  if (alg.startsWith("HS")) {
    const secret = new Uint8Array(randomBytes(hashBytes(alg)));
    return { alg, signingKey: secret, jwk: { kty: "oct", k: Buffer.from(secret).toString("base64url") } };
  }
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  if (alg.startsWith("RS") || alg.startsWith("PS")) pair = generateKeyPairSync("rsa", { modulusLength: rsaBits });
  else if (alg === "EdDSA") pair = generateKeyPairSync("ed25519");
  else
    pair = generateKeyPairSync("ec", {
      namedCurve: { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg as "ES256"],
    });
  return { alg, signingKey: pair.privateKey, jwk: pair.publicKey.export({ format: "jwk" }) as Record<string, unknown> };
}

/** A token signed by jose. */
export async function mintJose(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims as never)
    .setProtectedHeader({ alg: key.alg, ...header } as never)
    .sign(key.signingKey as never);
}

export const b64u = (data: string | Uint8Array) => Buffer.from(data).toString("base64url");

/** A token built and signed directly with node:crypto from raw header/payload text. */
export function mintNode(key: TestKey, headerText: string, payloadText: string): string {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  return `${input}.${b64u(signNode(key, input))}`;
}

export function signNode(key: TestKey, input: string): Uint8Array {
  const alg = key.alg;
  const hash = alg === "EdDSA" ? "" : `sha${alg.slice(2)}`;
  if (alg.startsWith("HS"))
    return createHmac(hash, key.signingKey as Uint8Array)
      .update(input)
      .digest();
  if (alg.startsWith("RS"))
    return createSign(hash)
      .update(input)
      .sign(key.signingKey as KeyObject);
  if (alg.startsWith("PS"))
    return cryptoSign(hash, Buffer.from(input), {
      key: key.signingKey as KeyObject,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: hashBytes(alg),
    });
  if (alg === "EdDSA") return cryptoSign(null, Buffer.from(input), key.signingKey as KeyObject);
  return cryptoSign(hash, Buffer.from(input), { key: key.signingKey as KeyObject, dsaEncoding: "ieee-p1363" });
}

export const NOW = 1_800_000_000;
/** Standard valid claims around NOW. */
export function claimsAt(now = NOW, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: "https://issuer.example", aud: "api", sub: "user-1", iat: now - 10, exp: now + 3600, ...extra };
}
