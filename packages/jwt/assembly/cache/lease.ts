// SPDX-License-Identifier: Apache-2.0
// The proxy-wide fetch lease of one JWKS source, kept in shared data so that one worker VM fetches
// for all. Value: "<state> <untilMs> <failures> <nonce>", state "f" (a fetch is running until
// untilMs at the latest) or "i" (idle; no new fetch before untilMs: the backoff after a failure).
// Taken with a CAS write and read back, because the first write of a key ignores the CAS.
import { Status, getSharedData, setSharedData } from "@getwild/core/assembly";
import { decimalText, sharedI64, unsignedText } from "./shared_number";

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "random_get")
declare function wasi_random_get(buf: usize, len: usize): u16;

let vmNonce: u64 = 0;

/** A random number per VM, telling apart the workers that race for a lease. */
export function leaseNonce(): u64 {
  if (vmNonce == 0) {
    const scratch = memory.data(8);
    if (wasi_random_get(scratch, 8) == 0) vmNonce = load<u64>(scratch);
    if (vmNonce == 0) vmNonce = 0x9e3779b97f4a7c15;
  }
  return vmNonce;
}

export class Lease {
  fetching: bool = false;
  untilMs: i64 = 0;
  failures: i32 = 0;
  nonce: u64 = 0;
  /** CAS of the stored value; 0 when the key does not exist yet. */
  cas: u32 = 0;

  /** True when nobody may start a fetch now (one is running, or the backoff is not over). */
  busy(nowMs: i64): bool {
    return nowMs < this.untilMs;
  }
  /** True when a fetch is running somewhere (and has not outlived its deadline). */
  running(nowMs: i64): bool {
    return this.fetching && nowMs < this.untilMs;
  }
}

export function readLease(key: string): Lease {
  const lease = new Lease();
  const got = getSharedData(key);
  if (!got.ok) return lease;
  lease.cas = got.cas;
  const parts = String.UTF8.decode(got.value.buffer).split(" ");
  if (parts.length != 4) return lease;
  lease.fetching = unchecked(parts[0]) == "f";
  lease.untilMs = sharedI64(unchecked(parts[1]));
  // An i32 this module wrote, so the narrowing changes nothing.
  lease.failures = <i32>sharedI64(unchecked(parts[2]));
  lease.nonce = <u64>sharedI64(unchecked(parts[3]));
  return lease;
}

function encode(fetching: bool, untilMs: i64, failures: i32, nonce: u64): Uint8Array {
  const text = (fetching ? "f " : "i ") + decimalText(untilMs) + " " + failures.toString() + " " + unsignedText(nonce);
  return Uint8Array.wrap(String.UTF8.encode(text));
}

/**
 * Creates the lease key, idle, when it does not exist yet. The first write of a key ignores the CAS,
 * so two workers that both saw no key would both take the lease and fetch twice (seen in Envoy with
 * two workers). Called at configure time: Envoy configures its canary and main-thread VMs before any
 * worker runs, so the key exists before workers race and every take is a real CAS.
 */
export function createLeaseIfAbsent(key: string): void {
  if (getSharedData(key).ok) return;
  setSharedData(key, encode(false, 0, 0, leaseNonce()), 0);
}

/** Takes the lease for a fetch ending at `untilMs` at the latest; true when this VM holds it. */
export function takeLease(key: string, seen: Lease, untilMs: i64): bool {
  const nonce = leaseNonce();
  if (setSharedData(key, encode(true, untilMs, seen.failures, nonce), seen.cas) != Status.Ok) return false;
  const now = readLease(key);
  return now.fetching && now.nonce == nonce && now.untilMs == untilMs;
}

/** Ends this VM's fetch: idle, with no new fetch before `untilMs` (0 after a success). */
export function releaseLease(key: string, untilMs: i64, failures: i32): void {
  setSharedData(key, encode(false, untilMs, failures, leaseNonce()), 0);
}
