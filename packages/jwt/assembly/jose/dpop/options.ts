// SPDX-License-Identifier: Apache-2.0
// What a DPoP proof check allows: algorithms, the freshness window of `iat`, and size caps.
import { JwsLimits } from "../jwt/jws";
import { JwsVerifyOptions } from "../jwt/options";
import {
  ALG_BIT_ES256,
  ALG_BIT_ES384,
  ALG_BIT_ES512,
  ALG_BIT_EDDSA,
  ALG_BIT_PS256,
  ALG_BIT_RS256,
  ALGS_ASYMMETRIC,
} from "../jwt/algorithms";

/**
 * The default proof algorithms: what DPoP clients use in practice (ES256 above all; EdDSA, RS256,
 * PS256, ES384/512 next). HMAC can never be configured: a proof key must be public (RFC 9449 §4.3).
 */
export const DPOP_DEFAULT_ALGS: u32 =
  ALG_BIT_ES256 | ALG_BIT_ES384 | ALG_BIT_ES512 | ALG_BIT_EDDSA | ALG_BIT_RS256 | ALG_BIT_PS256;

/** Largest accepted window settings, so that the replay store never has to keep entries for long. */
export const DPOP_MAX_WINDOW_SECONDS: i64 = 3600;

export class DpopOptions {
  /** Allowed proof algorithms (Alg bit mask); always intersected with the asymmetric ones. */
  algorithms: u32 = DPOP_DEFAULT_ALGS;
  /** How old a proof may be: `iat` >= now - maxAgeSeconds. */
  maxAgeSeconds: i64 = 60;
  /** How far in the future `iat` may be (client clocks run ahead): `iat` <= now + clockSkewSeconds. */
  clockSkewSeconds: i64 = 5;
  /** Longest accepted `jti`, in UTF-16 units (RFC 9449 asks for >= 96 bits of randomness; UUIDs are 36). */
  maxJtiLength: i32 = 128;
  /** Largest accepted proof, in bytes (an RSA-4096 `jwk` makes proofs of ~1.5 KB). */
  maxProofBytes: i32 = 4096;

  private jws: JwsVerifyOptions | null = null;

  /** The JWS policy of a proof (made on first use: set the fields above before verifying). */
  get jwsOptions(): JwsVerifyOptions {
    let o = this.jws;
    if (o === null) {
      o = new JwsVerifyOptions();
      o.algorithms = this.allowedAlgorithms;
      o.types = ["dpop+jwt"];
      o.limits = new JwsLimits(this.maxProofBytes, 2048, 8);
      this.jws = o;
    }
    return o;
  }

  /** The mask actually enforced: never a symmetric algorithm. */
  get allowedAlgorithms(): u32 {
    return this.algorithms & ALGS_ASYMMETRIC;
  }

  /** Seconds after `iat` until which a proof could still be accepted: how long its `jti` must be remembered. */
  replayHorizon(iat: i64): i64 {
    return iat + this.maxAgeSeconds + this.clockSkewSeconds;
  }
}
