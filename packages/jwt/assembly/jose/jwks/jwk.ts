// SPDX-License-Identifier: Apache-2.0
// One JSON Web Key (RFC 7517) parsed and imported once: RSA, EC P-256/384/521, OKP Ed25519, oct.
//
// A key that cannot be used for verifying is *skipped* with a reason, never fatal for its set:
// Keycloak publishes encryption keys next to signing keys, and one odd key must not take down
// authentication (istio#22597). Import does all key-only work (Montgomery constants, decoded
// points, HMAC pads) here, so a verify does none of it.

import { JsonKind, JsonValue } from "@getwild/json/assembly";
import { base64UrlDecode } from "../encoding/base64url";
import { KeyError } from "../crypto/errors";
import { HashAlg, hashLength } from "../crypto/hash";
import { HmacKey } from "../crypto/hmac";
import { RsaPublicKey, importRsaPublicKey } from "../crypto/rsa/index";
import { EcPublicKey, EcCurve, importEcPublicKey } from "../crypto/ecdsa/index";
import { Ed25519PublicKey, importEd25519PublicKey } from "../crypto/ed25519/index";
import {
  Alg,
  KeyType,
  COMPILED_ALGS,
  CURVE_NONE,
  CURVE_P256,
  CURVE_P384,
  CURVE_P521,
  CURVE_ED25519,
  algFromName,
  algKeyType,
  algCurve,
  algHash,
  algsWithCurve,
  algsWithKeyType,
  curveFromName,
  keyTypeFromName,
} from "../jwt/algorithms";

/** Longest `kid` accepted, in UTF-16 units (RFC 8725 §3.10: treat kid as opaque and bounded). */
export const MAX_KID_LENGTH: i32 = 256;

/** Why a JWK was skipped. Stable values (reported in logs and tests). */
export const enum JwkSkip {
  None = 0,
  NotAnObject = 1,
  /** `kty` missing, not a string, or not RSA/EC/OKP/oct. */
  KeyTypeUnsupported = 2,
  /** `crv` missing or not P-256/P-384/P-521 (EC) or Ed25519 (OKP). */
  CurveUnsupported = 3,
  /** `use` present and not "sig". */
  NotForSignatures = 4,
  /** `key_ops` present and not an array of strings containing "verify". */
  KeyOpsExcludeVerify = 5,
  /** `alg` present but not a JWS signature algorithm fitting this kty/crv (e.g. RSA-OAEP). */
  AlgUnsupported = 6,
  /** `kid` present and not a string, or longer than MAX_KID_LENGTH. */
  KidInvalid = 7,
  /** A required member (n, e, x, y, k) missing, not a string, or not strict base64url. */
  MemberInvalid = 8,
  /** Private members (d, p, q, dp, dq, qi, oth) in an asymmetric key: refused as a leak. */
  PrivateKey = 9,
  /** The crypto layer refused the key material (size, exponent, not on curve…; see keyError). */
  KeyRejected = 10,
  /** oct (HMAC) key in a set that did not opt in to symmetric keys. */
  SymmetricNotAllowed = 11,
  /** The algorithms this key type serves are not compiled into the module. */
  NotCompiled = 12,
}

/** A usable verification key. Exactly one of rsa/ec/ed25519/secret is set, matching kty. */
export class Jwk {
  kid: string | null = null;
  kty: KeyType = KeyType.None;
  /** CURVE_* value (EC curves, Ed25519), CURVE_NONE for RSA and oct. */
  curve: i32 = CURVE_NONE;
  /** The JWK's own `alg` as an Alg, or -1 when the JWK has none (then any fitting alg may use it). */
  alg: i32 = -1;
  rsa: RsaPublicKey | null = null;
  ec: EcPublicKey | null = null;
  ed25519: Ed25519PublicKey | null = null;
  secret: Uint8Array | null = null;
  // HMAC keys with their pads precomputed, one per hash, made on first use.
  private hmac256: HmacKey | null = null;
  private hmac384: HmacKey | null = null;
  private hmac512: HmacKey | null = null;

  /** Full-length, constant-time HMAC tag check with this oct key. */
  hmacVerify(hash: HashAlg, msg: Uint8Array, tag: Uint8Array): bool {
    const secret = this.secret;
    if (secret == null || secret.length < hashLength(hash)) return false;
    let k = hash == HashAlg.SHA256 ? this.hmac256 : hash == HashAlg.SHA384 ? this.hmac384 : this.hmac512;
    if (k == null) {
      k = new HmacKey(hash, secret);
      if (hash == HashAlg.SHA256) this.hmac256 = k;
      else if (hash == HashAlg.SHA384) this.hmac384 = k;
      else this.hmac512 = k;
    }
    return k.verify(msg, tag);
  }
}

/** Policy for parsing keys. */
export class JwkOptions {
  constructor(
    /** Accept `kty: oct` (HMAC secrets). Off by default: only for configured, local secrets. */
    public allowSymmetric: bool = false,
    /** Smallest RSA modulus accepted, in bits (JWA requires 2048). */
    public rsaMinBits: i32 = 2048,
  ) {}
}

/** A parsed key, or why it was skipped (`keyError` details KeyRejected). */
export class JwkResult {
  constructor(
    public key: Jwk | null,
    public skip: JwkSkip,
    public keyError: KeyError = KeyError.None,
  ) {}
}

function skipped(reason: JwkSkip, keyError: KeyError): JwkResult {
  return new JwkResult(null, reason, keyError);
}

/** Decoded bytes of a required base64url string member, or null. */
function memberBytes(obj: JsonValue, name: string): Uint8Array | null {
  const s = obj.getString(name);
  if (s == null) return null;
  const r = base64UrlDecode(s);
  return r.bytes;
}

/** Members that only a private key has (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
// @ts-ignore: decorator
@lazy export const PRIVATE_MEMBERS: StaticArray<string> = ["d", "p", "q", "dp", "dq", "qi", "oth"];

// Whether any compiled algorithm uses this key type / curve: constants (the table's masks fold).
// @ts-ignore: decorator
@inline function typeCompiled(kty: KeyType): bool {
  return (COMPILED_ALGS & algsWithKeyType(kty)) != 0;
}
// @ts-ignore: decorator
@inline function curveCompiled(curve: i32): bool {
  return (COMPILED_ALGS & algsWithCurve(curve)) != 0;
}
// @ts-ignore: decorator
@inline const ALL_KEY_TYPES: u32 = (1 << KeyType.RSA) | (1 << KeyType.EC) | (1 << KeyType.OKP) | (1 << KeyType.Oct);
/** The key types some compiled algorithm uses, a bit per KeyType (a constant where it is asked). */
// @ts-ignore: decorator
@inline function compiledKeyTypes(): u32 {
  return (
    (typeCompiled(KeyType.RSA) ? 1 << KeyType.RSA : 0) |
    (typeCompiled(KeyType.EC) ? 1 << KeyType.EC : 0) |
    (typeCompiled(KeyType.OKP) ? 1 << KeyType.OKP : 0) |
    (typeCompiled(KeyType.Oct) ? 1 << KeyType.Oct : 0)
  );
}

/** Parses one JWK object. Never traps; unusable keys come back with a JwkSkip reason. */
export function parseJwk(obj: JsonValue, options: JwkOptions): JwkResult {
  if (obj.kind != JsonKind.Object) return skipped(JwkSkip.NotAnObject, KeyError.None);
  const key = new Jwk();

  const kidValue = obj.get("kid");
  if (kidValue != null) {
    const kid = kidValue.asString();
    if (kid == null || kid.length > MAX_KID_LENGTH) return skipped(JwkSkip.KidInvalid, KeyError.None);
    key.kid = kid;
  }

  const kty = obj.getString("kty");
  key.kty = kty == null ? KeyType.None : keyTypeFromName(kty);
  if (key.kty == KeyType.None) return skipped(JwkSkip.KeyTypeUnsupported, KeyError.None);
  // In a build without some key types (GETWILD_JWT_ALGS), a key of such a type is skipped here,
  // before its other members are read: it could never be used, so the same keys are usable as when
  // it went through every check (only its skip reason is NotCompiled sooner), and a build without
  // EC and OKP (RS256 only) links no curve names and no `crv` reading at all.
  const compiled = compiledKeyTypes();
  if (compiled != ALL_KEY_TYPES && ((compiled >> (<u32>key.kty)) & 1) == 0)
    return skipped(JwkSkip.NotCompiled, KeyError.None);

  if ((typeCompiled(KeyType.EC) || typeCompiled(KeyType.OKP)) && (key.kty == KeyType.EC || key.kty == KeyType.OKP)) {
    const crv = obj.getString("crv");
    const curve = crv == null ? CURVE_NONE : curveFromName(crv, key.kty);
    if (curve == CURVE_NONE) return skipped(JwkSkip.CurveUnsupported, KeyError.None);
    key.curve = curve;
  }

  // Usage restrictions (RFC 7517 §4.2, §4.3): a key meant for something else is not ours to use.
  const use = obj.get("use");
  if (use != null) {
    const u = use.asString();
    if (u == null || u != "sig") return skipped(JwkSkip.NotForSignatures, KeyError.None);
  }
  const ops = obj.get("key_ops");
  if (ops != null) {
    if (ops.kind != JsonKind.Array) return skipped(JwkSkip.KeyOpsExcludeVerify, KeyError.None);
    let verify = false;
    for (let i = 0; i < ops.length; i++) {
      const op = ops.at(i)!.asString();
      if (op == null) return skipped(JwkSkip.KeyOpsExcludeVerify, KeyError.None);
      if (op == "verify") verify = true;
    }
    if (!verify) return skipped(JwkSkip.KeyOpsExcludeVerify, KeyError.None);
  }

  const algValue = obj.get("alg");
  if (algValue != null) {
    const name = algValue.asString();
    const alg = name == null ? -1 : algFromName(name);
    if (alg < 0 || algKeyType(<Alg>alg) != key.kty || algCurve(<Alg>alg) != key.curve)
      return skipped(JwkSkip.AlgUnsupported, KeyError.None);
    key.alg = alg;
  }

  if (key.kty != KeyType.Oct) {
    for (let i = 0; i < PRIVATE_MEMBERS.length; i++) {
      if (obj.has(unchecked(PRIVATE_MEMBERS[i]))) return skipped(JwkSkip.PrivateKey, KeyError.None);
    }
  }

  switch (key.kty) {
    case KeyType.RSA: {
      if (!typeCompiled(KeyType.RSA)) return skipped(JwkSkip.NotCompiled, KeyError.None);
      const n = memberBytes(obj, "n");
      const e = memberBytes(obj, "e");
      if (n == null || e == null) return skipped(JwkSkip.MemberInvalid, KeyError.None);
      const r = importRsaPublicKey(n, e, options.rsaMinBits);
      if (r.key == null) return skipped(JwkSkip.KeyRejected, r.error);
      key.rsa = r.key;
      break;
    }
    case KeyType.EC: {
      if (!typeCompiled(KeyType.EC)) return skipped(JwkSkip.NotCompiled, KeyError.None);
      const x = memberBytes(obj, "x");
      const y = memberBytes(obj, "y");
      if (x == null || y == null) return skipped(JwkSkip.MemberInvalid, KeyError.None);
      // One constant curve per call, each behind its compile-time test, so an ES256-only build
      // does not link the other curves' parameters.
      let error = KeyError.None;
      if (key.curve == CURVE_P256) {
        if (!curveCompiled(CURVE_P256)) return skipped(JwkSkip.NotCompiled, KeyError.None);
        const r = importEcPublicKey(EcCurve.P256, x, y);
        key.ec = r.key;
        error = r.error;
      } else if (key.curve == CURVE_P384) {
        if (!curveCompiled(CURVE_P384)) return skipped(JwkSkip.NotCompiled, KeyError.None);
        const r = importEcPublicKey(EcCurve.P384, x, y);
        key.ec = r.key;
        error = r.error;
      } else {
        if (!curveCompiled(CURVE_P521)) return skipped(JwkSkip.NotCompiled, KeyError.None);
        const r = importEcPublicKey(EcCurve.P521, x, y);
        key.ec = r.key;
        error = r.error;
      }
      if (key.ec == null) return skipped(JwkSkip.KeyRejected, error);
      break;
    }
    case KeyType.OKP: {
      if (!curveCompiled(CURVE_ED25519)) return skipped(JwkSkip.NotCompiled, KeyError.None);
      const x = memberBytes(obj, "x");
      if (x == null) return skipped(JwkSkip.MemberInvalid, KeyError.None);
      const r = importEd25519PublicKey(x);
      if (r.key == null) return skipped(JwkSkip.KeyRejected, r.error);
      key.ed25519 = r.key;
      break;
    }
    default: {
      if (!typeCompiled(KeyType.Oct)) return skipped(JwkSkip.NotCompiled, KeyError.None);
      if (!options.allowSymmetric) return skipped(JwkSkip.SymmetricNotAllowed, KeyError.None);
      const k = memberBytes(obj, "k");
      if (k == null) return skipped(JwkSkip.MemberInvalid, KeyError.None);
      // RFC 7518 §3.2: at least as long as the hash. Without an alg, the HS256 floor applies
      // here and each longer hash is checked again when the key is selected.
      const floor = key.alg >= 0 ? hashLength(algHash(<Alg>key.alg)) : 32;
      if (k.length < floor) return skipped(JwkSkip.KeyRejected, KeyError.WeakKey);
      key.secret = k;
    }
  }
  return new JwkResult(key, JwkSkip.None);
}
