// SPDX-License-Identifier: Apache-2.0
// DPoP (RFC 9449) proof verification, host-free: errors, options, the htu comparison, the proof check.
export { DpopError, DPOP_ERROR_COUNT, dpopErrorName, dpopErrorMessage, dpopErrorIsTokenFault } from "./errors";
export { DpopOptions, DPOP_DEFAULT_ALGS, DPOP_MAX_WINDOW_SECONDS } from "./options";
export { normalizeHttpUri, requestUri } from "./htu";
export { DpopRequest, DpopResult, verifyDpopProof, accessTokenHash, confirmationJkt } from "./proof";
