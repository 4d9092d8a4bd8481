// SPDX-License-Identifier: Apache-2.0
// The proxy-wide record of DPoP proofs already used (RFC 9449 §11.1), so that a proof replayed to
// another worker thread is refused as well. Kept in proxy shared data (every worker VM with the
// same vm_id sees it), split over shards: one key per shard, each a bounded list of
// (16-byte hash of key thumbprint and jti, expiry second). An entry lives until its proof is too
// old to be accepted anyway, then it is dropped by the next write of its shard.
//
// A write is a compare-and-swap, retried a few times on contention. Every key is created at
// configure time (`prepareReplayStore`): the first write of a key ignores the CAS, so two workers
// racing on a missing key could both succeed and one jti would be lost. A full shard (only live
// entries) or a store that cannot be written refuses the proof: a replay is never risked.
import { Status, getSharedData, setSharedData } from "@getwild/core/assembly";
import { sha256 } from "../jose/crypto/sha256";
import { DpopPolicy, REPLAY_SHARD_ENTRIES } from "./dpop_config";

export const enum ReplayVerdict {
  /** First use: recorded. */
  Fresh = 0,
  /** Seen before and still within its window. */
  Replayed = 1,
  /** Could not be recorded (shard full of live entries, or the CAS kept failing): refused. */
  Unavailable = 2,
}

const HASH_BYTES: i32 = 16;
const ENTRY_BYTES: i32 = HASH_BYTES + 8;
const CAS_ATTEMPTS: i32 = 8;

/** The shared-data key of `shard` in `policy`'s store. */
function shardKey(policy: DpopPolicy, shard: i32): string {
  return policy.replayKey + shard.toString();
}

/** Names the store and creates every shard key, empty, unless it exists (call from onConfigure). */
export function prepareReplayStore(policy: DpopPolicy, statPrefix: string, providerName: string): void {
  policy.replayKey = "getwild.jwt.dpop." + statPrefix + "." + providerName + ".";
  const empty = new Uint8Array(0);
  for (let i = 0, n = policy.replayShards; i < n; i++) {
    const key = shardKey(policy, i);
    if (getSharedData(key).status == Status.NotFound) setSharedData(key, empty, 0);
  }
}

/** Records the proof (`jkt`, `jti`) until `expiresAt` (seconds), unless it was seen: the verdict. */
export function recordProof(
  policy: DpopPolicy,
  jkt: string,
  jti: string,
  expiresAt: i64,
  nowSeconds: i64,
): ReplayVerdict {
  // The thumbprint goes into the hash so that one client's jti values never collide with another's.
  const digest = sha256(Uint8Array.wrap(String.UTF8.encode(jkt + " " + jti)));
  const shard = <i32>(load<u32>(digest.dataStart) % <u32>policy.replayShards);
  const key = shardKey(policy, shard);
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
    // Read everything out of the result now: the reader reuses it on its next call.
    const got = getSharedData(key);
    const found = got.status == Status.Ok;
    const cas = got.cas;
    const old = got.value;
    const oldCount = found ? old.length / ENTRY_BYTES : 0;
    const next = new Uint8Array((oldCount + 1) * ENTRY_BYTES);
    let kept = 0;
    for (let i = 0; i < oldCount; i++) {
      const at = old.dataStart + <usize>(i * ENTRY_BYTES);
      const expiry = load<i64>(at, HASH_BYTES);
      if (expiry < nowSeconds) continue; // too old to be accepted any more: forgotten
      if (memory.compare(at, digest.dataStart, HASH_BYTES) == 0) return ReplayVerdict.Replayed;
      memory.copy(next.dataStart + <usize>(kept * ENTRY_BYTES), at, ENTRY_BYTES);
      kept++;
    }
    if (kept >= REPLAY_SHARD_ENTRIES) return ReplayVerdict.Unavailable;
    const slot = next.dataStart + <usize>(kept * ENTRY_BYTES);
    memory.copy(slot, digest.dataStart, HASH_BYTES);
    store<i64>(slot, expiresAt, HASH_BYTES);
    kept++;
    const value = next.subarray(0, kept * ENTRY_BYTES);
    const status = setSharedData(key, value, found ? cas : 0);
    if (status == Status.Ok) return ReplayVerdict.Fresh;
    if (status != Status.CasMismatch) return ReplayVerdict.Unavailable;
  }
  return ReplayVerdict.Unavailable;
}
