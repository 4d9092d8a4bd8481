// SPDX-License-Identifier: Apache-2.0
// A provider's `dpop` object (docs/dpop.md): whether DPoP is required or allowed, the proof
// algorithms, the iat window and the replay store's size. Read with the shared ConfigReader, so a
// bad value is refused at configure time with its path ("providers.api.dpop.max_age_seconds: ...").
import { ConfigReader, JsonValue, itemPath, memberPath } from "@getwild/json/assembly";
import { ALGS_HMAC, algBit, algFromName, algName, Alg } from "../jose/jwt/algorithms";
import { DpopOptions, DPOP_MAX_WINDOW_SECONDS } from "../jose/dpop/options";
import { N, named } from "./names";

export const enum DpopMode {
  /** Tokens of this provider are accepted only as `Authorization: DPoP` with a valid proof. */
  Required = 0,
  /** `DPoP` with a proof, or `Bearer` for tokens that are not DPoP-bound (no `cnf.jkt`). */
  Allowed = 1,
}

/** Entries of one replay-store shard (one shared-data key): 64 × 24 bytes, copied per check. */
export const REPLAY_SHARD_ENTRIES: i32 = 64;

export class DpopPolicy {
  mode: DpopMode = DpopMode.Required;
  options: DpopOptions = new DpopOptions();
  /** Proofs remembered proxy-wide at once (rounded up to whole shards). */
  replayCacheSize: i32 = 65536;
  /** The `algs` parameter of the DPoP challenge: the allowed algorithms, space-separated. */
  algsText: string = "";
  /** Shared-data key prefix of this provider's replay store (set when the root prepares the store). */
  replayKey: string = "";

  get replayShards(): i32 {
    return (this.replayCacheSize + REPLAY_SHARD_ENTRIES - 1) / REPLAY_SHARD_ENTRIES;
  }
}

/** The order of `algs` in the challenge: what a client should prefer first (small, fast keys). */
// @ts-ignore: decorator
@lazy const CHALLENGE_ORDER: StaticArray<Alg> = [
  Alg.ES256,
  Alg.ES384,
  Alg.ES512,
  Alg.EdDSA,
  Alg.PS256,
  Alg.PS384,
  Alg.PS512,
  Alg.RS256,
  Alg.RS384,
  Alg.RS512,
];

/**
 * The fields of `dpop`, then the choices of its `mode` (in the order of DpopMode): a compile-time
 * table (one static block, no code per name) read by position (D), so each name is stored once.
 * `@lazy`: only a build that reads `dpop` (features.ts) builds it.
 */
// @ts-ignore: decorator
@lazy const DPOP_NAMES: StaticArray<string> = [
  "mode",
  "algorithms",
  "max_age_seconds",
  "clock_skew_seconds",
  "max_jti_length",
  "max_proof_bytes",
  "replay_cache_size",
  "required",
  "allowed",
];
const enum D {
  Mode,
  Algorithms,
  MaxAgeSeconds,
  ClockSkewSeconds,
  MaxJtiLength,
  MaxProofBytes,
  ReplayCacheSize,
  Required,
  Allowed,
}

/** The name at position `d` of DPOP_NAMES. */
function dpopName(d: D): string {
  return unchecked(DPOP_NAMES[d]);
}

/** The names at positions `first` to `last` of DPOP_NAMES, as a new array. */
function dpopNames(first: D, last: D): Array<string> {
  const out = new Array<string>();
  for (let d = first; d <= last; d++) out.push(dpopName(d));
  return out;
}

/** Reads `dpop` of provider `providerName` at `path`; null when the provider has none. */
export function readDpop(r: ConfigReader, provider: JsonValue, path: string): DpopPolicy | null {
  const v = r.object(provider, path, named(N.Dpop), dpopNames(D.Mode, D.ReplayCacheSize));
  if (v === null) return null;
  const where = memberPath(path, named(N.Dpop));
  const policy = new DpopPolicy();
  if (r.required(v, where, dpopName(D.Mode)) !== null) {
    // The choice's position is the mode.
    if (<i32>DpopMode.Required != 0 || <i32>DpopMode.Allowed != 1) ERROR("DpopMode != the order of D's modes");
    policy.mode = <DpopMode>r.choice(v, where, dpopName(D.Mode), dpopNames(D.Required, D.Allowed), DpopMode.Required);
  }
  const o = policy.options;
  if (v.has(dpopName(D.Algorithms))) {
    const names = r.strings(v, where, dpopName(D.Algorithms));
    let mask: u32 = 0;
    for (let i = 0; i < names.length; i++) {
      const name = unchecked(names[i]);
      const alg = algFromName(name);
      const at = itemPath(memberPath(where, dpopName(D.Algorithms)), i);
      if (alg < 0) r.fail(at, '"' + name + '" is not a JWS signature algorithm');
      else if ((algBit(<Alg>alg) & ALGS_HMAC) != 0)
        r.fail(at, '"' + name + '" is symmetric: a DPoP proof is signed with a public key (RFC 9449 4.3)');
      else mask |= algBit(<Alg>alg);
    }
    if (names.length == 0) r.fail(memberPath(where, dpopName(D.Algorithms)), "must list at least one algorithm");
    o.algorithms = mask;
  }
  o.maxAgeSeconds = r.integer(
    v,
    where,
    dpopName(D.MaxAgeSeconds),
    <i32>o.maxAgeSeconds,
    1,
    <i32>DPOP_MAX_WINDOW_SECONDS,
  );
  o.clockSkewSeconds = r.integer(v, where, dpopName(D.ClockSkewSeconds), <i32>o.clockSkewSeconds, 0, 300);
  o.maxJtiLength = r.integer(v, where, dpopName(D.MaxJtiLength), o.maxJtiLength, 16, 1024);
  o.maxProofBytes = r.integer(v, where, dpopName(D.MaxProofBytes), o.maxProofBytes, 512, 16384);
  policy.replayCacheSize = r.integer(
    v,
    where,
    dpopName(D.ReplayCacheSize),
    policy.replayCacheSize,
    REPLAY_SHARD_ENTRIES,
    1 << 20,
  );
  let algs = "";
  for (let i = 0; i < CHALLENGE_ORDER.length; i++) {
    const a = unchecked(CHALLENGE_ORDER[i]);
    if ((o.allowedAlgorithms & algBit(a)) == 0) continue;
    if (algs.length > 0) algs += " ";
    algs += algName(a);
  }
  policy.algsText = algs;
  return policy;
}
