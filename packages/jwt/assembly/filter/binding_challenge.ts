// SPDX-License-Identifier: Apache-2.0
// What a refusal for a sender-constraint fault tells the client (binding.ts decides, failure.ts
// answers): the reason, the RFC 6750 / RFC 9449 §7.1 error code, and the DPoP challenge when the
// client should retry with DPoP ("" keeps the Bearer challenge). It needs only the model, so that
// failure.ts needs nothing else of the binding code.
import { FilterConfig } from "./model";
import { COMPILED_FEATURES, FEATURE_DPOP } from "./features";

export class BindingChallenge {
  constructor(
    /** Stable snake_case reason: metrics `denied.<reason>`, response details, JSON body. */
    public reason: string,
    /** "invalid_token" or "invalid_dpop_proof". */
    public error: string,
    /** The whole `WWW-Authenticate: DPoP ...` value, or "" for the Bearer challenge. */
    public dpopHeader: string,
  ) {}
}

/**
 * The extra challenge of a refusal for a missing token when a provider accepts DPoP: `DPoP algs="..."`
 * beside the Bearer one (RFC 9449 §7.1: a client learns that it may, or must, use DPoP, and which
 * algorithms), from the first provider with `dpop`; "" when none has it.
 */
export function dpopChallengeForMissing(config: FilterConfig): string {
  if (!(COMPILED_FEATURES & FEATURE_DPOP)) return ""; // built without DPoP (features.ts): no provider has it
  for (let i = 0; i < config.providers.length; i++) {
    const dpop = unchecked(config.providers[i]).dpop;
    if (dpop !== null) return 'DPoP algs="' + dpop.algsText + '"';
  }
  return "";
}
