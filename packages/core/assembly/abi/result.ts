// SPDX-License-Identifier: Apache-2.0
// The one shape of a host read: the host's Status and the value read.
import { Status } from "./enums";

/**
 * What every read returns: `status` (the host's answer, mapped in ./status.ts) and `value`. When
 * `status` is not Ok, `value` is the empty value of its type ("", an empty array, 0, false), so a
 * caller that treats "absent" like "empty" may use `value` alone; one that must tell them apart
 * looks at `ok` or `status` (NotFound: absent; BadArgument: not available in this callback).
 * Writes return a plain `Status`.
 *
 * Reused, not allocated: every reader (a function such as `getProperty`, or a method of one
 * object such as a HeaderMap's `get`) owns one Result and refills it on each call, so a header read
 * on the request path allocates nothing but the string it returns. The rule that follows: take
 * `status`/`value` before calling the same reader again, and keep values, not Results:
 * `let a = headers.get("a").value; let b = headers.get("b").value;`. Buffer reads (bodies, callout
 * replies, configurations) are the exception: each returns a fresh Result, so that a large value is
 * not kept alive by the reader after the caller has dropped it.
 */
export class Result<T> {
  constructor(
    public status: Status,
    public value: T,
  ) {}

  /** True when the host answered Ok (`value` is what it returned). */
  // @ts-ignore: decorator
  @inline get ok(): bool {
    return this.status == Status.Ok;
  }

  /** `value` when Ok, else `fallback`. */
  valueOr(fallback: T): T {
    return this.status == Status.Ok ? this.value : fallback;
  }

  /** Refills this Result (readers only). Not inlined: one call costs less than a copy of the GC write barrier at every reader. */
  fill(status: Status, value: T): Result<T> {
    this.status = status;
    this.value = value;
    return this;
  }
}
