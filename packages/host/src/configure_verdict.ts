// SPDX-License-Identifier: Apache-2.0
// Whether a filter's configure accepts a configuration and, when it refuses, the line it logged to
// say why: what a test that holds a JSON schema against the filter's own validation asks of every
// case (the jwt and getwild schema tests, a user's own).
import { createHost } from "./host.js";
import type { HostOptions } from "./host_core.js";
import type { LogRecord } from "./logs.js";

/**
 * Loads the filter with `options`; null when it loads (proxy_on_configure accepted), else the first
 * error-level log line matching `refusal` (the filter's stated reason), or "refused (no log line)"
 * when the load failed without one.
 */
export async function configureVerdict(
  options: HostOptions,
  refusal: RegExp = /configuration refused/,
): Promise<string | null> {
  const refusals: string[] = [];
  const onLog = (r: LogRecord) => {
    if (refusal.test(r.message)) refusals.push(r.message);
  };
  try {
    await createHost({ ...options, onLog, onLogLevel: "error" });
    return null;
  } catch {
    return refusals[0] ?? "refused (no log line)";
  }
}
